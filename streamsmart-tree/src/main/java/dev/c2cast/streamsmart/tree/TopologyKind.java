package dev.c2cast.streamsmart.tree;

/**
 * The interconnection strategies of streamsmart.md, section II, each an implementation of {@link Topology}.
 */
public enum TopologyKind
{
    /** Every clone a child of the radix: the paper's baseline. */
    STAR,
    /** A complete tree of bounded fan-out and depth that grows in width once full: the paper's default. */
    BALANCED_TREE;

    /**
     * A fresh, empty topology of this kind rooted at a radix.
     *
     * @param config the tree parameters.
     * @param radix  the radix member id.
     * @return the topology.
     */
    public Topology create(final TreeConfig config, final long radix)
    {
        return this == STAR ? new StarTopology(radix) : new BalancedTreeTopology(config, radix);
    }
}
