package dev.c2cast.streamsmart.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

/**
 * The radix's model alone, under long random add/remove sequences: after every operation it is a tree of bounded
 * degree, complete (no free slot above the deepest member), within the depth bound, and, without leaf-only
 * members, exactly as high as the closed form says; every move names a member and a parent present in the tree.
 */
class TopologyPropertyTest
{
    @Property(seeds = 300)
    void balancedTreeStaysCompleteUnderChurn(final Gen gen)
    {
        final boolean withLeafOnly = gen.chance(0.3);
        final TreeConfig config = TreeConfig.defaults()
            .withShape(gen.intBetween(1, 5), gen.intBetween(1, 6), gen.intBetween(1, 8));
        final BalancedTreeTopology tree = new BalancedTreeTopology(config, 0);
        final List<Long> members = new ArrayList<>();
        final Set<Long> leafOnly = new HashSet<>();
        final List<Topology.Move> moves = new ArrayList<>();
        long next = 1;
        final int steps = gen.intBetween(1, 600);
        for (int step = 0; step < steps; step++)
        {
            moves.clear();
            if (members.isEmpty() || gen.chance(0.6))
            {
                final long id = next++;
                final boolean lo = withLeafOnly && gen.chance(0.2);
                if (tree.add(id, lo, moves))
                {
                    members.add(id);
                    if (lo)
                    {
                        leafOnly.add(id);
                    }
                }
                else
                {
                    assertEquals(config.maxFanOut(), tree.fanOut(), "refused below the fan-out ceiling");
                }
            }
            else
            {
                final long id = members.remove(gen.nextInt(members.size()));
                assertTrue(tree.remove(id, moves));
            }
            for (final Topology.Move move : moves)
            {
                if (move.parent() == Topology.NONE)
                {
                    assertTrue(!tree.contains(move.member()), "dropped member still in the tree");
                    assertTrue(leafOnly.contains(move.member()) || tree.fanOut() == config.maxFanOut(),
                        "dropped with capacity left");
                    members.remove(move.member());
                    continue;
                }
                if (tree.contains(move.member()) && tree.parentOf(move.member()) == move.parent())
                {
                    continue;
                }
                // A member may move twice in one operation; only its last move must match the model.
                boolean later = false;
                for (int i = moves.indexOf(move) + 1; i < moves.size(); i++)
                {
                    later |= moves.get(i).member() == move.member();
                }
                assertTrue(later, "stale move " + move);
            }
            check(tree, members, leafOnly, config, !withLeafOnly);
        }
    }

    static void check(
        final Topology tree,
        final List<Long> members,
        final Set<Long> leafOnly,
        final TreeConfig config,
        final boolean checkFormula)
    {
        assertEquals(members.size(), tree.size());
        final Map<Long, Integer> childCount = new HashMap<>();
        int height = 0;
        for (final long m : members)
        {
            long cursor = m;
            int depth = 0;
            while (cursor != tree.radix())
            {
                cursor = tree.parentOf(cursor);
                depth++;
                if (depth > members.size() + 1 || cursor == Topology.NONE)
                {
                    fail("member " + m + " does not reach the radix");
                }
            }
            assertEquals(depth, tree.depthOf(m));
            height = Math.max(height, depth);
            childCount.merge(tree.parentOf(m), 1, Integer::sum);
        }
        assertEquals(height, tree.height());
        int shallowestFree = Integer.MAX_VALUE;
        final List<Long> all = new ArrayList<>(members);
        all.add(tree.radix());
        for (final long m : all)
        {
            final int children = childCount.getOrDefault(m, 0);
            assertEquals(children, tree.childCount(m));
            final int cap = tree.degreeCap(m);
            assertTrue(children <= cap, m + " has " + children + " > cap " + cap);
            if (leafOnly.contains(m))
            {
                assertEquals(0, children, "leaf-only member has children");
            }
            if (children < cap && tree.depthOf(m) < config.maxDepth())
            {
                shallowestFree = Math.min(shallowestFree, tree.depthOf(m) + 1);
            }
        }
        final int n = members.size();
        final int d = tree.fanOut();
        assertTrue(height <= Math.max(TreeInvariants.ceilLog(d, n), config.maxDepth()), "too deep: " + height);
        if (n > 0)
        {
            assertTrue(shallowestFree >= height, "free slot at " + shallowestFree + " above height " + height);
        }
        if (checkFormula && n > 0)
        {
            assertEquals(TreeInvariants.minimumHeight(n, d, config.radixDegreeCap()), height, "not minimal");
        }
    }
}
