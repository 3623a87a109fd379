package dev.c2cast.rtp.h264;

import io.netty.buffer.ByteBuf;

/**
 * Receives the streams that clients push to an {@link RtspServer} with ANNOUNCE/RECORD (a phone pushing to its
 * clone), and plain RTP/UDP received with {@link RtspServer#receiveRtp(String, H264MediaDescription, int)}. The server
 * re-serves every pushed stream to RTSP players at its path by itself; this listener is how the application gets the
 * same media. Every method runs on the server's event loop and has an empty default, so implement only what is needed;
 * a method must not block.
 */
public interface PushListener
{
    /**
     * Whether to accept an ANNOUNCE at a path; refused ones are answered {@code 403 Forbidden}.
     *
     * @param path  the normalised path, such as {@code /phone1}.
     * @param media the announced H.264 description.
     * @return true to accept (the default).
     */
    default boolean acceptPush(final String path, final H264MediaDescription media)
    {
        return true;
    }

    /**
     * A client started pushing (its first RTP packet arrived after RECORD), or a plain RTP/UDP stream was opened.
     *
     * @param stream the stream the push feeds.
     */
    default void onPushStart(final LiveStream stream)
    {
    }

    /**
     * One pushed RTP packet, in sequence order after the receive jitter buffer (duplicates removed, reordering undone).
     *
     * @param stream the stream.
     * @param packet the RTP packet between its reader and writer indices; valid only during the call. Its bytes are
     *               never changed afterwards, so {@code packet.retainedSlice()} keeps it, without a copy, for as long as
     *               the listener holds that slice (release it when done).
     */
    default void onRtpPacket(final LiveStream stream, final ByteBuf packet)
    {
    }

    /**
     * One access unit depacketized from the push. After loss, access units are dropped up to the next intact IDR
     * ({@link H264Depacketizer.LossPolicy#DROP_UNTIL_KEYFRAME}), so everything given here decodes exactly as sent.
     *
     * @param stream       the stream.
     * @param accessUnit   Annex B bytes between the reader and writer indices; valid only during the call.
     * @param rtpTimestamp the pusher's RTP timestamp (90 kHz).
     * @param keyframe     whether it holds an IDR slice.
     */
    default void onAccessUnit(final LiveStream stream, final ByteBuf accessUnit, final long rtpTimestamp, final boolean keyframe)
    {
    }

    /**
     * The pushing session ended (TEARDOWN, its connection closed, or it timed out). The stream stays published with
     * its players; call {@link LiveStream#end()} to send them BYE, or wait for the client to push again (a new
     * ANNOUNCE at the same path keeps the stream and its players).
     *
     * @param stream the stream.
     */
    default void onPushEnd(final LiveStream stream)
    {
    }
}
