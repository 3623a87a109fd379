package dev.c2cast.streamsmart.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The paper's star-versus-tree demonstration on real sockets: 16 receivers, the radix on its own event-loop thread,
 * the same 2 Mbit/s stream for the same time; compares the radix's CPU time per published packet and its egress
 * copies per packet (16 in the star, at most d = 4 in the tree).
 * <p>
 * CPU time is compared per published packet, not per second: on this shared machine the source's thread is sometimes
 * held up, and a run that publishes fewer packets spends less CPU per second whatever its topology (one CI run
 * measured the star at 38.7 ms/s against the usual 57, with 16 copies per packet all the same), and the host slows
 * a thread's CPU time by up to half for seconds at a time (docs/microcast-nc/BENCHMARKS.md, session 5). So the two
 * topologies run in three alternating rounds and the median of the rounds' star/tree ratios must exceed 1: one
 * disturbed round does not decide.
 */
class StarVersusTreeIT
{
    private static final int RECEIVERS = 16;
    private static final long STREAM_MILLIS = 4_000;
    private static final int ROUNDS = 3;

    @Test
    void treeRelievesTheRadix() throws Exception
    {
        final double[] ratios = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++)
        {
            final double[] star = run(TopologyKind.STAR);
            final double[] tree = run(TopologyKind.BALANCED_TREE);
            ratios[round] = star[0] / tree[0];
            System.out.printf("[star-vs-tree] round %d receivers=%d star: radixCpu=%.1fus/packet copies/packet=%.2f "
                + "packets=%.0f | tree: radixCpu=%.1fus/packet copies/packet=%.2f packets=%.0f | cpu ratio "
                + "star/tree=%.2f%n", round, RECEIVERS, star[0], star[1], star[2], tree[0], tree[1], tree[2],
                ratios[round]);
            assertEquals(16.0, star[1], 0.05);
            assertTrue(tree[1] <= 4.05, "tree radix copies per packet " + tree[1]);
        }
        final double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        final double median = sorted[ROUNDS / 2];
        System.out.printf("[star-vs-tree] median radix CPU ratio star/tree over %d rounds: %.2f %s%n", ROUNDS, median,
            Arrays.toString(ratios));
        assertTrue(median > 1.0, "the star's radix should spend more CPU per packet than the tree's: " +
            Arrays.toString(ratios));
    }

    /** Returns {radix CPU microseconds per published packet, radix egress copies per packet, packets published}. */
    private static double[] run(final TopologyKind kind) throws Exception
    {
        final TreeConfig config = TreeConfig.defaults().withTopology(kind).withShape(4, 6, 4)
            .withTimings(50_000_000L, 250_000_000L, 500_000_000L);
        try (LoopbackCluster cluster = new LoopbackCluster(config, RECEIVERS, 1, true))
        {
            final List<Long> all = LoopbackCluster.ids(RECEIVERS);
            cluster.radix().announce();
            assertTrue(LoopbackCluster.await(() -> CloneNodeIT.balanced(cluster, all), 20_000, 20), kind.name());
            cluster.startSource(1250, 5_000, 100);
            LoopbackCluster.await(() -> false, 500, 50);
            final MemberStats before = cluster.radix().stats();
            LoopbackCluster.await(() -> false, STREAM_MILLIS, 100);
            final MemberStats after = cluster.radix().stats();
            cluster.stopSource();
            final long published = after.newestSequence() - before.newestSequence();
            assertTrue(published > 0, kind + " published nothing");
            final double copies = (after.mediaPacketsOut() - before.mediaPacketsOut()) / (double)published;
            final double cpuMicrosPerPacket = (after.eventLoopCpuNanos() - before.eventLoopCpuNanos()) / 1e3 / published;
            return new double[] {cpuMicrosPerPacket, copies, published};
        }
    }
}
