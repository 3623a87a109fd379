package dev.c2cast.streamsmart.tree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An example of the "social-graph" strategy the paper leaves room for, plugged in through
 * {@link CloneNode#radix(CloneConfig, long, byte[], java.util.Collection, Topology)}: a joining viewer is seated
 * under a friend already in the tree (the shallowest friend with a free slot), so a stream travels along social
 * ties; without one, under the shallowest member with a free slot. When a member leaves or fails, each of its
 * children is seated again by the same rule, with its subtree. Fan-out d and the radix's cap bound every degree;
 * when no slot is left, d grows by one. Test-only; confined to the radix's loop.
 */
final class SocialGraphTopology implements Topology
{
    private final long radix;
    private final int radixCap;
    private final Map<Long, Set<Long>> friends;
    private final Map<Long, Long> parents = new HashMap<>();
    private final Map<Long, LinkedHashMap<Long, Boolean>> children = new HashMap<>();
    private final Set<Long> leafOnly = new HashSet<>();
    private int fanOut;

    SocialGraphTopology(final long radix, final int fanOut, final int radixCap, final Map<Long, Set<Long>> friends)
    {
        this.radix = radix;
        this.fanOut = fanOut;
        this.radixCap = radixCap;
        this.friends = friends;
        children.put(radix, new LinkedHashMap<>());
    }

    @Override
    public long radix()
    {
        return radix;
    }

    @Override
    public boolean add(final long member, final boolean leafOnlyMember, final List<Move> moves)
    {
        if (contains(member))
        {
            throw new IllegalArgumentException("already in the tree: " + member);
        }
        children.put(member, new LinkedHashMap<>());
        if (leafOnlyMember)
        {
            leafOnly.add(member);
        }
        seat(member, moves);
        return true;
    }

    @Override
    public boolean remove(final long member, final List<Move> moves)
    {
        if (member == radix || !children.containsKey(member))
        {
            return false;
        }
        final List<Long> orphans = new ArrayList<>(children.remove(member).keySet());
        final Long parent = parents.remove(member);
        if (parent != null)
        {
            children.get(parent).remove(member);
        }
        leafOnly.remove(member);
        for (final long orphan : orphans)
        {
            parents.remove(orphan);
        }
        for (final long orphan : orphans)
        {
            seat(orphan, moves);
        }
        return true;
    }

    @Override
    public boolean contains(final long member)
    {
        return children.containsKey(member);
    }

    @Override
    public long parentOf(final long member)
    {
        final Long parent = parents.get(member);
        return parent == null ? NONE : parent;
    }

    @Override
    public int depthOf(final long member)
    {
        if (!contains(member))
        {
            return -1;
        }
        int depth = 0;
        for (long m = member; m != radix; m = parents.get(m))
        {
            depth++;
        }
        return depth;
    }

    @Override
    public int childCount(final long member)
    {
        final LinkedHashMap<Long, Boolean> own = children.get(member);
        return own == null ? 0 : own.size();
    }

    @Override
    public int degreeCap(final long member)
    {
        return member == radix ? radixCap : leafOnly.contains(member) ? 0 : fanOut;
    }

    @Override
    public int size()
    {
        return children.size() - 1;
    }

    @Override
    public int height()
    {
        int height = 0;
        for (final long member : parents.keySet())
        {
            height = Math.max(height, depthOf(member));
        }
        return height;
    }

    @Override
    public int fanOut()
    {
        return fanOut;
    }

    /** Seats a detached member (with its subtree) under a friend if one has room, else at the shallowest slot. */
    private void seat(final long member, final List<Move> moves)
    {
        while (true)
        {
            long best = NONE;
            int bestDepth = Integer.MAX_VALUE;
            for (final long friend : friends.getOrDefault(member, Set.of()))
            {
                if (attached(friend) && hasRoom(friend) && !inSubtree(friend, member))
                {
                    final int depth = depthOf(friend);
                    if (depth < bestDepth || (depth == bestDepth && friend < best))
                    {
                        best = friend;
                        bestDepth = depth;
                    }
                }
            }
            if (best == NONE)
            {
                best = shallowestSlot(member);
            }
            if (best != NONE)
            {
                parents.put(member, best);
                children.get(best).put(member, Boolean.TRUE);
                moves.add(new Move(member, best));
                return;
            }
            fanOut++;
        }
    }

    private long shallowestSlot(final long moving)
    {
        final ArrayDeque<Long> queue = new ArrayDeque<>();
        queue.add(radix);
        while (!queue.isEmpty())
        {
            final long m = queue.poll();
            if (m == moving)
            {
                continue;
            }
            if (hasRoom(m))
            {
                return m;
            }
            queue.addAll(children.get(m).keySet());
        }
        return NONE;
    }

    private boolean hasRoom(final long member)
    {
        return childCount(member) < degreeCap(member);
    }

    /** In the tree and connected to the radix (not a detached orphan waiting for its seat). */
    private boolean attached(final long member)
    {
        if (!contains(member))
        {
            return false;
        }
        long m = member;
        while (m != radix)
        {
            final Long parent = parents.get(m);
            if (parent == null)
            {
                return false;
            }
            m = parent;
        }
        return true;
    }

    private boolean inSubtree(final long candidate, final long root)
    {
        for (Long m = candidate; m != null; m = parents.get(m))
        {
            if (m == root)
            {
                return true;
            }
        }
        return false;
    }
}
