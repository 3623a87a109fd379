package dev.c2cast.rtp.h264;

/**
 * Arithmetic on 32-bit RTP timestamps, which wrap and, with B-frames, go backwards: compare them only through a
 * signed 32-bit difference, never as unsigned magnitudes.
 */
public final class RtpTimestamps
{
    /** The RTP clock rate of H.264 video (RFC 6184 section 8.2.1). */
    public static final int VIDEO_CLOCK_RATE = 90_000;

    private RtpTimestamps()
    {
    }

    /**
     * The signed difference {@code a - b} modulo 2^32.
     *
     * @param a a timestamp (low 32 bits used).
     * @param b a timestamp (low 32 bits used).
     * @return the difference in {@code [-2^31, 2^31)}.
     */
    public static int difference(final long a, final long b)
    {
        return (int)(a - b);
    }

    /**
     * Converts nanoseconds to RTP clock ticks, rounding down.
     *
     * @param nanos     a duration.
     * @param clockRate ticks per second.
     * @return ticks.
     */
    public static long nanosToTicks(final long nanos, final int clockRate)
    {
        return Math.multiplyHigh(nanos, clockRate) == 0 && nanos >= 0
            ? nanos * clockRate / 1_000_000_000L
            : (long)((double)nanos * clockRate / 1e9);
    }
}
