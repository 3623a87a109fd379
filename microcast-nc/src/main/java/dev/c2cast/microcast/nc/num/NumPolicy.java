package dev.c2cast.microcast.nc.num;

/**
 * The four cooperation policies compared in microcast.txt, section VI-A.
 */
public enum NumPolicy
{
    /** P1: pseudo-broadcast with network coding; every correctly received packet is useful to its receiver. */
    PSEUDO_BROADCAST_CODED,
    /** P1 with constraint (2): a plain packet is useful to a hyperlink only if all of its receivers got it. */
    PSEUDO_BROADCAST_UNCODED,
    /** P2: unicast transmissions in the local area, no coding. */
    UNICAST,
    /** No device-to-device cooperation: each device lives on its own cellular link. */
    NO_COOPERATION
}
