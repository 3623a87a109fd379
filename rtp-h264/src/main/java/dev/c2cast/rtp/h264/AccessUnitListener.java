package dev.c2cast.rtp.h264;

import io.netty.buffer.ByteBuf;

/**
 * Receives access units from an {@link H264Depacketizer} as Annex B (4-byte start codes), and its requests for a
 * new IDR picture (to be sent to the sender as RTCP PLI, RFC 4585 section 6.3.1).
 */
public interface AccessUnitListener
{
    /**
     * One access unit. The buffer is the depacketizer's and valid only during the call; copy or
     * {@code retainedSlice()} is not allowed, copy what must outlive it.
     *
     * @param accessUnit   Annex B bytes between the reader and writer indices.
     * @param rtpTimestamp the RTP timestamp of the access unit.
     * @param keyframe     whether it holds an IDR slice.
     * @param complete     false only under {@link H264Depacketizer.LossPolicy#PASS_INTACT_NAL_UNITS} when packets
     *                     of this access unit (or of the stream just before it) were lost: every NAL unit in it is
     *                     whole, but some may be missing.
     */
    void onAccessUnit(ByteBuf accessUnit, long rtpTimestamp, boolean keyframe, boolean complete);

    /**
     * Called once per loss burst (a sequence gap, a lost FU-A start or a new SSRC): the receiver should ask the
     * sender for an IDR picture. The default does nothing.
     */
    default void onKeyframeRequest()
    {
    }
}
