package dev.c2cast.rtp.h264;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One RTSP interleaved binary frame (RFC 2326 section 10.12): {@code $}, a channel byte, a 16-bit length and an RTP
 * or RTCP packet, carried on the RTSP TCP connection between RTSP messages.
 */
final class InterleavedFrame extends DefaultByteBufHolder
{
    private final int channel;

    InterleavedFrame(final int channel, final ByteBuf packet)
    {
        super(packet);
        this.channel = channel;
    }

    int channel()
    {
        return channel;
    }
}
