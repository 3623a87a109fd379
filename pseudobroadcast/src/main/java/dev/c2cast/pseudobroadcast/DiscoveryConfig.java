package dev.c2cast.pseudobroadcast;

/**
 * Parameters of {@link PeerDiscovery}, validated when built.
 *
 * @param beaconIntervalNanos mean time between two beacons of a node.
 * @param jitter              each interval is drawn uniformly in {@code interval * [1 - jitter, 1 + jitter]}, so
 *                            nodes started together do not beacon in lock step; in [0, 1).
 * @param peerTimeoutNanos    a peer silent this long has left; at least two intervals.
 */
public record DiscoveryConfig(long beaconIntervalNanos, double jitter, long peerTimeoutNanos)
{
    /** Default beacon interval: 1 s. */
    public static final long BEACON_INTERVAL_NANOS_DEFAULT = 1_000_000_000L;
    /** Default jitter: 10 %. */
    public static final double JITTER_DEFAULT = 0.1;
    /** Default peer timeout: 3.5 intervals, so two consecutive lost beacons do not evict a peer. */
    public static final long PEER_TIMEOUT_NANOS_DEFAULT = 3_500_000_000L;

    /**
     * Validates the parameters.
     *
     * @param beaconIntervalNanos see the record description.
     * @param jitter see the record description.
     * @param peerTimeoutNanos see the record description.
     */
    public DiscoveryConfig
    {
        if (beaconIntervalNanos <= 0)
        {
            throw new IllegalArgumentException("beaconIntervalNanos must be positive");
        }
        if (!(jitter >= 0 && jitter < 1))
        {
            throw new IllegalArgumentException("jitter must be in [0, 1)");
        }
        if (peerTimeoutNanos < 2 * beaconIntervalNanos)
        {
            throw new IllegalArgumentException("peerTimeoutNanos must be at least two beacon intervals");
        }
    }

    /**
     * The defaults.
     *
     * @return a configuration of the {@code *_DEFAULT} values.
     */
    public static DiscoveryConfig defaults()
    {
        return new DiscoveryConfig(BEACON_INTERVAL_NANOS_DEFAULT, JITTER_DEFAULT, PEER_TIMEOUT_NANOS_DEFAULT);
    }
}
