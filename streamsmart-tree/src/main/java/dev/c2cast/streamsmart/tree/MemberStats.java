package dev.c2cast.streamsmart.tree;

/**
 * A snapshot of one clone's place in the tree and of its data plane.
 *
 * @param member              the member id.
 * @param role                radix, internal or leaf.
 * @param state               protocol state name (IDLE, JOINING, ATTACHING, ATTACHED, REFUSED, LEFT, ENDED).
 * @param refusal             why the join was refused, or null.
 * @param depth               depth in the tree (radix 0), -1 before placement.
 * @param parent              parent member id, {@link Topology#NONE} if none.
 * @param pendingParent       parent being attached to, {@link Topology#NONE} if none.
 * @param children            children member ids.
 * @param mediaPacketsIn      media datagrams received (including duplicates).
 * @param mediaBytesIn        media bytes received.
 * @param mediaPacketsOut     media datagrams sent to children (including replays).
 * @param mediaBytesOut       media bytes sent.
 * @param delivered           distinct packets delivered to the phone.
 * @param duplicates          duplicates dropped.
 * @param lost                sequence numbers between the first and newest packet never received.
 * @param newestSequence      newest extended sequence number held, -1 before any.
 * @param hopLatencyP50Nanos  median latency from the parent's send to this clone's receive.
 * @param hopLatencyP99Nanos  99th percentile of the same.
 * @param hopLatencySamples   number of latency samples.
 * @param repairRequests      replays this clone asked for (gaps and upstream repairs).
 * @param parentChanges       times this clone attached to a new parent.
 * @param eventLoopCpuNanos   CPU time of the event-loop thread running this clone (shared by the clones on it).
 * @param loopLagNanos        recent event-loop lag: how late this clone's heartbeat timer fired, a decaying maximum.
 * @param loopLagMaxNanos     largest event-loop lag seen since start.
 * @param falseSuspicions     radix only: members reported lost that answered the radix's probe and were kept.
 * @param published           radix only: RTP packets published into the tree (egress copies per packet are
 *                            ({@code mediaPacketsOut - mediaPacketsReplayed}) / {@code published}).
 * @param mediaPacketsReplayed datagrams of {@code mediaPacketsOut} sent from the ring (resumes after an attach, gap
 *                            repairs) rather than forwarded as they arrived.
 */
public record MemberStats(
    long member,
    Role role,
    String state,
    RefusalReason refusal,
    int depth,
    long parent,
    long pendingParent,
    long[] children,
    long mediaPacketsIn,
    long mediaBytesIn,
    long mediaPacketsOut,
    long mediaBytesOut,
    long delivered,
    long duplicates,
    long lost,
    long newestSequence,
    long hopLatencyP50Nanos,
    long hopLatencyP99Nanos,
    long hopLatencySamples,
    long repairRequests,
    long parentChanges,
    long eventLoopCpuNanos,
    long loopLagNanos,
    long loopLagMaxNanos,
    long falseSuspicions,
    long published,
    long mediaPacketsReplayed)
{
    /**
     * Copies the children array so the record stays immutable.
     *
     * @param member             the member id.
     * @param role               role.
     * @param state              state name.
     * @param refusal            refusal or null.
     * @param depth              depth.
     * @param parent             parent.
     * @param pendingParent      pending parent.
     * @param children           children.
     * @param mediaPacketsIn     packets in.
     * @param mediaBytesIn       bytes in.
     * @param mediaPacketsOut    packets out.
     * @param mediaBytesOut      bytes out.
     * @param delivered          delivered.
     * @param duplicates         duplicates.
     * @param lost               lost.
     * @param newestSequence     newest sequence.
     * @param hopLatencyP50Nanos latency p50.
     * @param hopLatencyP99Nanos latency p99.
     * @param hopLatencySamples  latency samples.
     * @param repairRequests     repair requests.
     * @param parentChanges      parent changes.
     * @param eventLoopCpuNanos  event-loop CPU time.
     * @param loopLagNanos       recent event-loop lag.
     * @param loopLagMaxNanos    largest event-loop lag.
     * @param falseSuspicions    refuted loss reports (radix).
     * @param published          packets published (radix).
     * @param mediaPacketsReplayed datagrams sent from the ring.
     */
    public MemberStats
    {
        children = children.clone();
    }

    /**
     * The children (a copy).
     *
     * @return children member ids.
     */
    @Override
    public long[] children()
    {
        return children.clone();
    }
}
