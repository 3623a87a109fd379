package dev.c2cast.rtp.h264;

/**
 * Extends 16-bit RTP sequence numbers to a 64-bit count that survives wrap-around (RFC 3550 appendix A.1): each
 * number is placed at the extended value nearest to the highest one seen, so late packets map below it and new ones
 * above, across the 65535 to 0 boundary.
 * <p>
 * Not thread-safe: confine to one receiver.
 */
public final class SequenceNumberUnwrapper
{
    private boolean started;
    private long highest;

    /**
     * Creates an unwrapper that has seen no packet.
     */
    public SequenceNumberUnwrapper()
    {
    }

    /**
     * The extended sequence number of a received 16-bit one; updates the highest seen.
     *
     * @param sequenceNumber 0 to 65535.
     * @return the extended number: 65536 times the cycle count plus the sequence number.
     */
    public long unwrap(final int sequenceNumber)
    {
        final long extended = peek(sequenceNumber);
        if (!started || extended > highest)
        {
            highest = extended;
            started = true;
        }
        return extended;
    }

    /**
     * The extended sequence number a 16-bit one would have, without updating state.
     *
     * @param sequenceNumber 0 to 65535.
     * @return the extended number.
     */
    public long peek(final int sequenceNumber)
    {
        final int seq = sequenceNumber & 0xFFFF;
        if (!started)
        {
            return 65536L + seq;
        }
        final int delta = (short)(seq - (int)(highest & 0xFFFF));
        return highest + delta;
    }

    /**
     * The highest extended sequence number seen.
     *
     * @return the number, or -1 before the first packet.
     */
    public long highest()
    {
        return started ? highest : -1;
    }

    /**
     * Forgets all state, for a new SSRC.
     */
    public void reset()
    {
        started = false;
        highest = 0;
    }
}
