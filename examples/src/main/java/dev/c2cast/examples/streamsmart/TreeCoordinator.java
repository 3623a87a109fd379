package dev.c2cast.examples.streamsmart;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The radix's view of the clone overlay (streamsmart.md, section III): where a joining clone attaches and how the
 * overlay is repaired when a clone leaves or dies.
 * <p>
 * In a {@link Shape#TREE} a joining clone attaches to the shallowest clone with a free slot (fewer than
 * {@code fanout} children), breadth first, so joins alone build a complete {@code fanout}-ary tree of minimal
 * height. The paper forces the tree to grow in width rather than past a depth of six levels: when every clone above
 * {@code maxDepth} is full, the newcomer goes to the shallowest clone with the fewest children. When a clone leaves,
 * each of its children is re-attached with its whole subtree by the same rule (never inside its own subtree). In a
 * {@link Shape#STAR} every clone is a child of the radix.
 * <p>
 * The paper builds the balanced tree with a distributed algorithm it does not specify; here the radix coordinates,
 * which every clone already contacts to join its stream. Confined to one thread.
 */
final class TreeCoordinator
{
    private final String radix;
    private final Shape shape;
    private final int fanout;
    private final int maxDepth;
    private final Map<String, String> parents = new HashMap<>();
    private final Map<String, List<String>> children = new LinkedHashMap<>();

    TreeCoordinator(final String radix, final Shape shape, final int fanout, final int maxDepth)
    {
        if (fanout < 1 || maxDepth < 1)
        {
            throw new IllegalArgumentException("fanout " + fanout + ", max depth " + maxDepth);
        }
        this.radix = radix;
        this.shape = shape;
        this.fanout = fanout;
        this.maxDepth = maxDepth;
        children.put(radix, new ArrayList<>());
    }

    String radix()
    {
        return radix;
    }

    Shape shape()
    {
        return shape;
    }

    int fanout()
    {
        return fanout;
    }

    /**
     * Attaches a new clone.
     *
     * @param node its unique name.
     * @return its parent.
     */
    String join(final String node)
    {
        if (children.containsKey(node))
        {
            throw new IllegalArgumentException("clone " + node + " already joined");
        }
        children.put(node, new ArrayList<>());
        return attach(node);
    }

    /**
     * Removes a clone and re-attaches its children with their subtrees.
     *
     * @param node the clone leaving; the radix cannot leave.
     * @return the re-attached children, in order.
     */
    List<String> leave(final String node)
    {
        if (radix.equals(node) || !children.containsKey(node))
        {
            throw new IllegalArgumentException("clone " + node + " is not a member");
        }
        final String parent = parents.remove(node);
        children.get(parent).remove(node);
        final List<String> orphans = children.remove(node);
        for (final String orphan : orphans)
        {
            parents.remove(orphan);
        }
        for (final String orphan : orphans)
        {
            attach(orphan);
        }
        return orphans;
    }

    private String attach(final String node)
    {
        final Set<String> excluded = subtree(node);
        String parent = null;
        if (shape == Shape.STAR)
        {
            parent = radix;
        }
        else
        {
            String widest = null;
            int widestDepth = Integer.MAX_VALUE;
            for (final Map.Entry<String, Integer> entry : breadthFirst().entrySet())
            {
                final String candidate = entry.getKey();
                final int depth = entry.getValue();
                if (excluded.contains(candidate) || depth >= maxDepth)
                {
                    continue;
                }
                final int count = children.get(candidate).size();
                if (count < fanout)
                {
                    parent = candidate;
                    break;
                }
                if (depth < widestDepth || (depth == widestDepth && count < children.get(widest).size()))
                {
                    widest = candidate;
                    widestDepth = depth;
                }
            }
            if (parent == null)
            {
                parent = widest == null ? radix : widest;
            }
        }
        parents.put(node, parent);
        children.get(parent).add(node);
        return parent;
    }

    private Map<String, Integer> breadthFirst()
    {
        final Map<String, Integer> depths = new LinkedHashMap<>();
        final Deque<String> queue = new ArrayDeque<>();
        queue.add(radix);
        depths.put(radix, 0);
        while (!queue.isEmpty())
        {
            final String node = queue.poll();
            for (final String child : children.get(node))
            {
                depths.put(child, depths.get(node) + 1);
                queue.add(child);
            }
        }
        return depths;
    }

    private Set<String> subtree(final String node)
    {
        final Set<String> nodes = new LinkedHashSet<>();
        final Deque<String> queue = new ArrayDeque<>();
        queue.add(node);
        while (!queue.isEmpty())
        {
            final String next = queue.poll();
            if (nodes.add(next))
            {
                queue.addAll(children.getOrDefault(next, List.of()));
            }
        }
        return nodes;
    }

    boolean contains(final String node)
    {
        return children.containsKey(node);
    }

    /**
     * The members in breadth-first order, starting with the radix.
     *
     * @return name to depth.
     */
    Map<String, Integer> depths()
    {
        return breadthFirst();
    }

    List<String> children(final String node)
    {
        final List<String> list = children.get(node);
        return list == null ? List.of() : Collections.unmodifiableList(list);
    }

    String parent(final String node)
    {
        return parents.get(node);
    }

    int size()
    {
        return children.size();
    }
}
