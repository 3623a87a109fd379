package dev.c2cast.streamsmart.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The paper's star-versus-tree demonstration on real sockets: 16 receivers, the radix on its own event-loop thread,
 * the same 2 Mbit/s stream for the same time; compares the radix's CPU time per second of stream and its egress
 * copies per packet (16 in the star, at most d = 4 in the tree).
 */
class StarVersusTreeIT
{
    private static final int RECEIVERS = 16;
    private static final long STREAM_MILLIS = 4_000;

    @Test
    void treeRelievesTheRadix() throws Exception
    {
        final double[] star = run(TopologyKind.STAR);
        final double[] tree = run(TopologyKind.BALANCED_TREE);
        System.out.printf("[star-vs-tree] receivers=%d star: radixCpu=%.2fms/s copies/packet=%.2f | tree: "
            + "radixCpu=%.2fms/s copies/packet=%.2f | cpu ratio star/tree=%.2f%n",
            RECEIVERS, star[0], star[1], tree[0], tree[1], star[0] / tree[0]);
        assertEquals(16.0, star[1], 0.05);
        assertTrue(tree[1] <= 4.05, "tree radix copies per packet " + tree[1]);
        assertTrue(star[0] > tree[0], "the star's radix should spend more CPU than the tree's");
    }

    /** Returns {radix CPU ms per second of stream, radix egress copies per packet}. */
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
            final long start = System.nanoTime();
            LoopbackCluster.await(() -> false, STREAM_MILLIS, 100);
            final MemberStats after = cluster.radix().stats();
            final double seconds = (System.nanoTime() - start) / 1e9;
            cluster.stopSource();
            final long published = after.newestSequence() - before.newestSequence();
            final double copies = (after.mediaPacketsOut() - before.mediaPacketsOut()) / (double)published;
            final double cpuMsPerSecond = (after.eventLoopCpuNanos() - before.eventLoopCpuNanos()) / 1e6 / seconds;
            return new double[] {cpuMsPerSecond, copies};
        }
    }
}
