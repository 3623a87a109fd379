package dev.c2cast.streamsmart.tree.internal;

/**
 * A fixed-size log-linear histogram of nanosecond latencies (16 sub-buckets per power of two, so about 6% relative
 * error), allocation-free when recording. Confined to one thread; {@link #copy()} for a snapshot.
 */
public final class LatencyHistogram
{
    private static final int SUB_BITS = 4;
    private static final int SUB = 1 << SUB_BITS;
    private final long[] counts = new long[64 * SUB];
    private long total;
    private long max;

    /**
     * Records one latency; negative values count as zero.
     *
     * @param nanos the latency.
     */
    public void record(final long nanos)
    {
        final long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        if (v > max)
        {
            max = v;
        }
    }

    /**
     * Number of recorded values.
     *
     * @return the count.
     */
    public long count()
    {
        return total;
    }

    /**
     * Largest recorded value.
     *
     * @return nanoseconds.
     */
    public long max()
    {
        return max;
    }

    /**
     * The value at a percentile (upper edge of its bucket).
     *
     * @param percentile in (0, 100].
     * @return nanoseconds, 0 when empty.
     */
    public long percentile(final double percentile)
    {
        if (total == 0)
        {
            return 0;
        }
        final long rank = (long)Math.ceil(total * percentile / 100.0);
        long seen = 0;
        for (int i = 0; i < counts.length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return Math.min(max, upperEdge(i));
            }
        }
        return max;
    }

    /**
     * Adds another histogram's counts to this one.
     *
     * @param other the other histogram.
     */
    public void add(final LatencyHistogram other)
    {
        for (int i = 0; i < counts.length; i++)
        {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    /**
     * An independent copy.
     *
     * @return the copy.
     */
    public LatencyHistogram copy()
    {
        final LatencyHistogram copy = new LatencyHistogram();
        copy.add(this);
        return copy;
    }

    private static int index(final long v)
    {
        if (v < SUB)
        {
            return (int)v;
        }
        final int exponent = 63 - Long.numberOfLeadingZeros(v);
        final int sub = (int)(v >>> (exponent - SUB_BITS)) & (SUB - 1);
        return (exponent - SUB_BITS + 1) * SUB + sub;
    }

    private static long upperEdge(final int index)
    {
        if (index < SUB)
        {
            return index;
        }
        final int exponent = index / SUB + SUB_BITS - 1;
        final long sub = index % SUB;
        return ((SUB + sub + 1) << (exponent - SUB_BITS)) - 1;
    }
}
