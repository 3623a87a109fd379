package dev.c2cast.rtp.h264;

import io.netty.buffer.ByteBuf;

/**
 * Receives RTP packets from an {@link H264Packetizer} without a copy: a packet is its {@code header} (the RTP header
 * and, for FU-A, the FU indicator and header; for STAP-A the whole aggregate) followed by a region of the caller's
 * access unit. Both are valid only during the call: a UDP sink writes them into one datagram buffer, a TCP
 * interleaved sink after a {@code $} frame header.
 */
@FunctionalInterface
public interface RtpPacketSink
{
    /**
     * One RTP packet.
     *
     * @param header        the packetizer's scratch buffer, readable bytes = header part.
     * @param payload       the access unit buffer holding the rest of the packet.
     * @param payloadIndex  absolute index of the rest in {@code payload}.
     * @param payloadLength its length, possibly 0.
     */
    void onPacket(ByteBuf header, ByteBuf payload, int payloadIndex, int payloadLength);
}
