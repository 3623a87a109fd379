package dev.c2cast.rtp.h264;

import io.netty.buffer.ByteBuf;

/**
 * The sender's bounded history of recent RTP packets, kept to answer RFC 4585 generic NACKs by sending the original
 * packet again (same SSRC and sequence number; RFC 4588 retransmission payload is not used, so a receiver simply sees
 * the missing packet arrive late, which a jitter buffer still accepts within its latency).
 * <p>
 * Packets are held by reference count, not copied: {@link #store(ByteBuf)} retains the packet and releases the one
 * it displaces from the ring of {@code capacity} slots indexed by sequence number, so storing allocates nothing.
 * <p>
 * Not thread-safe: confine to the sender's event loop.
 */
public final class RetransmissionHistory implements AutoCloseable
{
    private final ByteBuf[] packets;
    private final int mask;

    /**
     * Creates an empty history.
     *
     * @param capacity packets kept, a power of two (at 1200-byte packets, 1024 is about 1.2 MB).
     */
    public RetransmissionHistory(final int capacity)
    {
        if (capacity < 1 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.packets = new ByteBuf[capacity];
        this.mask = capacity - 1;
    }

    /**
     * Keeps a sent RTP packet, retaining it; the oldest packet with the same slot is released.
     *
     * @param packet an RTP packet between its reader and writer indices, not modified afterwards.
     * @throws RtpH264Exception with {@link RtpH264Exception.Reason#MALFORMED} if it is shorter than an RTP header.
     */
    public void store(final ByteBuf packet)
    {
        if (packet.readableBytes() < RtpHeader.FIXED_HEADER_LENGTH)
        {
            throw new RtpH264Exception(RtpH264Exception.Reason.MALFORMED, "not an RTP packet: " + packet.readableBytes() + " bytes");
        }
        final int slot = sequenceNumber(packet) & mask;
        final ByteBuf old = packets[slot];
        packets[slot] = packet.retain();
        if (old != null)
        {
            old.release();
        }
    }

    /**
     * The stored packet with a sequence number, if it is still in the history.
     *
     * @param sequenceNumber 0 to 65535.
     * @return the packet (not retained: send a {@code retainedDuplicate()}), or null.
     */
    public ByteBuf find(final int sequenceNumber)
    {
        final ByteBuf packet = packets[sequenceNumber & mask];
        return packet != null && sequenceNumber(packet) == (sequenceNumber & 0xFFFF) ? packet : null;
    }

    /**
     * Packets that fit.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return packets.length;
    }

    /** Releases every stored packet. */
    @Override
    public void close()
    {
        for (int i = 0; i < packets.length; i++)
        {
            if (packets[i] != null)
            {
                packets[i].release();
                packets[i] = null;
            }
        }
    }

    private static int sequenceNumber(final ByteBuf packet)
    {
        return packet.getUnsignedShort(packet.readerIndex() + RtpHeader.SEQUENCE_OFFSET);
    }
}
