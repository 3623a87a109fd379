package dev.c2cast.pseudobroadcast;

import io.netty.buffer.ByteBuf;

/**
 * Flyweight over the fixed 32-byte header that starts every pseudo-broadcast frame, big-endian on the wire.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |    Version    |     Type      |             Flags             |  0
 *  +---------------+---------------+-------------------------------+
 *  |                           Group Id                            |  4
 *  +---------------------------------------------------------------+
 *  |                                                               |  8
 *  +                        Source Node Id                         +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 16
 *  +          Intended Destination Node Id (0 = broadcast)         +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Sequence (per source)                     | 24
 *  +-------------------------------+-------------------------------+
 *  |        Payload Length         |       Reserved (zero)         | 28
 *  +-------------------------------+-------------------------------+
 *  |                        Payload ...                            | 32
 * </pre>
 * The intended destination travels in the header because on every substrate (multicast, broadcast, an overheard
 * unicast rewritten by the kernel) the IP destination no longer says who the frame was meant for.
 * <p>
 * Not thread-safe: a flyweight is re-pointed with {@link #wrap(ByteBuf, int, int)} and used by one thread.
 */
public final class FrameHeader
{
    /** The only version this implementation speaks. */
    public static final int VERSION = 1;
    /** Offset of the version byte. */
    public static final int VERSION_OFFSET = 0;
    /** Offset of the frame type byte. */
    public static final int TYPE_OFFSET = 1;
    /** Offset of the 16-bit flags; no flag is defined in version 1, so they must be zero. */
    public static final int FLAGS_OFFSET = 2;
    /** Offset of the 32-bit group id. */
    public static final int GROUP_ID_OFFSET = 4;
    /** Offset of the 64-bit source node id. */
    public static final int SOURCE_OFFSET = 8;
    /** Offset of the 64-bit intended destination node id. */
    public static final int DESTINATION_OFFSET = 16;
    /** Offset of the 32-bit per-source sequence number. */
    public static final int SEQUENCE_OFFSET = 24;
    /** Offset of the 16-bit payload length. */
    public static final int PAYLOAD_LENGTH_OFFSET = 28;
    /** Offset of the 16 reserved bits, which must be zero. */
    public static final int RESERVED_OFFSET = 30;
    /** Length of the header; the payload starts here. */
    public static final int HEADER_LENGTH = 32;
    /** Largest payload the 16-bit length field can describe. */
    public static final int MAX_PAYLOAD_LENGTH = 0xFFFF;

    /** Validation result: the frame is well formed. */
    public static final int VALID = 0;
    /** Validation result: shorter than a header, or the length field disagrees with the frame's length. */
    public static final int MALFORMED_LENGTH = 1;
    /** Validation result: unknown version. */
    public static final int MALFORMED_VERSION = 2;
    /** Validation result: type zero, non-zero flags or non-zero reserved bits. */
    public static final int MALFORMED_FIELDS = 3;
    /** Validation result: source zero, or source equal to destination. */
    public static final int MALFORMED_ADDRESS = 4;

    private ByteBuf buffer;
    private int offset;
    private int length;

    /** A flyweight wrapping nothing yet; call {@link #wrap(ByteBuf, int, int)}. */
    public FrameHeader()
    {
    }

    /**
     * Points this flyweight at a frame.
     *
     * @param buffer the buffer holding the frame.
     * @param offset index of the first header byte.
     * @param length length of the whole frame (header plus payload) as received.
     * @return this flyweight.
     */
    public FrameHeader wrap(final ByteBuf buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * Checks everything the header can say about itself (not the group, which the receiver decides).
     *
     * @return {@link #VALID} or one of the {@code MALFORMED_*} codes.
     */
    public int validate()
    {
        if (length < HEADER_LENGTH || offset < 0 || offset + length > buffer.capacity())
        {
            return MALFORMED_LENGTH;
        }
        if (version() != VERSION)
        {
            return MALFORMED_VERSION;
        }
        if (payloadLength() != length - HEADER_LENGTH)
        {
            return MALFORMED_LENGTH;
        }
        if (type() == 0 || flags() != 0 || buffer.getUnsignedShort(offset + RESERVED_OFFSET) != 0)
        {
            return MALFORMED_FIELDS;
        }
        final long source = source();
        if (source == NodeId.BROADCAST_VALUE || source == destination())
        {
            return MALFORMED_ADDRESS;
        }
        return VALID;
    }

    /**
     * Writes a complete header; the payload must follow at {@link #HEADER_LENGTH}.
     *
     * @param type          frame type, 1..255.
     * @param groupId       the group.
     * @param source        sender's node id, not zero.
     * @param destination   intended receiver, or {@link NodeId#BROADCAST_VALUE}.
     * @param sequence      the sender's frame sequence number.
     * @param payloadLength payload length, at most {@link #MAX_PAYLOAD_LENGTH}.
     * @return this flyweight.
     */
    public FrameHeader write(
        final int type,
        final int groupId,
        final long source,
        final long destination,
        final int sequence,
        final int payloadLength)
    {
        buffer.setByte(offset + VERSION_OFFSET, VERSION);
        buffer.setByte(offset + TYPE_OFFSET, type);
        buffer.setShort(offset + FLAGS_OFFSET, 0);
        buffer.setInt(offset + GROUP_ID_OFFSET, groupId);
        buffer.setLong(offset + SOURCE_OFFSET, source);
        buffer.setLong(offset + DESTINATION_OFFSET, destination);
        buffer.setInt(offset + SEQUENCE_OFFSET, sequence);
        buffer.setShort(offset + PAYLOAD_LENGTH_OFFSET, payloadLength);
        buffer.setShort(offset + RESERVED_OFFSET, 0);
        return this;
    }

    /**
     * The version byte.
     *
     * @return 0..255.
     */
    public int version()
    {
        return buffer.getUnsignedByte(offset + VERSION_OFFSET);
    }

    /**
     * The frame type (see {@link FrameType}).
     *
     * @return 0..255.
     */
    public int type()
    {
        return buffer.getUnsignedByte(offset + TYPE_OFFSET);
    }

    /**
     * The flags field.
     *
     * @return 0..65535.
     */
    public int flags()
    {
        return buffer.getUnsignedShort(offset + FLAGS_OFFSET);
    }

    /**
     * The group id.
     *
     * @return the group.
     */
    public int groupId()
    {
        return buffer.getInt(offset + GROUP_ID_OFFSET);
    }

    /**
     * The source node id.
     *
     * @return the sender's {@link NodeId#value()}.
     */
    public long source()
    {
        return buffer.getLong(offset + SOURCE_OFFSET);
    }

    /**
     * The intended destination.
     *
     * @return a node id value, or {@link NodeId#BROADCAST_VALUE}.
     */
    public long destination()
    {
        return buffer.getLong(offset + DESTINATION_OFFSET);
    }

    /**
     * The sender's sequence number for this frame.
     *
     * @return the sequence.
     */
    public int sequence()
    {
        return buffer.getInt(offset + SEQUENCE_OFFSET);
    }

    /**
     * The payload length field.
     *
     * @return 0..65535.
     */
    public int payloadLength()
    {
        return buffer.getUnsignedShort(offset + PAYLOAD_LENGTH_OFFSET);
    }

    /**
     * Index of the first payload byte in the wrapped buffer.
     *
     * @return the index.
     */
    public int payloadOffset()
    {
        return offset + HEADER_LENGTH;
    }
}
