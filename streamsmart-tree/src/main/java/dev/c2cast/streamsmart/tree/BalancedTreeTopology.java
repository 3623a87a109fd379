package dev.c2cast.streamsmart.tree;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The balanced tree of streamsmart.md, section II. A joining member takes the shallowest free slot, ties broken
 * toward parents with fewer descendants and then lower degree, so the tree stays complete. When every slot within
 * the depth limit is taken, d grows by one (the tree grows in width, not depth). Leaf-only members get no
 * children; the radix has its own degree cap.
 * <p>
 * Repair: a removed internal member's place is taken by the deepest relay-capable leaf, which adopts its children;
 * then, while a free slot is shallower than the deepest leaf, that leaf moves up into it. After every operation
 * no free slot is shallower than the deepest member, which for a tree without leaf-only members is exactly the
 * minimum possible height. Indexes per depth make every operation O(depth log n) except growth in width and the
 * rare fallback when no relay-capable leaf exists.
 * <p>
 * Confined to the radix's event loop.
 */
final class BalancedTreeTopology implements Topology
{
    private static final Comparator<Node> SLOT_ORDER = Comparator
        .comparingInt((Node n) -> n.descendants)
        .thenComparingInt(n -> n.children.size())
        .thenComparingLong(n -> n.id);
    private static final Comparator<Node> LEAF_ORDER = Comparator.comparingLong(n -> n.id);

    private final int maxDepth;
    private final int radixCap;
    private final int maxFanOut;
    private int fanOut;
    private final Node root;
    private final Map<Long, Node> nodes = new HashMap<>();
    private final List<TreeSet<Node>> freeByDepth = new ArrayList<>();
    private final List<TreeSet<Node>> leavesByDepth = new ArrayList<>();
    private final List<TreeSet<Node>> relayLeavesByDepth = new ArrayList<>();
    private final List<int[]> countByDepth = new ArrayList<>();

    BalancedTreeTopology(final TreeConfig config, final long radix)
    {
        this.maxDepth = config.maxDepth();
        this.radixCap = config.radixDegreeCap();
        this.maxFanOut = config.maxFanOut();
        this.fanOut = config.fanOut();
        this.root = new Node(radix, false);
        root.depth = 0;
        nodes.put(radix, root);
        index(root);
    }

    @Override
    public long radix()
    {
        return root.id;
    }

    @Override
    public boolean add(final long member, final boolean leafOnly, final List<Move> moves)
    {
        if (nodes.containsKey(member))
        {
            throw new IllegalArgumentException("already in the tree: " + member);
        }
        Node slot = shallowestFree();
        while (slot == null)
        {
            if (fanOut >= maxFanOut)
            {
                return false;
            }
            growInWidth(moves);
            slot = shallowestFree();
        }
        final Node node = new Node(member, leafOnly);
        nodes.put(member, node);
        link(node, slot);
        moves.add(new Move(member, slot.id));
        complete(moves);
        return true;
    }

    @Override
    public boolean remove(final long member, final List<Move> moves)
    {
        final Node node = nodes.get(member);
        if (node == null || node == root)
        {
            return false;
        }
        if (node.children.isEmpty())
        {
            unlink(node);
            nodes.remove(member);
        }
        else
        {
            replace(node, moves);
        }
        complete(moves);
        return true;
    }

    @Override
    public boolean contains(final long member)
    {
        return nodes.containsKey(member);
    }

    @Override
    public long parentOf(final long member)
    {
        final Node node = nodes.get(member);
        return node == null || node.parent == null ? NONE : node.parent.id;
    }

    @Override
    public int depthOf(final long member)
    {
        final Node node = nodes.get(member);
        return node == null ? -1 : node.depth;
    }

    @Override
    public int childCount(final long member)
    {
        final Node node = nodes.get(member);
        return node == null ? 0 : node.children.size();
    }

    @Override
    public int degreeCap(final long member)
    {
        final Node node = nodes.get(member);
        return node == null ? 0 : cap(node);
    }

    @Override
    public int size()
    {
        return nodes.size() - 1;
    }

    @Override
    public int height()
    {
        for (int d = countByDepth.size() - 1; d > 0; d--)
        {
            if (countByDepth.get(d)[0] > 0)
            {
                return d;
            }
        }
        return 0;
    }

    @Override
    public int fanOut()
    {
        return fanOut;
    }

    private void replace(final Node node, final List<Move> moves)
    {
        final Node heir = deepestLeaf(relayLeavesByDepth, node);
        final Node parent = node.parent;
        if (heir == null)
        {
            adoptOrphansIndividually(node, moves);
            return;
        }
        unlink(heir);
        // The heir takes the node's place at the same depth, so the orphans' subtrees keep their depths and indexes.
        unindex(node);
        unindexChain(parent);
        parent.children.remove(node);
        for (Node a = parent; a != null; a = a.parent)
        {
            a.descendants -= 1 + node.descendants;
        }
        nodes.remove(node.id);
        heir.parent = parent;
        heir.depth = parent.depth + 1;
        heir.children.addAll(node.children);
        heir.descendants = 0;
        for (final Node orphan : node.children)
        {
            orphan.parent = heir;
            heir.descendants += 1 + orphan.descendants;
        }
        node.children.clear();
        parent.children.add(heir);
        for (Node a = parent; a != null; a = a.parent)
        {
            a.descendants += 1 + heir.descendants;
        }
        index(heir);
        indexChain(parent);
        moves.add(new Move(heir.id, parent.id));
        for (final Node orphan : heir.children)
        {
            moves.add(new Move(orphan.id, heir.id));
        }
    }

    private void adoptOrphansIndividually(final Node node, final List<Move> moves)
    {
        final List<Node> orphans = new ArrayList<>(node.children);
        for (final Node orphan : orphans)
        {
            unlink(orphan);
            unindexSubtree(orphan);
        }
        unlink(node);
        nodes.remove(node.id);
        for (final Node orphan : orphans)
        {
            Node slot = shallowestFree();
            while (slot == null && fanOut < maxFanOut)
            {
                growInWidth(moves);
                slot = shallowestFree();
            }
            if (slot == null)
            {
                // No capacity left anywhere (only leaf-only members below a full radix): drop the subtree; the
                // radix refuses those members with NO_CAPACITY.
                final ArrayList<Node> stack = new ArrayList<>();
                stack.add(orphan);
                while (!stack.isEmpty())
                {
                    final Node n = stack.remove(stack.size() - 1);
                    stack.addAll(n.children);
                    unindex(n);
                    nodes.remove(n.id);
                    moves.add(new Move(n.id, NONE));
                }
                continue;
            }
            linkSubtree(orphan, slot);
            moves.add(new Move(orphan.id, slot.id));
        }
    }

    private void complete(final List<Move> moves)
    {
        while (true)
        {
            final Node slot = shallowestFree();
            final Node leaf = deepestLeaf(leavesByDepth, null);
            if (slot == null || leaf == null || slot.depth + 1 >= leaf.depth)
            {
                return;
            }
            unlink(leaf);
            link(leaf, slot);
            moves.add(new Move(leaf.id, slot.id));
        }
    }

    private void growInWidth(final List<Move> moves)
    {
        fanOut++;
        for (final Node node : nodes.values())
        {
            unindex(node);
        }
        for (final Node node : nodes.values())
        {
            if (attached(node))
            {
                index(node);
            }
        }
        complete(moves);
    }

    /** Whether a node reaches the radix (orphans being re-placed do not). */
    private boolean attached(final Node node)
    {
        Node cursor = node;
        while (cursor.parent != null)
        {
            cursor = cursor.parent;
        }
        return cursor == root;
    }

    private Node shallowestFree()
    {
        final int limit = Math.min(freeByDepth.size(), maxDepth);
        for (int d = 0; d < limit; d++)
        {
            final TreeSet<Node> set = freeByDepth.get(d);
            if (!set.isEmpty())
            {
                return set.first();
            }
        }
        return null;
    }

    private static Node deepestLeaf(final List<TreeSet<Node>> byDepth, final Node excluded)
    {
        for (int d = byDepth.size() - 1; d > 0; d--)
        {
            for (final Node leaf : byDepth.get(d))
            {
                if (leaf != excluded)
                {
                    return leaf;
                }
            }
        }
        return null;
    }

    private int cap(final Node node)
    {
        if (node == root)
        {
            return radixCap;
        }
        return node.leafOnly ? 0 : fanOut;
    }

    /** Detaches a node (its subtree stays indexed) from its parent, fixing the ancestors' counts. */
    private void unlink(final Node node)
    {
        final Node parent = node.parent;
        unindex(node);
        unindexChain(parent);
        parent.children.remove(node);
        for (Node a = parent; a != null; a = a.parent)
        {
            a.descendants -= 1 + node.descendants;
        }
        indexChain(parent);
        node.parent = null;
    }

    /** Attaches a node under a parent, re-indexing its subtree if its depth changed. */
    private void link(final Node node, final Node parent)
    {
        final int depth = parent.depth + 1;
        if (depth != node.depth && !node.children.isEmpty())
        {
            unindexSubtree(node);
        }
        unindex(node);
        unindexChain(parent);
        node.parent = parent;
        parent.children.add(node);
        for (Node a = parent; a != null; a = a.parent)
        {
            a.descendants += 1 + node.descendants;
        }
        if (depth != node.depth)
        {
            node.depth = depth;
            reindexSubtreeBelow(node);
        }
        index(node);
        indexChain(parent);
    }

    private void linkSubtree(final Node node, final Node parent)
    {
        node.depth = -1;
        link(node, parent);
    }

    private void unindexChain(final Node from)
    {
        for (Node a = from; a != null; a = a.parent)
        {
            unindex(a);
        }
    }

    private void indexChain(final Node from)
    {
        for (Node a = from; a != null; a = a.parent)
        {
            index(a);
        }
    }

    private void unindexSubtree(final Node node)
    {
        final ArrayList<Node> stack = new ArrayList<>();
        stack.add(node);
        while (!stack.isEmpty())
        {
            final Node n = stack.remove(stack.size() - 1);
            unindex(n);
            stack.addAll(n.children);
        }
    }

    private void reindexSubtreeBelow(final Node node)
    {
        final ArrayList<Node> stack = new ArrayList<>(node.children);
        while (!stack.isEmpty())
        {
            final Node n = stack.remove(stack.size() - 1);
            unindex(n);
            n.depth = n.parent.depth + 1;
            index(n);
            stack.addAll(n.children);
        }
    }

    private void index(final Node node)
    {
        if (node.indexed)
        {
            return;
        }
        node.indexed = true;
        final int d = node.depth;
        ensureDepth(d);
        countByDepth.get(d)[0]++;
        if (d < maxDepth && node.children.size() < cap(node))
        {
            freeByDepth.get(d).add(node);
        }
        if (node != root && node.children.isEmpty())
        {
            leavesByDepth.get(d).add(node);
            if (!node.leafOnly)
            {
                relayLeavesByDepth.get(d).add(node);
            }
        }
    }

    private void unindex(final Node node)
    {
        if (!node.indexed)
        {
            return;
        }
        node.indexed = false;
        final int d = node.depth;
        countByDepth.get(d)[0]--;
        freeByDepth.get(d).remove(node);
        leavesByDepth.get(d).remove(node);
        relayLeavesByDepth.get(d).remove(node);
    }

    private void ensureDepth(final int depth)
    {
        while (countByDepth.size() <= depth)
        {
            countByDepth.add(new int[1]);
            freeByDepth.add(new TreeSet<>(SLOT_ORDER));
            leavesByDepth.add(new TreeSet<>(LEAF_ORDER));
            relayLeavesByDepth.add(new TreeSet<>(LEAF_ORDER));
        }
    }

    private static final class Node
    {
        private final long id;
        private final boolean leafOnly;
        private final ArrayList<Node> children = new ArrayList<>(4);
        private Node parent;
        private int depth = -1;
        private int descendants;
        private boolean indexed;

        Node(final long id, final boolean leafOnly)
        {
            this.id = id;
            this.leafOnly = leafOnly;
        }
    }
}
