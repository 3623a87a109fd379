package dev.c2cast.microcast.nc.p2;

/**
 * The kinds of frame the engines send, for per-type byte accounting.
 */
public enum MessageType
{
    /** Periodic advertisement or BitTorrent bitfield. */
    ADVERTISE,
    /** MicroNC-P2 request stating missing dimensions. */
    REQUEST,
    /** MicroNC-P2 notification after serving. */
    NOTIFY,
    /** R2-Push brake. */
    BRAKE,
    /** BitTorrent-Pull block request. */
    PIECE_REQUEST,
    /** BitTorrent-Pull have. */
    HAVE,
    /** A network-coded packet. */
    CODED_DATA,
    /** A plain (systematic) packet, BitTorrent-Pull's piece. */
    PLAIN_DATA;

    private static final MessageType[] VALUES = values();

    /**
     * All values, shared; do not modify.
     *
     * @return the values in ordinal order.
     */
    static MessageType[] all()
    {
        return VALUES;
    }
}
