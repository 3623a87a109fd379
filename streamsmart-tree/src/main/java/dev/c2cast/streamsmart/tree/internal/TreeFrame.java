package dev.c2cast.streamsmart.tree.internal;

import io.netty.buffer.ByteBuf;

/**
 * Flyweight over one datagram of the overlay. Control datagrams are {@link #TYPE_CONTROL} followed by one
 * protobuf {@code Envelope}; media datagrams carry one RTP packet behind a fixed header that each hop rewrites in
 * place (sender and send time) before fanning the same buffer out to its children.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Type ('M')   |     Flags     |           Reserved            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   Sender member id (64 bits)                  |
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |              Extended RTP sequence number (64 bits)           |
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            Hop send time, sender's clock nanos (64 bits)      |
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        RTP packet ...                         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Flags: bit 0 keyframe. All offsets are relative to the buffer's reader index.
 */
public final class TreeFrame
{
    /** Control datagram type byte. */
    public static final byte TYPE_CONTROL = 'C';
    /** Media datagram type byte. */
    public static final byte TYPE_MEDIA = 'M';
    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = 1;
    /** Offset of the sender id. */
    public static final int SENDER_OFFSET = 4;
    /** Offset of the extended sequence number. */
    public static final int SEQUENCE_OFFSET = 12;
    /** Offset of the hop send time. */
    public static final int SENT_AT_OFFSET = 20;
    /** Length of the media header; the RTP packet starts here. */
    public static final int MEDIA_HEADER_LENGTH = 28;
    /** Flag: the RTP packet starts a keyframe. */
    public static final int FLAG_KEYFRAME = 1;

    private TreeFrame()
    {
    }

    /**
     * Whether a datagram is a well-formed media frame.
     *
     * @param buffer the datagram.
     * @return true if it is long enough and typed as media.
     */
    public static boolean isMedia(final ByteBuf buffer)
    {
        return buffer.readableBytes() >= MEDIA_HEADER_LENGTH + RtpView.FIXED_HEADER_LENGTH
            && buffer.getByte(buffer.readerIndex() + TYPE_OFFSET) == TYPE_MEDIA;
    }

    /**
     * Whether a datagram is a control frame.
     *
     * @param buffer the datagram.
     * @return true if typed as control.
     */
    public static boolean isControl(final ByteBuf buffer)
    {
        return buffer.readableBytes() >= 1 && buffer.getByte(buffer.readerIndex() + TYPE_OFFSET) == TYPE_CONTROL;
    }

    /**
     * Writes a media header at the writer index.
     *
     * @param buffer   destination.
     * @param sender   sender member id.
     * @param extSeq   extended sequence number.
     * @param keyframe keyframe flag.
     * @param sentAt   send time.
     */
    public static void writeMediaHeader(
        final ByteBuf buffer, final long sender, final long extSeq, final boolean keyframe, final long sentAt)
    {
        buffer.writeByte(TYPE_MEDIA);
        buffer.writeByte(keyframe ? FLAG_KEYFRAME : 0);
        buffer.writeShort(0);
        buffer.writeLong(sender);
        buffer.writeLong(extSeq);
        buffer.writeLong(sentAt);
    }

    /**
     * Rewrites the per-hop fields in place.
     *
     * @param buffer the media frame.
     * @param sender this hop's member id.
     * @param sentAt this hop's send time.
     */
    public static void stampHop(final ByteBuf buffer, final long sender, final long sentAt)
    {
        buffer.setLong(buffer.readerIndex() + SENDER_OFFSET, sender);
        buffer.setLong(buffer.readerIndex() + SENT_AT_OFFSET, sentAt);
    }

    /**
     * The sender id.
     *
     * @param buffer the media frame.
     * @return the sender.
     */
    public static long sender(final ByteBuf buffer)
    {
        return buffer.getLong(buffer.readerIndex() + SENDER_OFFSET);
    }

    /**
     * The extended sequence number.
     *
     * @param buffer the media frame.
     * @return the sequence number.
     */
    public static long sequence(final ByteBuf buffer)
    {
        return buffer.getLong(buffer.readerIndex() + SEQUENCE_OFFSET);
    }

    /**
     * The hop send time.
     *
     * @param buffer the media frame.
     * @return sender's clock nanos.
     */
    public static long sentAt(final ByteBuf buffer)
    {
        return buffer.getLong(buffer.readerIndex() + SENT_AT_OFFSET);
    }

    /**
     * Whether the keyframe flag is set.
     *
     * @param buffer the media frame.
     * @return true for a keyframe start.
     */
    public static boolean keyframe(final ByteBuf buffer)
    {
        return (buffer.getByte(buffer.readerIndex() + FLAGS_OFFSET) & FLAG_KEYFRAME) != 0;
    }
}
