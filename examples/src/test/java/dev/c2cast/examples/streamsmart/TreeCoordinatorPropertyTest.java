package dev.c2cast.examples.streamsmart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;
import org.junit.jupiter.api.Test;

class TreeCoordinatorPropertyTest
{
    private static int minimalHeight(final int members, final int fanout)
    {
        int height = 0;
        long capacity = 0;
        long level = 1;
        while (capacity < members)
        {
            level *= fanout;
            capacity += level;
            height++;
        }
        return height;
    }

    private static void assertSpanningTree(final TreeCoordinator tree, final Set<String> live)
    {
        final Map<String, Integer> depths = tree.depths();
        assertEquals(live.size() + 1, depths.size(), "every live clone reachable from the radix exactly once");
        assertEquals(live.size() + 1, tree.size());
        for (final String node : live)
        {
            assertTrue(depths.containsKey(node), node + " reachable");
            final String parent = tree.parent(node);
            assertTrue(tree.children(parent).contains(node), node + " listed under its parent");
            assertEquals(depths.get(parent) + 1, depths.get(node));
        }
    }

    @Property(seeds = 200)
    void joinsAloneBuildACompleteTreeOfMinimalHeight(final Gen gen)
    {
        final int fanout = gen.intBetween(1, 5);
        final int members = gen.intBetween(0, 60);
        final TreeCoordinator tree = new TreeCoordinator("radix", Shape.TREE, fanout, 64);
        final Set<String> live = new HashSet<>();
        for (int i = 0; i < members; i++)
        {
            tree.join("c" + i);
            live.add("c" + i);
        }
        assertSpanningTree(tree, live);
        final int height = tree.depths().values().stream().mapToInt(Integer::intValue).max().orElse(0);
        assertEquals(minimalHeight(members, fanout), height, members + " clones, fan-out " + fanout);
        for (final String node : tree.depths().keySet())
        {
            assertTrue(tree.children(node).size() <= fanout);
        }
    }

    @Property(seeds = 200)
    void joinsAndLeavesKeepASpanningTreeWithinBounds(final Gen gen)
    {
        final int fanout = gen.intBetween(1, 4);
        final int maxDepth = gen.intBetween(1, 6);
        final Shape shape = gen.chance(0.2) ? Shape.STAR : Shape.TREE;
        final TreeCoordinator tree = new TreeCoordinator("radix", shape, fanout, maxDepth);
        final Set<String> live = new HashSet<>();
        final List<String> order = new ArrayList<>();
        final int steps = gen.intBetween(1, 120);
        for (int i = 0; i < steps; i++)
        {
            if (!order.isEmpty() && gen.chance(0.35))
            {
                final String leaving = order.remove(gen.intBetween(0, order.size() - 1));
                live.remove(leaving);
                tree.leave(leaving);
            }
            else
            {
                final String node = "c" + i;
                tree.join(node);
                live.add(node);
                order.add(node);
            }
            assertSpanningTree(tree, live);
        }
        if (shape == Shape.STAR)
        {
            assertEquals(live.size(), tree.children("radix").size(), "star: every clone under the radix");
        }
        else if (live.size() == steps && live.size() <= capacityAbove(fanout, maxDepth))
        {
            for (final Map.Entry<String, Integer> entry : tree.depths().entrySet())
            {
                assertTrue(tree.children(entry.getKey()).size() <= fanout, "fan-out respected while there is room");
                assertTrue(entry.getValue() <= maxDepth, "depth bound respected while there is room");
            }
        }
    }

    private static long capacityAbove(final int fanout, final int maxDepth)
    {
        long total = 0;
        long level = 1;
        for (int d = 1; d <= maxDepth; d++)
        {
            level *= fanout;
            total += level;
        }
        return total;
    }

    @Test
    void leaveReattachesOrphansWithTheirSubtrees()
    {
        final TreeCoordinator tree = new TreeCoordinator("r", Shape.TREE, 2, 6);
        for (int i = 1; i <= 6; i++)
        {
            tree.join("c" + i);
        }
        // r -> c1, c2; c1 -> c3, c4; c2 -> c5, c6
        assertEquals(List.of("c3", "c4"), tree.children("c1"));
        assertEquals(List.of("c3", "c4"), tree.leave("c1"));
        assertEquals(List.of("c2", "c3"), tree.children("r"));
        assertEquals("c3", tree.parent("c4"));
        assertEquals(Map.of("r", 0, "c2", 1, "c3", 1, "c5", 2, "c6", 2, "c4", 2), tree.depths());
    }

    @Test
    void fullDepthBoundGrowsInWidth()
    {
        final TreeCoordinator tree = new TreeCoordinator("r", Shape.TREE, 2, 1);
        for (int i = 1; i <= 5; i++)
        {
            tree.join("c" + i);
        }
        assertEquals(5, tree.children("r").size());
    }
}
