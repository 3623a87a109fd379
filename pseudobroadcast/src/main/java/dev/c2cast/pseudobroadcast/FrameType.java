package dev.c2cast.pseudobroadcast;

/**
 * Frame type codes carried in {@link FrameHeader#type()}. Types below {@link #FIRST_APPLICATION_TYPE} belong to
 * this library; applications multiplex their own frames with the types from {@link #FIRST_APPLICATION_TYPE} to
 * {@link #MAX_TYPE}.
 */
public final class FrameType
{
    /** Unreliable data: {@link Transport#send(NodeId, io.netty.buffer.ByteBuf)} and {@link Transport#broadcast}. */
    public static final int DATA = 1;
    /** A message of the reliable layer ({@link ReliableMessenger}). */
    public static final int RELIABLE = 2;
    /** An acknowledgement of the reliable layer. */
    public static final int ACK = 3;
    /** A discovery beacon ({@link PeerDiscovery}). */
    public static final int BEACON = 4;
    /** A flooded message ({@link Flooder}). */
    public static final int FLOOD = 5;
    /** The first type free for applications. */
    public static final int FIRST_APPLICATION_TYPE = 16;
    /** The largest type. */
    public static final int MAX_TYPE = 255;

    private FrameType()
    {
    }

    /**
     * Checks a type code.
     *
     * @param type the code.
     * @return the code.
     * @throws IllegalArgumentException unless in 1..255.
     */
    public static int validate(final int type)
    {
        if (type < 1 || type > MAX_TYPE)
        {
            throw new IllegalArgumentException("frame type out of range 1..255: " + type);
        }
        return type;
    }
}
