package dev.c2cast.streamsmart.tree;

/**
 * The part a clone plays in a stream's relay tree (streamsmart.md, section II).
 */
public enum Role
{
    /** The clone of the phone that captures the stream: receives from its phone, forwards to its children. */
    RADIX,
    /** A clone that receives from its parent and forwards to its children and to its own phone. */
    INTERNAL,
    /** A clone that receives from its parent and forwards to its own phone only. */
    LEAF;

    /**
     * The role of a non-radix member with a given number of children.
     *
     * @param childCount the member's children.
     * @return {@link #INTERNAL} if it has children, {@link #LEAF} otherwise.
     */
    public static Role ofMember(final int childCount)
    {
        if (childCount < 0)
        {
            throw new IllegalArgumentException("negative child count: " + childCount);
        }
        return childCount > 0 ? INTERNAL : LEAF;
    }
}
