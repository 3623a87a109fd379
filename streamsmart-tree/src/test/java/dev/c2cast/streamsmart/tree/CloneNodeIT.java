package dev.c2cast.streamsmart.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.c2cast.streamsmart.tree.internal.LatencyHistogram;

/**
 * Real sockets: a radix and 200 viewer clones ({@code -DcloneIt.viewers=N}) on loopback UDP in one JVM relay a
 * 2 Mbit/s synthetic RTP stream; once the tree is settled, 10% of the viewers are killed one after another. Every
 * survivor must receive every sequence number; after each kill the tree must be balanced again (the radix's model
 * holds exactly the survivors at minimum height and every survivor is attached where the model says) within
 * 500 ms, every one of them; clones without a valid token are refused and get no media at all. Prints, per kill, how
 * the repair time splits into detection (kill to the radix's first report of the victim), probe (report to
 * removal) and re-placement (removal to balanced), with the garbage collectors' time and the event loops' lag
 * meanwhile; then per-hop latency and repair-time percentiles, refuted suspicions and the largest event-loop lag.
 * Timings: 25 ms heartbeat, 100 ms liveness timeout (50 ms base probe window).
 */
class CloneNodeIT
{
    private static final int VIEWERS = Integer.getInteger("cloneIt.viewers", 200);
    private static final long REPAIR_BOUND_MILLIS = 500;
    private static final int PACKET_SIZE = 1250;
    private static final long PERIOD_MICROS = 5_000;

    @Test
    void twoHundredClonesSurviveTenPercentFailuresWithoutGaps() throws Exception
    {
        final TreeConfig config = TreeConfig.defaults()
            .withTimings(25_000_000L, 100_000_000L, 500_000_000L)
            .withRingCapacity(512);
        try (LoopbackCluster cluster = new LoopbackCluster(config, VIEWERS, 2, true))
        {
            final List<Long> alive = LoopbackCluster.ids(VIEWERS);
            final List<CloneNode> intruders = new ArrayList<>();
            for (long id = 1001; id <= 1003; id++)
            {
                intruders.add(cluster.addViewer(id));
            }
            cluster.radix().announce();
            assertTrue(LoopbackCluster.await(() -> balanced(cluster, alive), 30_000, 20),
                () -> "initial tree never formed: " + describe(cluster, alive));
            final long now = System.nanoTime();
            final long far = now + 3_600_000_000_000L;
            intruders.get(0).join(LoopbackCluster.RADIX, LoopbackCluster.STREAM, null, Intent.WATCH);
            intruders.get(1).join(LoopbackCluster.RADIX, LoopbackCluster.STREAM,
                cluster.radix().issueToken(1002, now - 1), Intent.WATCH);
            intruders.get(2).join(LoopbackCluster.RADIX, LoopbackCluster.STREAM,
                new StreamToken(LoopbackCluster.KEY).issue(LoopbackCluster.STREAM + 1, 1003, far), Intent.WATCH);

            cluster.startSource(PACKET_SIZE, PERIOD_MICROS, 100);
            assertTrue(LoopbackCluster.await(() -> cluster.lastSeqSent() > 200, 10_000, 10), "source did not start");
            // Failures are injected into a settled tree: balanced, and staying so for a second with media flowing.
            assertTrue(LoopbackCluster.await(() -> stable(cluster, alive, 1_000), 30_000, 10),
                () -> "tree never settled with media flowing: " + describe(cluster, alive));

            final SplittableRandom random = new SplittableRandom(2026);
            final List<Long> repairMillis = new ArrayList<>();
            for (int kill = 0; kill < VIEWERS / 10; kill++)
            {
                final long victim = alive.remove(random.nextInt(alive.size()));
                final MemberStats before = cluster.clones.get(victim).stats();
                final long gcBefore = gcMillis();
                final long killedAt = System.nanoTime();
                cluster.clones.get(victim).close();
                final boolean repaired = LoopbackCluster.await(() -> balanced(cluster, alive), 5_000, 10);
                final long balancedAt = System.nanoTime();
                final long millis = (balancedAt - killedAt) / 1_000_000;
                assertTrue(repaired, "tree not balanced 5 s after killing " + victim + ": " + describe(cluster, alive));
                repairMillis.add(millis);
                final long[] removal = cluster.radix().call(e -> e.removalTimes(victim));
                final MemberStats radixNow = cluster.radix().stats();
                System.out.printf("[clone-it] kill %d: member %d depth %d children %d repaired in %d ms "
                    + "(detected %d ms, probe %d ms, re-placed %d ms; gc %d ms; loop lag radix %d, viewers %d/%d ms)%n",
                    kill,
                    victim, before.depth(), before.children().length, millis,
                    removal == null ? -1 : (removal[0] - killedAt) / 1_000_000,
                    removal == null ? -1 : (removal[1] - removal[0]) / 1_000_000,
                    removal == null ? -1 : (balancedAt - removal[1]) / 1_000_000,
                    gcMillis() - gcBefore, radixNow.loopLagNanos() / 1_000_000,
                    cluster.clones.get(alive.get(0)).stats().loopLagNanos() / 1_000_000,
                    cluster.clones.get(alive.get(1)).stats().loopLagNanos() / 1_000_000);
                LoopbackCluster.await(() -> false, 100, 10);
            }
            LoopbackCluster.await(() -> false, 1_000, 50);
            cluster.stopSource();
            final int last = cluster.lastSeqSent();
            assertTrue(LoopbackCluster.await(() -> allHave(cluster, alive, last), 10_000, 20), "stream did not drain");

            final Map<Long, Integer> gaps = new HashMap<>();
            for (final long id : alive)
            {
                final int missing = cluster.gaps(id, last);
                if (missing != 0)
                {
                    gaps.put(id, missing);
                }
            }
            final LatencyHistogram hops = new LatencyHistogram();
            long repairs = 0;
            for (final long id : alive)
            {
                final CloneNode clone = cluster.clones.get(id);
                hops.add(clone.call(e -> clone.hopLatency().copy()));
                repairs += clone.stats().repairRequests();
            }
            long lagMax = 0;
            for (final long id : alive)
            {
                lagMax = Math.max(lagMax, cluster.clones.get(id).stats().loopLagMaxNanos());
            }
            final MemberStats radixStats = cluster.radix().stats();
            System.out.printf("[clone-it] false suspicions refuted by probe=%d, largest event-loop lag=%dms "
                + "(radix %dms)%n", radixStats.falseSuspicions(), lagMax / 1_000_000,
                radixStats.loopLagMaxNanos() / 1_000_000);
            final long[] sorted = repairMillis.stream().mapToLong(Long::longValue).sorted().toArray();
            final long repairP99 = sorted[(int)Math.ceil(sorted.length * 0.99) - 1];
            System.out.printf("[clone-it] viewers=%d killed=%d packets=%d hopLatency p50=%.3fms p99=%.3fms "
                + "max=%.3fms samples=%d repairTime p50=%dms p99=%dms max=%dms repairRequests=%d gaps=%s%n",
                VIEWERS, VIEWERS / 10, last + 1, hops.percentile(50) / 1e6, hops.percentile(99) / 1e6,
                hops.max() / 1e6, hops.count(), sorted[sorted.length / 2], repairP99, sorted[sorted.length - 1],
                repairs, gaps);
            assertEquals(Map.of(), gaps, "survivors missed sequence numbers");
            // The issue's bound: the tree is balanced again within 500 ms of each failure.
            assertTrue(sorted[sorted.length - 1] <= REPAIR_BOUND_MILLIS,
                "repairs took " + repairMillis + " ms (in kill order), each must be <= " + REPAIR_BOUND_MILLIS);

            final RefusalReason[] expected = {RefusalReason.NO_TOKEN, RefusalReason.EXPIRED, RefusalReason.WRONG_STREAM};
            for (int i = 0; i < intruders.size(); i++)
            {
                final MemberStats stats = intruders.get(i).stats();
                assertEquals("REFUSED", stats.state());
                assertEquals(expected[i], stats.refusal());
                assertEquals(0, stats.mediaBytesIn(), "intruder received media bytes");
                assertTrue(cluster.received.get(stats.member()).isEmpty());
            }
            assertNull(cluster.radix().stats().refusal());
        }
    }

    /** Total collection time of every garbage collector so far. */
    static long gcMillis()
    {
        long total = 0;
        for (final java.lang.management.GarbageCollectorMXBean gc
            : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans())
        {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** Balanced now and at every poll for the next {@code millis}. */
    static boolean stable(final LoopbackCluster cluster, final List<Long> alive, final long millis)
    {
        final long end = System.nanoTime() + millis * 1_000_000L;
        try
        {
            while (System.nanoTime() < end)
            {
                if (!balanced(cluster, alive))
                {
                    return false;
                }
                Thread.sleep(20);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    static String describe(final LoopbackCluster cluster, final List<Long> alive)
    {
        final StringBuilder sb = new StringBuilder();
        cluster.radix().call(e ->
        {
            final Topology model = e.topology();
            sb.append("model size=").append(model.size()).append(" height=").append(model.height())
                .append(" d=").append(model.fanOut()).append(" alive=").append(alive.size());
            return null;
        });
        final java.util.Set<Long> living = new java.util.HashSet<>(alive);
        for (final CloneNode clone : cluster.clones.values())
        {
            final long id = clone.memberId();
            final long modelParent = cluster.radix().call(e -> e.topology().contains(id) ? e.topology().parentOf(id)
                : Topology.NONE);
            if (id != LoopbackCluster.RADIX && !living.contains(id) && modelParent != Topology.NONE)
            {
                final String atRadix = cluster.radix().call(e -> e.diagnose(id));
                sb.append("\n dead ").append(id).append(" still in the model; ").append(atRadix);
                if (modelParent != LoopbackCluster.RADIX)
                {
                    final String atParent = cluster.clones.get(modelParent).call(e -> e.diagnose(id));
                    sb.append("; ").append(atParent);
                }
            }
        }
        int shown = 0;
        for (final long id : alive)
        {
            final MemberStats stats = cluster.clones.get(id).stats();
            final long modelParent = cluster.radix().call(e -> e.topology().parentOf(id));
            if (!"ATTACHED".equals(stats.state()) || stats.pendingParent() != Topology.NONE
                || stats.parent() != modelParent)
            {
                if (shown++ < 10)
                {
                    sb.append("\n ").append(id).append(' ').append(stats.state()).append(" parent=")
                        .append(stats.parent()).append(" pending=").append(stats.pendingParent())
                        .append(" model=").append(modelParent);
                    if (shown <= 3 && modelParent != Topology.NONE && cluster.clones.containsKey(modelParent))
                    {
                        final String atParent = cluster.clones.get(modelParent).call(e -> e.diagnose(id));
                        final String atRadix = cluster.radix().call(e -> e.diagnose(id));
                        final String itself = cluster.clones.get(id).call(e -> e.diagnose(id));
                        sb.append("; ").append(atParent).append("; at radix: ").append(atRadix)
                            .append("; itself: ").append(itself);
                    }
                }
            }
        }
        return sb.toString();
    }

    static boolean allHave(final LoopbackCluster cluster, final List<Long> alive, final int last)
    {
        for (final long id : alive)
        {
            if (cluster.clones.get(id).stats().newestSequence() < last)
            {
                return false;
            }
        }
        return true;
    }

    /** The radix's model holds exactly the live viewers at minimum height, and every viewer sits where it says. */
    static boolean balanced(final LoopbackCluster cluster, final List<Long> alive)
    {
        final Map<Long, Long> modelParents = cluster.radix().call(e ->
        {
            final Topology model = e.topology();
            if (model.size() != alive.size() || model.height() != TreeInvariants.minimumHeight(
                alive.size(), model.fanOut(), model.degreeCap(LoopbackCluster.RADIX)))
            {
                return null;
            }
            final Map<Long, Long> parents = new HashMap<>();
            for (final long id : alive)
            {
                if (!model.contains(id))
                {
                    return null;
                }
                parents.put(id, model.parentOf(id));
            }
            return parents;
        });
        if (modelParents == null)
        {
            return false;
        }
        final Map<Long, long[]> views;
        try
        {
            views = cluster.views(alive);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
        for (final long id : alive)
        {
            final long[] view = views.get(id);
            if (view == null || view[0] != TreeMember.State.ATTACHED.ordinal() || view[2] != Topology.NONE
                || view[1] != modelParents.get(id))
            {
                return false;
            }
        }
        return true;
    }
}
