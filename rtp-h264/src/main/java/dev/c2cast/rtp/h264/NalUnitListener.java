package dev.c2cast.rtp.h264;

import io.netty.buffer.ByteBuf;

/**
 * Receives NAL units found in a byte stream, as a region of the caller's buffer (no copy). The region is valid only
 * during the call.
 */
@FunctionalInterface
public interface NalUnitListener
{
    /**
     * One NAL unit, starting with its header byte.
     *
     * @param buffer the buffer holding it; do not change its indices.
     * @param index  absolute index of the NAL header byte.
     * @param length length in bytes, at least 1.
     */
    void onNalUnit(ByteBuf buffer, int index, int length);
}
