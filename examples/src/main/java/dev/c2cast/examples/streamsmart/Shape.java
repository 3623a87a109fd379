package dev.c2cast.examples.streamsmart;

/** How the clones interconnect (streamsmart.md, section III): every clone under the radix, or a balanced tree. */
public enum Shape
{
    /** Every receiving clone is a child of the radix: the radix sends one copy per receiver. */
    STAR,
    /** A balanced tree of bounded fan-out, filled level by level, growing in width past the depth bound. */
    TREE
}
