package dev.c2cast.microcast.download;

import java.util.concurrent.TimeUnit;

/**
 * Immutable parameters of the {@link MicroDownload} scheduler, validated when constructed.
 * <p>
 * The MicroCast text lost the value of the initial assignment size; {@link #INITIAL_BACKLOG_DEFAULT} is this
 * project's choice (see docs/microcast-download/DESIGN.md).
 *
 * @param segmentSize        bytes per segment; the last segment may be shorter.
 * @param initialBacklog     segments each device is given when it joins, and the most it is normally given.
 * @param maxBacklog         hard bound of every backlog: a segment taken from a failed or stalled device may be
 *                           added above {@code initialBacklog}, up to this bound, so it moves at once.
 * @param minimumBacklog     segments a device on a bad link keeps, so it resumes as soon as its link improves.
 * @param stallTimeoutNanos  time without any report from a device holding work after which its segments are
 *                           reassigned (the detection timeout).
 * @param stallTimeoutFactor the timeout of a device is at least this many times its measured segment time, so a
 *                           merely slow link is not mistaken for a stalled one.
 * @param endgame            whether idle devices take a deliberate duplicate of the latest outstanding segment once
 *                           no unassigned segment is left.
 */
public record MicroDownloadConfig(
    int segmentSize,
    int initialBacklog,
    int maxBacklog,
    int minimumBacklog,
    long stallTimeoutNanos,
    double stallTimeoutFactor,
    boolean endgame)
{
    /** Default segment size: 256 KiB. */
    public static final int SEGMENT_SIZE_DEFAULT = 256 * 1024;
    /** Default initial assignment (and backlog bound) per device. */
    public static final int INITIAL_BACKLOG_DEFAULT = 3;
    /** Default hard backlog bound per device. */
    public static final int MAX_BACKLOG_DEFAULT = 2 * INITIAL_BACKLOG_DEFAULT;
    /** Default assignment kept by a device on a bad link. */
    public static final int MINIMUM_BACKLOG_DEFAULT = 1;
    /** Default detection timeout: 5 seconds. */
    public static final long STALL_TIMEOUT_NANOS_DEFAULT = TimeUnit.SECONDS.toNanos(5);
    /** Default multiple of a device's own segment time that its timeout never goes below. */
    public static final double STALL_TIMEOUT_FACTOR_DEFAULT = 3.0;

    /**
     * Validates the parameters.
     *
     * @param segmentSize        bytes per segment.
     * @param initialBacklog     initial assignment.
     * @param maxBacklog         hard backlog bound.
     * @param minimumBacklog     assignment kept on a bad link.
     * @param stallTimeoutNanos  detection timeout.
     * @param stallTimeoutFactor multiple of the measured segment time.
     * @param endgame            endgame duplicates enabled.
     */
    public MicroDownloadConfig
    {
        if (segmentSize <= 0)
        {
            throw new IllegalArgumentException("segmentSize must be positive: " + segmentSize);
        }
        if (initialBacklog <= 0)
        {
            throw new IllegalArgumentException("initialBacklog must be positive: " + initialBacklog);
        }
        if (maxBacklog < initialBacklog)
        {
            throw new IllegalArgumentException("maxBacklog must be >= initialBacklog: " + maxBacklog);
        }
        if (minimumBacklog <= 0 || minimumBacklog > initialBacklog)
        {
            throw new IllegalArgumentException("minimumBacklog must be in [1, initialBacklog]: " + minimumBacklog);
        }
        if (stallTimeoutNanos <= 0)
        {
            throw new IllegalArgumentException("stallTimeoutNanos must be positive: " + stallTimeoutNanos);
        }
        if (!(stallTimeoutFactor >= 1.0) || Double.isInfinite(stallTimeoutFactor))
        {
            throw new IllegalArgumentException("stallTimeoutFactor must be finite and >= 1: " + stallTimeoutFactor);
        }
    }

    /**
     * The defaults.
     *
     * @return a configuration with every {@code *_DEFAULT} value and the endgame enabled.
     */
    public static MicroDownloadConfig defaults()
    {
        return new MicroDownloadConfig(SEGMENT_SIZE_DEFAULT, INITIAL_BACKLOG_DEFAULT, MAX_BACKLOG_DEFAULT, MINIMUM_BACKLOG_DEFAULT,
            STALL_TIMEOUT_NANOS_DEFAULT, STALL_TIMEOUT_FACTOR_DEFAULT, true);
    }

    /**
     * A copy with another segment size.
     *
     * @param segmentSize bytes per segment.
     * @return the new configuration.
     */
    public MicroDownloadConfig withSegmentSize(final int segmentSize)
    {
        return new MicroDownloadConfig(segmentSize, initialBacklog, maxBacklog, minimumBacklog, stallTimeoutNanos,
            stallTimeoutFactor, endgame);
    }

    /**
     * A copy with another initial backlog; the hard bound becomes twice that.
     *
     * @param initialBacklog initial assignment.
     * @return the new configuration.
     */
    public MicroDownloadConfig withInitialBacklog(final int initialBacklog)
    {
        return new MicroDownloadConfig(segmentSize, initialBacklog, 2 * initialBacklog,
            Math.min(minimumBacklog, initialBacklog), stallTimeoutNanos, stallTimeoutFactor, endgame);
    }

    /**
     * A copy with another detection timeout.
     *
     * @param stallTimeoutNanos detection timeout.
     * @return the new configuration.
     */
    public MicroDownloadConfig withStallTimeoutNanos(final long stallTimeoutNanos)
    {
        return new MicroDownloadConfig(segmentSize, initialBacklog, maxBacklog, minimumBacklog, stallTimeoutNanos,
            stallTimeoutFactor, endgame);
    }

    /**
     * A copy with the endgame enabled or disabled.
     *
     * @param endgame whether the endgame duplicate is allowed.
     * @return the new configuration.
     */
    public MicroDownloadConfig withEndgame(final boolean endgame)
    {
        return new MicroDownloadConfig(segmentSize, initialBacklog, maxBacklog, minimumBacklog, stallTimeoutNanos,
            stallTimeoutFactor, endgame);
    }
}
