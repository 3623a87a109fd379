package dev.c2cast.rtp.h264;

import io.netty.buffer.ByteBuf;

/**
 * Receives what a {@link JitterBuffer} releases: packets in extended-sequence order and the gaps it gave up on.
 */
public interface JitterBufferListener
{
    /**
     * The next packet in sequence order. Ownership passes to the listener, which must release it.
     *
     * @param packet           the RTP packet.
     * @param extendedSequence its extended sequence number.
     */
    void onPacket(ByteBuf packet, long extendedSequence);

    /**
     * A run of sequence numbers that did not arrive within the latency and will be skipped.
     *
     * @param firstExtendedSequence the first missing extended sequence number.
     * @param count                 how many are missing, at least 1.
     */
    void onLoss(long firstExtendedSequence, long count);

    /**
     * A gap just opened: a packet arrived ahead of sequence numbers not received yet. They may still arrive within the
     * latency, so this is the moment to ask the sender for them (an RFC 4585 generic NACK); a retransmission that
     * arrives before the gap is given up fills it. The default does nothing.
     *
     * @param firstExtendedSequence the first missing extended sequence number.
     * @param count                 how many are missing, at least 1.
     */
    default void onMissing(final long firstExtendedSequence, final long count)
    {
    }
}
