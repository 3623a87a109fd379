package dev.c2cast.microcast.nc.p2;

/**
 * Timing and policy parameters shared by the engines, validated when built. The paper gives none of these values;
 * the defaults are this project's choices (docs/microcast-nc/p2.md).
 *
 * @param advertisePeriodNanos   period of advertisements (MicroNC-P2) and bitfields (BitTorrent-Pull).
 * @param aggregationNanos       how long a server waits after the first request for a segment before serving it,
 *                               so that requests triggered by the same advertisement are merged.
 * @param packetAirtimeNanos     expected airtime of one data frame; a server paces its batches by it so its
 *                               transmit queue does not overflow.
 * @param recoveryPeriodNanos    period of the recovery timer.
 * @param recoveryTimeoutNanos   age after which a request that did not complete is sent again.
 * @param r2Redundancy           R2-Push: coded packets pushed per segment beyond the rank held.
 * @param maxOutstandingPieces   BitTorrent-Pull: segments requested at once.
 */
public record DisseminationConfig(
    long advertisePeriodNanos,
    long aggregationNanos,
    long packetAirtimeNanos,
    long recoveryPeriodNanos,
    long recoveryTimeoutNanos,
    int r2Redundancy,
    int maxOutstandingPieces)
{
    /** Default advertisement period, 1 s. */
    public static final long ADVERTISE_PERIOD_NANOS_DEFAULT = 1_000_000_000L;
    /** Default aggregation window, 20 ms: covers the requests a broadcast advertisement triggers. */
    public static final long AGGREGATION_NANOS_DEFAULT = 20_000_000L;
    /** Default data frame airtime, 600 us: a 1.1 kB frame at 20 Mbit/s plus MAC overhead. */
    public static final long PACKET_AIRTIME_NANOS_DEFAULT = 600_000L;
    /** Default recovery timer period, 250 ms. */
    public static final long RECOVERY_PERIOD_NANOS_DEFAULT = 250_000_000L;
    /** Default recovery timeout, 1 s. */
    public static final long RECOVERY_TIMEOUT_NANOS_DEFAULT = 1_000_000_000L;
    /** Default R2-Push redundancy r. */
    public static final int R2_REDUNDANCY_DEFAULT = 2;
    /** Default BitTorrent-Pull pipeline depth. */
    public static final int MAX_OUTSTANDING_PIECES_DEFAULT = 2;

    /**
     * Validates the parameters.
     *
     * @param advertisePeriodNanos advertisement period.
     * @param aggregationNanos     aggregation window.
     * @param packetAirtimeNanos   data frame airtime.
     * @param recoveryPeriodNanos  recovery timer period.
     * @param recoveryTimeoutNanos recovery timeout.
     * @param r2Redundancy         R2-Push redundancy.
     * @param maxOutstandingPieces BitTorrent-Pull pipeline depth.
     */
    public DisseminationConfig
    {
        require(advertisePeriodNanos > 0, "advertisePeriodNanos must be positive");
        require(aggregationNanos >= 0, "aggregationNanos must not be negative");
        require(packetAirtimeNanos > 0, "packetAirtimeNanos must be positive");
        require(recoveryPeriodNanos > 0, "recoveryPeriodNanos must be positive");
        require(recoveryTimeoutNanos > 0, "recoveryTimeoutNanos must be positive");
        require(r2Redundancy >= 0, "r2Redundancy must not be negative");
        require(maxOutstandingPieces > 0, "maxOutstandingPieces must be positive");
    }

    /**
     * The defaults.
     *
     * @return a configuration of the {@code *_DEFAULT} values.
     */
    public static DisseminationConfig defaults()
    {
        return new DisseminationConfig(ADVERTISE_PERIOD_NANOS_DEFAULT, AGGREGATION_NANOS_DEFAULT,
            PACKET_AIRTIME_NANOS_DEFAULT, RECOVERY_PERIOD_NANOS_DEFAULT, RECOVERY_TIMEOUT_NANOS_DEFAULT,
            R2_REDUNDANCY_DEFAULT, MAX_OUTSTANDING_PIECES_DEFAULT);
    }

    /**
     * A copy with another data frame airtime.
     *
     * @param nanos expected airtime of one data frame.
     * @return the new configuration.
     */
    public DisseminationConfig withPacketAirtimeNanos(final long nanos)
    {
        return new DisseminationConfig(advertisePeriodNanos, aggregationNanos, nanos, recoveryPeriodNanos,
            recoveryTimeoutNanos, r2Redundancy, maxOutstandingPieces);
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
