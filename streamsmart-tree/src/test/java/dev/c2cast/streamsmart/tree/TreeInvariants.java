package dev.c2cast.streamsmart.tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The overlay's invariants, checked on a simulation once it has been quiet for a repair window: the physical tree
 * (each member's own parent pointer and each parent's children) and the radix's model.
 */
final class TreeInvariants
{
    private TreeInvariants()
    {
    }

    /** Members that want to be in the tree: alive, not hung, and joining or joined. */
    static List<TreeSimulation.Node> expectedMembers(final TreeSimulation sim)
    {
        final List<TreeSimulation.Node> expected = new ArrayList<>();
        for (final TreeSimulation.Node node : sim.nodes())
        {
            if (node.id == TreeSimulation.RADIX || !node.alive || node.hung())
            {
                continue;
            }
            final TreeMember.State state = node.engine.state();
            if (state == TreeMember.State.JOINING || state == TreeMember.State.ATTACHING
                || state == TreeMember.State.ATTACHED)
            {
                expected.add(node);
            }
        }
        return expected;
    }

    /**
     * Every invariant of the issue; returns the violations (empty when all hold).
     *
     * @param sim            the simulation, quiet for at least one repair window.
     * @param authorized     the access list.
     * @param checkFormula   whether to check the height against the closed form (no leaf-only members).
     * @param gapCheckUpTo   last sequence number every member must have received, or -1 to skip media checks.
     */
    static List<String> check(
        final TreeSimulation sim, final Set<Long> authorized, final boolean checkFormula, final long gapCheckUpTo)
    {
        final List<String> violations = new ArrayList<>();
        final TreeMember radix = sim.radix();
        final Topology model = radix.topology();
        final List<TreeSimulation.Node> expected = expectedMembers(sim);
        final Map<Long, TreeSimulation.Node> byId = new HashMap<>();
        for (final TreeSimulation.Node node : sim.nodes())
        {
            byId.put(node.id, node);
        }
        final Map<Long, Integer> parentCount = new HashMap<>();
        for (final TreeSimulation.Node node : sim.nodes())
        {
            if (!node.alive || node.hung())
            {
                continue;
            }
            for (final long child : node.engine.children())
            {
                parentCount.merge(child, 1, Integer::sum);
            }
        }
        int height = 0;
        final Map<Long, Integer> depths = new HashMap<>();
        depths.put(TreeSimulation.RADIX, 0);
        for (final TreeSimulation.Node node : expected)
        {
            final TreeMember m = node.engine;
            if (m.state() != TreeMember.State.ATTACHED || m.pendingParent() != TreeMember.NONE)
            {
                violations.add(node.id + " not attached: " + m.state() + " pending " + m.pendingParent());
                continue;
            }
            if (!authorized.contains(node.id))
            {
                violations.add(node.id + " is in the tree but not authorized");
            }
            if (parentCount.getOrDefault(node.id, 0) != 1)
            {
                violations.add(node.id + " is a child of " + parentCount.getOrDefault(node.id, 0) + " members");
            }
            if (model.parentOf(node.id) != m.parent())
            {
                violations.add(node.id + " parent " + m.parent() + " but model says " + model.parentOf(node.id));
            }
            // Walk to the radix: acyclic, reachable through live members, every ancestor authorized.
            long cursor = node.id;
            int depth = 0;
            final Set<Long> seen = new HashSet<>();
            while (cursor != TreeSimulation.RADIX)
            {
                if (!seen.add(cursor) || depth > sim.nodes().size())
                {
                    violations.add(node.id + " is on a cycle through " + cursor);
                    break;
                }
                final TreeSimulation.Node at = byId.get(cursor);
                if (at == null || !at.alive)
                {
                    violations.add(node.id + " hangs below a dead member " + cursor);
                    break;
                }
                if (cursor != node.id && !authorized.contains(cursor))
                {
                    violations.add(node.id + " has an unauthorized ancestor " + cursor);
                }
                final long up = at.engine.parent();
                if (up == TreeMember.NONE)
                {
                    violations.add(node.id + " is not reachable: " + cursor + " has no parent");
                    break;
                }
                if (!byId.get(up).engine.children().contains(cursor))
                {
                    violations.add(cursor + " names parent " + up + " which does not forward to it");
                }
                cursor = up;
                depth++;
            }
            depths.put(node.id, depth);
            height = Math.max(height, depth);
            if (m.depth() != depth)
            {
                violations.add(node.id + " believes depth " + m.depth() + " but is at " + depth);
            }
        }
        if (model.size() != expected.size())
        {
            violations.add("model holds " + model.size() + " members, " + expected.size() + " expected");
            final Set<Long> expectedIds = new HashSet<>();
            for (final TreeSimulation.Node node : expected)
            {
                expectedIds.add(node.id);
            }
            int listed = 0;
            for (final TreeSimulation.Node node : sim.nodes())
            {
                if (node.id != TreeSimulation.RADIX && model.contains(node.id) && !expectedIds.contains(node.id)
                    && listed++ < 10)
                {
                    final TreeMember m = node.engine;
                    violations.add("model holds " + node.id + (node.alive ? "" : " (dead)") + " " + m.state()
                        + " model parent " + model.parentOf(node.id) + " model children " + model.childCount(node.id)
                        + " own parent " + m.parent() + " pending " + m.pendingParent());
                }
            }
        }
        // Degree caps and completeness (no free slot shallower than the deepest member).
        final int d = model.fanOut();
        int shallowestFree = Integer.MAX_VALUE;
        for (final Map.Entry<Long, Integer> entry : depths.entrySet())
        {
            final long id = entry.getKey();
            final int children = byId.get(id).engine.children().size();
            final int cap = model.degreeCap(id);
            if (children > cap)
            {
                violations.add(id + " has " + children + " children, cap " + cap);
            }
            if (children < cap && entry.getValue() < radix.config().maxDepth())
            {
                shallowestFree = Math.min(shallowestFree, entry.getValue() + 1);
            }
        }
        final int n = expected.size();
        if (model instanceof BalancedTreeTopology)
        {
            final int limit = Math.max(ceilLog(d, n), radix.config().maxDepth());
            if (height > limit)
            {
                violations.add("height " + height + " exceeds max(ceil(log_d N), limit) = " + limit);
            }
            if (n > 0 && shallowestFree < height)
            {
                violations.add("free slot at depth " + shallowestFree + " above the deepest member at " + height);
            }
            if (checkFormula && n > 0 && height != minimumHeight(n, d, model.degreeCap(TreeSimulation.RADIX)))
            {
                violations.add("height " + height + " is not the minimum "
                    + minimumHeight(n, d, model.degreeCap(TreeSimulation.RADIX)) + " for N=" + n + " d=" + d);
            }
        }
        if (gapCheckUpTo >= 0)
        {
            for (final TreeSimulation.Node node : expected)
            {
                final int gaps = node.gaps(gapCheckUpTo);
                if (gaps != 0)
                {
                    violations.add(node.id + " missed " + gaps + " packets between " + node.firstSeq + " and "
                        + gapCheckUpTo + (node.everHung ? " (it hung)" : ""));
                }
            }
        }
        return violations;
    }

    /** One line per member: liveness, state, parent, model parent, children. */
    static String dump(final TreeSimulation sim)
    {
        final StringBuilder sb = new StringBuilder();
        final Topology model = sim.radix().topology();
        for (final TreeSimulation.Node node : sim.nodes())
        {
            final TreeMember m = node.engine;
            sb.append('\n').append(node.id).append(node.alive ? "" : " DEAD").append(node.hung() ? " HUNG" : "")
                .append(node.everHung ? " (hung once)" : "").append(node.leafOnly ? " leafOnly" : "")
                .append(' ').append(m.state()).append(" parent=").append(m.parent())
                .append(" pending=").append(m.pendingParent()).append(" model=").append(model.parentOf(node.id))
                .append(" depth=").append(m.depth()).append(" children=").append(m.children());
        }
        return sb.toString();
    }

    /** Smallest h with radixCap * (1 + d + ... + d^(h-1)) >= n. */
    static int minimumHeight(final int n, final int d, final int radixCap)
    {
        long capacity = 0;
        long level = radixCap;
        int h = 0;
        while (capacity < n)
        {
            capacity += level;
            level *= d;
            h++;
        }
        return h;
    }

    static int ceilLog(final int d, final int n)
    {
        if (n <= 1 || d <= 1)
        {
            return n <= 1 ? 0 : n;
        }
        int h = 0;
        long p = 1;
        while (p < n)
        {
            p *= d;
            h++;
        }
        return h;
    }
}
