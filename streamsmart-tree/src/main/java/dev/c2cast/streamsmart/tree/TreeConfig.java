package dev.c2cast.streamsmart.tree;

/**
 * Immutable parameters of a stream's relay tree and of the liveness protocol, validated when built.
 *
 * @param topology                the interconnection strategy.
 * @param fanOut                  initial maximum children of a non-radix member (d); grows when the tree is full.
 * @param maxFanOut               ceiling on d when growing in width.
 * @param maxDepth                deepest level below the radix (the paper found a 7th level hurts).
 * @param radixDegreeCap          maximum children of the radix.
 * @param heartbeatIntervalNanos  period of the heartbeat tick.
 * @param livenessTimeoutNanos    silence after which a neighbour is suspected and reported to the radix (which
 *                                removes it if it also misses a probe, see {@link #probeWindowNanos()}).
 * @param tokenTtlNanos           lifetime of the join tokens the owner issues when announcing.
 * @param ringCapacity            recent packets each member keeps for hop-by-hop repair (a power of two).
 * @param relayThroughNonViewers  whether clones that ignore the stream may still relay it.
 * @param leaveTimeoutNanos       how long a leaving member keeps forwarding while its children move.
 */
public record TreeConfig(
    TopologyKind topology,
    int fanOut,
    int maxFanOut,
    int maxDepth,
    int radixDegreeCap,
    long heartbeatIntervalNanos,
    long livenessTimeoutNanos,
    long tokenTtlNanos,
    int ringCapacity,
    boolean relayThroughNonViewers,
    long leaveTimeoutNanos)
{
    /** Default topology. */
    public static final TopologyKind TOPOLOGY_DEFAULT = TopologyKind.BALANCED_TREE;
    /** Default initial fan-out. */
    public static final int FAN_OUT_DEFAULT = 4;
    /** Default fan-out ceiling. */
    public static final int MAX_FAN_OUT_DEFAULT = 64;
    /** Default depth limit (streamsmart.md: up to 6 levels keep loss under 5%). */
    public static final int MAX_DEPTH_DEFAULT = 6;
    /** Default radix degree cap. */
    public static final int RADIX_DEGREE_CAP_DEFAULT = 8;
    /** Default heartbeat period: 50 ms. */
    public static final long HEARTBEAT_INTERVAL_NANOS_DEFAULT = 50_000_000L;
    /** Default liveness timeout: 150 ms. */
    public static final long LIVENESS_TIMEOUT_NANOS_DEFAULT = 150_000_000L;
    /** Default token lifetime: one hour. */
    public static final long TOKEN_TTL_NANOS_DEFAULT = 3_600_000_000_000L;
    /**
     * Default ring capacity: 512 packets, about 2.5 s of a 2 Mbit/s stream of 1250-byte packets, several times the
     * longest repair. Every held packet is a live buffer, so a longer ring costs memory and garbage-collection work
     * in proportion (each member holds its own).
     */
    public static final int RING_CAPACITY_DEFAULT = 512;
    /** Default leave timeout: one second. */
    public static final long LEAVE_TIMEOUT_NANOS_DEFAULT = 1_000_000_000L;

    /**
     * Validates the parameters.
     *
     * @param topology                the interconnection strategy.
     * @param fanOut                  initial d.
     * @param maxFanOut               ceiling on d.
     * @param maxDepth                depth limit.
     * @param radixDegreeCap          radix cap.
     * @param heartbeatIntervalNanos  heartbeat period.
     * @param livenessTimeoutNanos    liveness timeout.
     * @param tokenTtlNanos           token lifetime.
     * @param ringCapacity            ring size, a power of two.
     * @param relayThroughNonViewers  non-viewer relay policy.
     * @param leaveTimeoutNanos       leave hand-over bound.
     */
    public TreeConfig
    {
        if (topology == null)
        {
            throw new IllegalArgumentException("topology is required");
        }
        if (fanOut < 1 || maxFanOut < fanOut)
        {
            throw new IllegalArgumentException("need 1 <= fanOut <= maxFanOut: " + fanOut + ", " + maxFanOut);
        }
        if (maxDepth < 1 || radixDegreeCap < 1)
        {
            throw new IllegalArgumentException("maxDepth and radixDegreeCap must be positive");
        }
        if (heartbeatIntervalNanos <= 0 || livenessTimeoutNanos <= heartbeatIntervalNanos)
        {
            throw new IllegalArgumentException("need 0 < heartbeat interval < liveness timeout");
        }
        if (tokenTtlNanos <= 0 || leaveTimeoutNanos <= 0)
        {
            throw new IllegalArgumentException("token TTL and leave timeout must be positive");
        }
        if (ringCapacity < 2 || Integer.bitCount(ringCapacity) != 1)
        {
            throw new IllegalArgumentException("ringCapacity must be a power of two >= 2: " + ringCapacity);
        }
    }

    /**
     * The least time the radix waits for a member reported lost to answer its probe before removing it: the larger
     * of two heartbeat periods and half the liveness timeout. The radix waits longer when it knows of event-loop
     * lag (the member's last advertised lag, twice, and its own) and when recent probes were answered late (twice
     * the recent slowest answer), so the window tracks how loaded the clones are.
     *
     * @return the base probe window in nanoseconds.
     */
    public long probeWindowNanos()
    {
        return Math.max(2 * heartbeatIntervalNanos, livenessTimeoutNanos / 2);
    }

    /**
     * The defaults: balanced tree, d = 4, depth 6, radix cap 8, 50 ms heartbeat, 150 ms timeout.
     *
     * @return the default configuration.
     */
    public static TreeConfig defaults()
    {
        return new TreeConfig(TOPOLOGY_DEFAULT, FAN_OUT_DEFAULT, MAX_FAN_OUT_DEFAULT, MAX_DEPTH_DEFAULT,
            RADIX_DEGREE_CAP_DEFAULT, HEARTBEAT_INTERVAL_NANOS_DEFAULT, LIVENESS_TIMEOUT_NANOS_DEFAULT,
            TOKEN_TTL_NANOS_DEFAULT, RING_CAPACITY_DEFAULT, false, LEAVE_TIMEOUT_NANOS_DEFAULT);
    }

    /**
     * A copy with another topology.
     *
     * @param kind the strategy.
     * @return the new configuration.
     */
    public TreeConfig withTopology(final TopologyKind kind)
    {
        return new TreeConfig(kind, fanOut, maxFanOut, maxDepth, radixDegreeCap, heartbeatIntervalNanos,
            livenessTimeoutNanos, tokenTtlNanos, ringCapacity, relayThroughNonViewers, leaveTimeoutNanos);
    }

    /**
     * A copy with another shape.
     *
     * @param fanOut         initial d.
     * @param maxDepth       depth limit.
     * @param radixDegreeCap radix cap.
     * @return the new configuration.
     */
    public TreeConfig withShape(final int fanOut, final int maxDepth, final int radixDegreeCap)
    {
        return new TreeConfig(topology, fanOut, Math.max(maxFanOut, fanOut), maxDepth, radixDegreeCap,
            heartbeatIntervalNanos, livenessTimeoutNanos, tokenTtlNanos, ringCapacity, relayThroughNonViewers,
            leaveTimeoutNanos);
    }

    /**
     * A copy with other liveness timings.
     *
     * @param heartbeatIntervalNanos heartbeat period.
     * @param livenessTimeoutNanos   silence before a neighbour is lost.
     * @param leaveTimeoutNanos      graceful-leave hand-over bound.
     * @return the new configuration.
     */
    public TreeConfig withTimings(
        final long heartbeatIntervalNanos, final long livenessTimeoutNanos, final long leaveTimeoutNanos)
    {
        return new TreeConfig(topology, fanOut, maxFanOut, maxDepth, radixDegreeCap, heartbeatIntervalNanos,
            livenessTimeoutNanos, tokenTtlNanos, ringCapacity, relayThroughNonViewers, leaveTimeoutNanos);
    }

    /**
     * A copy with another ring capacity.
     *
     * @param ringCapacity packets kept per member, a power of two.
     * @return the new configuration.
     */
    public TreeConfig withRingCapacity(final int ringCapacity)
    {
        return new TreeConfig(topology, fanOut, maxFanOut, maxDepth, radixDegreeCap, heartbeatIntervalNanos,
            livenessTimeoutNanos, tokenTtlNanos, ringCapacity, relayThroughNonViewers, leaveTimeoutNanos);
    }

    /**
     * A copy with another non-viewer relay policy.
     *
     * @param allowed whether clones that ignore the stream may relay it.
     * @return the new configuration.
     */
    public TreeConfig withRelayThroughNonViewers(final boolean allowed)
    {
        return new TreeConfig(topology, fanOut, maxFanOut, maxDepth, radixDegreeCap, heartbeatIntervalNanos,
            livenessTimeoutNanos, tokenTtlNanos, ringCapacity, allowed, leaveTimeoutNanos);
    }

    /**
     * A copy with another token lifetime.
     *
     * @param tokenTtlNanos lifetime of issued tokens.
     * @return the new configuration.
     */
    public TreeConfig withTokenTtl(final long tokenTtlNanos)
    {
        return new TreeConfig(topology, fanOut, maxFanOut, maxDepth, radixDegreeCap, heartbeatIntervalNanos,
            livenessTimeoutNanos, tokenTtlNanos, ringCapacity, relayThroughNonViewers, leaveTimeoutNanos);
    }
}
