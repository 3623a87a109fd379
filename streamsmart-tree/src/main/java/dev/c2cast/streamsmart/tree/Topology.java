package dev.c2cast.streamsmart.tree;

import java.util.List;

/**
 * The radix's authoritative model of a stream's relay tree and the strategy that shapes it (streamsmart.md,
 * section II): where a joining clone goes, and which members move when one leaves or fails. The protocol turns
 * every {@link Move} into assignment messages; members then re-attach hop by hop.
 * <p>
 * Implementations: {@link TopologyKind#STAR} and {@link TopologyKind#BALANCED_TREE}; any other strategy (a
 * social-graph one that seats viewers under their friends, say) plugs in behind the same interface through
 * {@link CloneNode#radix(CloneConfig, long, byte[], java.util.Collection, Topology)}. Confined to the radix's event loop.
 */
public interface Topology
{
    /** The id meaning "no member". */
    long NONE = Long.MIN_VALUE;

    /**
     * One member's new parent.
     *
     * @param member the member that moves (a joining member "moves" to its first parent).
     * @param parent its new parent.
     */
    record Move(long member, long parent)
    {
    }

    /**
     * The radix's member id.
     *
     * @return the root of the tree.
     */
    long radix();

    /**
     * Places a joining member.
     *
     * @param member   the member, not yet in the tree.
     * @param leafOnly whether it must not be given children.
     * @param moves    receives the member's own placement and any other members moved to keep the shape.
     * @return false if no slot can take it (fan-out ceiling reached).
     */
    boolean add(long member, boolean leafOnly, List<Move> moves);

    /**
     * Removes a member that left or failed, and repairs the shape.
     *
     * @param member the member.
     * @param moves  receives the moves that repair the tree (its children's new parents first); a move to
     *               {@link #NONE} means the member was dropped for lack of capacity.
     * @return false if it was not in the tree.
     */
    boolean remove(long member, List<Move> moves);

    /**
     * Whether a member is in the tree (the radix always is).
     *
     * @param member the member.
     * @return true if present.
     */
    boolean contains(long member);

    /**
     * A member's parent.
     *
     * @param member the member.
     * @return the parent, or {@link #NONE} for the radix or an absent member.
     */
    long parentOf(long member);

    /**
     * A member's depth (the radix is at 0).
     *
     * @param member the member.
     * @return the depth, or -1 if absent.
     */
    int depthOf(long member);

    /**
     * A member's number of children.
     *
     * @param member the member.
     * @return the count, or 0 if absent.
     */
    int childCount(long member);

    /**
     * The most children a member may have now.
     *
     * @param member the member.
     * @return its cap (0 for a leaf-only member).
     */
    int degreeCap(long member);

    /**
     * Members other than the radix.
     *
     * @return the count.
     */
    int size();

    /**
     * Depth of the deepest member.
     *
     * @return the height, 0 when only the radix is present.
     */
    int height();

    /**
     * The current maximum fan-out d of non-radix members.
     *
     * @return d.
     */
    int fanOut();
}
