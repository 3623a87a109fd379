package dev.c2cast.rtp.h264;

import java.util.function.LongSupplier;

import io.netty.buffer.ByteBuf;

/**
 * Puts RTP packets back in sequence order (RFC 3550 appendix A.1 extended sequence numbers): drops duplicates and
 * packets older than the last one released, releases a packet as soon as it follows the last one released, and gives
 * up on a gap once the first packet after the gap has waited the configured latency. The first packet of a stream
 * also waits the latency, so that packets reordered ahead of it are not counted late.
 * <p>
 * Packets are held in a ring of {@code capacity} slots indexed by extended sequence number; one arriving more than
 * {@code capacity} ahead forces the oldest out early (counted as loss if missing). No allocation per packet.
 * <p>
 * Single-threaded: confine to one event loop; time comes from the injected clock. Call {@link #poll()} after each
 * {@link #offer(ByteBuf)} and when {@link #nextDeadlineNanos()} is reached.
 */
public final class JitterBuffer
{
    /** Default latency: 50 ms. */
    public static final long LATENCY_NANOS_DEFAULT = 50_000_000L;
    /** Default ring capacity in packets. */
    public static final int CAPACITY_DEFAULT = 1024;

    /** Result of {@link #offer(ByteBuf)}: the packet is held. */
    public static final int ACCEPTED = 0;
    /** Result of {@link #offer(ByteBuf)}: the same sequence number is already held or was released. */
    public static final int DUPLICATE = 1;
    /** Result of {@link #offer(ByteBuf)}: the packet arrived after its gap was given up on. */
    public static final int LATE = 2;
    /** Result of {@link #offer(ByteBuf)}: not an RTP packet. */
    public static final int MALFORMED = 3;

    private final LongSupplier clock;
    private final long latencyNanos;
    private final JitterBufferListener listener;
    private final int mask;
    private final ByteBuf[] packets;
    private final long[] sequences;
    private final long[] arrivals;
    private final boolean[] delivered;
    private final SequenceNumberUnwrapper unwrapper = new SequenceNumberUnwrapper();
    private boolean started;
    private long next = -1;
    private long highest = -1;
    private int held;
    private long released;
    private long lost;
    private long duplicates;
    private long late;
    private long malformed;

    /**
     * Creates a jitter buffer.
     *
     * @param capacity     ring size in packets, a power of two.
     * @param latencyNanos how long a packet after a gap (or the first packet) waits before the gap is given up.
     * @param clock        monotonic nanosecond clock.
     * @param listener     receives released packets and losses.
     */
    public JitterBuffer(final int capacity, final long latencyNanos, final LongSupplier clock, final JitterBufferListener listener)
    {
        if (capacity < 2 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two >= 2: " + capacity);
        }
        if (latencyNanos < 0)
        {
            throw new IllegalArgumentException("latency must not be negative: " + latencyNanos);
        }
        this.clock = clock;
        this.latencyNanos = latencyNanos;
        this.listener = listener;
        this.mask = capacity - 1;
        this.packets = new ByteBuf[capacity];
        this.sequences = new long[capacity];
        this.arrivals = new long[capacity];
        this.delivered = new boolean[capacity];
    }

    /**
     * Offers a received RTP packet. The buffer takes ownership: it is released here if dropped, or handed on later.
     *
     * @param packet the RTP packet (readable bytes).
     * @return {@link #ACCEPTED}, {@link #DUPLICATE}, {@link #LATE} or {@link #MALFORMED}.
     */
    public int offer(final ByteBuf packet)
    {
        if (packet.readableBytes() < RtpHeader.FIXED_HEADER_LENGTH || (packet.getByte(packet.readerIndex()) & 0xC0) != 0x80)
        {
            malformed++;
            packet.release();
            return MALFORMED;
        }
        final long now = clock.getAsLong();
        final long seq = unwrapper.unwrap(packet.getUnsignedShort(packet.readerIndex() + RtpHeader.SEQUENCE_OFFSET));
        if (next >= 0 && seq < next)
        {
            if (started)
            {
                final int slot = (int)(seq & mask);
                final boolean duplicate = delivered[slot] && sequences[slot] == seq;
                if (duplicate)
                {
                    duplicates++;
                }
                else
                {
                    late++;
                }
                packet.release();
                return duplicate ? DUPLICATE : LATE;
            }
            if (highest - seq > mask)
            {
                late++;
                packet.release();
                return LATE;
            }
            // reordered ahead of the stream's first packet: what lies between it and the lowest held is missing
            final long lowest = next;
            next = seq;
            if (lowest - seq > 1)
            {
                listener.onMissing(seq + 1, lowest - seq - 1);
            }
        }
        if (next < 0)
        {
            next = seq;
        }
        while (held > 0 && seq - next > mask)
        {
            forceOldest();
        }
        if (seq - next > mask)
        {
            skipTo(seq);
        }
        final int slot = (int)(seq & mask);
        if (packets[slot] != null)
        {
            duplicates++;
            packet.release();
            return DUPLICATE;
        }
        packets[slot] = packet;
        delivered[slot] = false;
        sequences[slot] = seq;
        arrivals[slot] = now;
        held++;
        if (seq > highest)
        {
            final long from = highest < 0 ? seq : Math.max(highest + 1, next);
            highest = seq;
            if (seq > from)
            {
                listener.onMissing(from, seq - from);
            }
        }
        return ACCEPTED;
    }

    /**
     * Releases every packet that is due now, in order, and reports gaps given up on.
     *
     * @return the number of packets released.
     */
    public int poll()
    {
        final long now = clock.getAsLong();
        int count = 0;
        while (held > 0)
        {
            final int slot = (int)(next & mask);
            final ByteBuf packet = packets[slot];
            if (packet != null)
            {
                if (!started && now - arrivals[slot] < latencyNanos)
                {
                    break;
                }
                releaseHead(slot, packet);
                count++;
                continue;
            }
            final int firstSlot = firstHeldAfterGap();
            if (now - arrivals[firstSlot] < latencyNanos)
            {
                break;
            }
            skipTo(sequences[firstSlot]);
        }
        return count;
    }

    /**
     * When {@link #poll()} should next be called if no packet arrives.
     *
     * @return absolute clock time in nanoseconds, or {@link Long#MAX_VALUE} if nothing waits.
     */
    public long nextDeadlineNanos()
    {
        if (held == 0)
        {
            return Long.MAX_VALUE;
        }
        final int slot = (int)(next & mask);
        if (packets[slot] != null)
        {
            return started ? clock.getAsLong() : arrivals[slot] + latencyNanos;
        }
        return arrivals[firstHeldAfterGap()] + latencyNanos;
    }

    /**
     * Releases every held packet in order regardless of time, reporting gaps, for the end of a stream.
     *
     * @return the number of packets released.
     */
    public int flush()
    {
        int count = 0;
        while (held > 0)
        {
            final int slot = (int)(next & mask);
            final ByteBuf packet = packets[slot];
            if (packet != null)
            {
                releaseHead(slot, packet);
                count++;
            }
            else
            {
                skipTo(sequences[firstHeldAfterGap()]);
            }
        }
        return count;
    }

    /**
     * Releases all held packets without delivering them.
     */
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
        held = 0;
    }

    /**
     * Whether a sequence number inside the current window is still awaited: above the last one released, below the
     * highest received, and not held. A receiver that waits a moment after {@link JitterBufferListener#onMissing}
     * (reordering usually fills a gap within a few milliseconds) asks the sender only for what this still reports.
     *
     * @param extendedSequence the extended sequence number.
     * @return true if it is missing and not yet given up on.
     */
    public boolean isMissing(final long extendedSequence)
    {
        if (next < 0 || extendedSequence < next || extendedSequence >= highest)
        {
            return false;
        }
        final int slot = (int)(extendedSequence & mask);
        return packets[slot] == null || sequences[slot] != extendedSequence;
    }

    /**
     * Packets handed to the listener so far.
     *
     * @return the count.
     */
    public long released()
    {
        return released;
    }

    /**
     * Sequence numbers given up on so far.
     *
     * @return the count.
     */
    public long lost()
    {
        return lost;
    }

    /**
     * Duplicates dropped so far.
     *
     * @return the count.
     */
    public long duplicates()
    {
        return duplicates;
    }

    /**
     * Packets dropped because they arrived after their gap was given up on.
     *
     * @return the count.
     */
    public long late()
    {
        return late;
    }

    /**
     * Packets dropped because they were not RTP.
     *
     * @return the count.
     */
    public long malformed()
    {
        return malformed;
    }

    /**
     * Packets currently held.
     *
     * @return the count.
     */
    public int held()
    {
        return held;
    }

    private void releaseHead(final int slot, final ByteBuf packet)
    {
        packets[slot] = null;
        delivered[slot] = true;
        held--;
        started = true;
        released++;
        final long seq = next;
        next++;
        listener.onPacket(packet, seq);
    }

    private int firstHeldAfterGap()
    {
        for (long s = next + 1; ; s++)
        {
            final int slot = (int)(s & mask);
            if (packets[slot] != null && sequences[slot] == s)
            {
                return slot;
            }
        }
    }

    private void skipTo(final long seq)
    {
        final long count = seq - next;
        if (started)
        {
            lost += count;
            listener.onLoss(next, count);
        }
        next = seq;
        started = true;
    }

    private void forceOldest()
    {
        final int slot = (int)(next & mask);
        final ByteBuf packet = packets[slot];
        if (packet != null)
        {
            releaseHead(slot, packet);
        }
        else
        {
            skipTo(sequences[firstHeldAfterGap()]);
        }
    }
}
