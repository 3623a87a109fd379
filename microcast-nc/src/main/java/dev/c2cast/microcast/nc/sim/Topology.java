package dev.c2cast.microcast.nc.sim;

/**
 * Who counts as whose neighbour (microcast.txt, Fig. 6b). Every device overhears every transmission in both;
 * MicroNC-P2 always runs in pseudo-ad-hoc mode, where every device is every other's neighbour.
 */
public enum Topology
{
    /** Every device is a neighbour of every other. */
    CLIQUE,
    /** Device 0 is the access point; the others are neighbours of it only. */
    STAR
}
