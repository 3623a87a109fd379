package dev.c2cast.streamsmart.tree;

import java.util.Arrays;

/**
 * The forwarding half of a member: a ring of recent packets by extended sequence number, the phone, and the live
 * children. A packet is stored once and forwarded to every child without copying (the {@link Ops} decide what
 * "retain" means: a reference-counted {@code ByteBuf} in production, a shared immutable object in simulation).
 * There is no playout buffer: a packet goes to the phone and the children the moment it arrives.
 * <p>
 * Hop-by-hop repair: a child that attaches with a resume point gets every packet from that point the ring still
 * holds; a new viewer starts from the newest keyframe. Confined to one event loop.
 *
 * @param <P> the packet type.
 */
final class Relay<P>
{
    /**
     * What the relay does with packets.
     *
     * @param <P> the packet type.
     */
    interface Ops<P>
    {
        /**
         * Sends one packet to a child; the relay still owns its reference.
         *
         * @param child  the child.
         * @param packet the packet.
         */
        void forward(long child, P packet);

        /**
         * Hands a packet to this member's phone (or recorder); the relay still owns its reference.
         *
         * @param packet the packet.
         * @param extSeq its extended sequence number.
         */
        void deliver(P packet, long extSeq);

        /**
         * Takes a reference the ring will hold.
         *
         * @param packet the packet.
         * @return the reference to store.
         */
        P retain(P packet);

        /**
         * Drops a reference the ring held.
         *
         * @param packet the reference.
         */
        void release(P packet);
    }

    private final Ops<P> ops;
    private final Object[] packets;
    private final long[] seqs;
    private final boolean[] keyframes;
    private final int mask;
    private long[] children = new long[8];
    private int childCount;
    private long newest = -1;
    private long lastKeyframe = -1;
    private long contiguous = -1;
    private long received;
    private long duplicates;
    private long forwarded;
    private long replayedTotal;

    Relay(final int capacity, final Ops<P> ops)
    {
        this.ops = ops;
        this.packets = new Object[capacity];
        this.seqs = new long[capacity];
        Arrays.fill(seqs, -1);
        this.keyframes = new boolean[capacity];
        this.mask = capacity - 1;
    }

    /**
     * Takes a packet from the parent (or, at the radix, from the phone): stores it, delivers it and forwards it.
     *
     * @param extSeq   extended sequence number.
     * @param keyframe whether it starts a keyframe.
     * @param packet   the packet; the caller keeps its own reference.
     * @return false if it was a duplicate or older than the ring.
     */
    boolean onPacket(final long extSeq, final boolean keyframe, final P packet)
    {
        if (has(extSeq) || (newest >= 0 && extSeq <= newest - packets.length))
        {
            duplicates++;
            return false;
        }
        final int index = (int)(extSeq & mask);
        @SuppressWarnings("unchecked")
        final P evicted = (P)packets[index];
        if (evicted != null)
        {
            ops.release(evicted);
        }
        packets[index] = ops.retain(packet);
        seqs[index] = extSeq;
        keyframes[index] = keyframe;
        received++;
        if (extSeq > newest)
        {
            newest = extSeq;
        }
        if (keyframe && extSeq > lastKeyframe)
        {
            lastKeyframe = extSeq;
        }
        if (contiguous < 0)
        {
            contiguous = extSeq;
        }
        while (has(contiguous + 1))
        {
            contiguous++;
        }
        ops.deliver(packet, extSeq);
        for (int i = 0; i < childCount; i++)
        {
            ops.forward(children[i], packet);
        }
        forwarded += childCount;
        return true;
    }

    /**
     * Starts forwarding to a child, first replaying what it lacks from the ring.
     *
     * @param child      the child.
     * @param hasResume  whether the child named a resume point (false for a new viewer).
     * @param resumeFrom the first extended sequence number it lacks.
     * @return number of packets replayed.
     */
    int attach(final long child, final boolean hasResume, final long resumeFrom)
    {
        detach(child);
        int replayed = 0;
        if (newest >= 0)
        {
            final long oldest = Math.max(0, newest - packets.length + 1);
            final long start = hasResume ? Math.max(resumeFrom, oldest) : (lastKeyframe >= 0 ? lastKeyframe : newest + 1);
            for (long s = start; s <= newest; s++)
            {
                final int index = (int)(s & mask);
                if (seqs[index] == s)
                {
                    @SuppressWarnings("unchecked")
                    final P packet = (P)packets[index];
                    ops.forward(child, packet);
                    replayed++;
                }
            }
        }
        if (childCount == children.length)
        {
            children = Arrays.copyOf(children, childCount * 2);
        }
        children[childCount++] = child;
        forwarded += replayed;
        replayedTotal += replayed;
        return replayed;
    }

    /**
     * Sends the packets of a range the ring holds to a child (a gap repair; the child stays attached).
     *
     * @param child       the child.
     * @param from        first extended sequence number.
     * @param toExclusive end of the range.
     * @return number of packets sent.
     */
    int replay(final long child, final long from, final long toExclusive)
    {
        int replayed = 0;
        final long start = Math.max(from, newest - packets.length + 1);
        final long end = Math.min(toExclusive, newest + 1);
        for (long s = start; s < end; s++)
        {
            final int index = (int)(s & mask);
            if (seqs[index] == s)
            {
                @SuppressWarnings("unchecked")
                final P packet = (P)packets[index];
                ops.forward(child, packet);
                replayed++;
            }
        }
        forwarded += replayed;
        replayedTotal += replayed;
        return replayed;
    }

    /**
     * Packets sent from the ring rather than as they arrived: resumes after an attach and gap repairs.
     *
     * @return the count since creation.
     */
    long replayed()
    {
        return replayedTotal;
    }

    /**
     * The exclusive end of the first gap: the first held sequence number above the resume point.
     *
     * @return the end, or -1 without a gap.
     */
    long gapEnd()
    {
        if (!hasGap())
        {
            return -1;
        }
        for (long s = contiguous + 2; s <= newest; s++)
        {
            if (has(s))
            {
                return s;
            }
        }
        return newest + 1;
    }

    /**
     * Stops forwarding to a child.
     *
     * @param child the child.
     * @return true if it was attached.
     */
    boolean detach(final long child)
    {
        for (int i = 0; i < childCount; i++)
        {
            if (children[i] == child)
            {
                children[i] = children[--childCount];
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the ring holds a sequence number.
     *
     * @param extSeq the extended sequence number.
     * @return true if held.
     */
    boolean has(final long extSeq)
    {
        return extSeq >= 0 && seqs[(int)(extSeq & mask)] == extSeq;
    }

    /**
     * The first sequence number this member lacks after the contiguous run it holds, for resuming.
     *
     * @return the resume point, or -1 before the first packet.
     */
    long nextMissing()
    {
        return contiguous < 0 ? -1 : contiguous + 1;
    }

    /**
     * Whether a sequence number is missing below the newest held.
     *
     * @return true if there is a gap.
     */
    boolean hasGap()
    {
        return contiguous >= 0 && newest > contiguous;
    }

    /**
     * Releases every packet the ring holds.
     */
    void clear()
    {
        for (int i = 0; i < packets.length; i++)
        {
            @SuppressWarnings("unchecked")
            final P packet = (P)packets[i];
            if (packet != null)
            {
                ops.release(packet);
                packets[i] = null;
                seqs[i] = -1;
            }
        }
        childCount = 0;
    }

    int childCount()
    {
        return childCount;
    }

    long newest()
    {
        return newest;
    }

    long received()
    {
        return received;
    }

    long duplicates()
    {
        return duplicates;
    }

    long forwarded()
    {
        return forwarded;
    }
}
