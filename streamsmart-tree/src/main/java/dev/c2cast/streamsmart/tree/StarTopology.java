package dev.c2cast.streamsmart.tree;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The star baseline of streamsmart.md: every clone is a child of the radix, so the radix sends one copy per viewer.
 * Confined to the radix's event loop.
 */
final class StarTopology implements Topology
{
    private final long radix;
    private final Set<Long> members = new HashSet<>();

    StarTopology(final long radix)
    {
        this.radix = radix;
    }

    @Override
    public long radix()
    {
        return radix;
    }

    @Override
    public boolean add(final long member, final boolean leafOnly, final List<Move> moves)
    {
        if (member == radix || !members.add(member))
        {
            throw new IllegalArgumentException("already in the tree: " + member);
        }
        moves.add(new Move(member, radix));
        return true;
    }

    @Override
    public boolean remove(final long member, final List<Move> moves)
    {
        return members.remove(member);
    }

    @Override
    public boolean contains(final long member)
    {
        return member == radix || members.contains(member);
    }

    @Override
    public long parentOf(final long member)
    {
        return members.contains(member) ? radix : NONE;
    }

    @Override
    public int depthOf(final long member)
    {
        return member == radix ? 0 : members.contains(member) ? 1 : -1;
    }

    @Override
    public int childCount(final long member)
    {
        return member == radix ? members.size() : 0;
    }

    @Override
    public int degreeCap(final long member)
    {
        return member == radix ? Integer.MAX_VALUE : 0;
    }

    @Override
    public int size()
    {
        return members.size();
    }

    @Override
    public int height()
    {
        return members.isEmpty() ? 0 : 1;
    }

    @Override
    public int fanOut()
    {
        return 0;
    }
}
