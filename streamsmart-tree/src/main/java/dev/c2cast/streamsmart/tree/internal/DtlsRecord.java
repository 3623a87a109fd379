package dev.c2cast.streamsmart.tree.internal;

import io.netty.buffer.ByteBuf;

/**
 * Flyweight over the DTLS record headers in one datagram (RFC 6347, section 4.1). The secure transport reads the
 * headers before decryption, to count application data arriving at the socket, to drop what is not DTLS, and to
 * tell a ClientHello (a peer opening or reopening an association) from records of an existing association. The
 * payload is left to {@link javax.net.ssl.SSLEngine}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | Content type  |    Version (0xFEFD = 1.2)     |     Epoch ... |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | ... Epoch     |       Sequence number (48 bits) ...           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            ... Sequence number            |    Length ...     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | ... Length    | Fragment: handshake type (22) ... or ciphertext |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * A datagram holds one or more whole records back to back. Offsets are relative to the start of a record; the
 * datagram's first record starts at the buffer's reader index.
 */
public final class DtlsRecord
{
    /** Offset of the content type. */
    public static final int CONTENT_TYPE_OFFSET = 0;
    /** Offset of the protocol version. */
    public static final int VERSION_OFFSET = 1;
    /** Offset of the epoch. */
    public static final int EPOCH_OFFSET = 3;
    /** Offset of the 48-bit sequence number. */
    public static final int SEQUENCE_OFFSET = 5;
    /** Offset of the fragment length. */
    public static final int LENGTH_OFFSET = 11;
    /** Length of the record header; the fragment starts here. */
    public static final int HEADER_LENGTH = 13;
    /** Offset of the handshake message type in a handshake record of epoch 0. */
    public static final int HANDSHAKE_TYPE_OFFSET = HEADER_LENGTH;
    /** Content type: change_cipher_spec. */
    public static final int CHANGE_CIPHER_SPEC = 20;
    /** Content type: alert. */
    public static final int ALERT = 21;
    /** Content type: handshake. */
    public static final int HANDSHAKE = 22;
    /** Content type: application data. */
    public static final int APPLICATION_DATA = 23;
    /** Handshake type: client_hello. */
    public static final int CLIENT_HELLO = 1;
    /** The major version byte of every DTLS version (1.0 is 0xFEFF, 1.2 is 0xFEFD). */
    public static final int VERSION_MAJOR = 0xFE;
    /** The largest fragment a record may carry (2^14 plus the expansion allowance of RFC 6347). */
    public static final int MAX_FRAGMENT_LENGTH = (1 << 14) + 2048;

    private DtlsRecord()
    {
    }

    /**
     * Checks that a datagram is a sequence of well-formed DTLS record headers covering it exactly, and counts its
     * application-data records.
     *
     * @param datagram the datagram.
     * @return the number of application-data records, or -1 if the datagram is not DTLS.
     */
    public static int applicationRecords(final ByteBuf datagram)
    {
        final int end = datagram.writerIndex();
        int offset = datagram.readerIndex();
        if (offset >= end)
        {
            return -1;
        }
        int count = 0;
        while (offset < end)
        {
            if (end - offset < HEADER_LENGTH)
            {
                return -1;
            }
            final int type = datagram.getUnsignedByte(offset + CONTENT_TYPE_OFFSET);
            if (type < CHANGE_CIPHER_SPEC || type > APPLICATION_DATA
                || datagram.getUnsignedByte(offset + VERSION_OFFSET) != VERSION_MAJOR)
            {
                return -1;
            }
            final int length = datagram.getUnsignedShort(offset + LENGTH_OFFSET);
            if (length > MAX_FRAGMENT_LENGTH || length > end - offset - HEADER_LENGTH)
            {
                return -1;
            }
            if (type == APPLICATION_DATA)
            {
                count++;
            }
            offset += HEADER_LENGTH + length;
        }
        return count;
    }

    /**
     * Whether the datagram's first record is an epoch-0 handshake record carrying (the start of) a ClientHello.
     *
     * @param datagram a datagram that {@link #applicationRecords} accepted.
     * @return true for a ClientHello.
     */
    public static boolean isClientHello(final ByteBuf datagram)
    {
        final int offset = datagram.readerIndex();
        return datagram.readableBytes() > HANDSHAKE_TYPE_OFFSET
            && datagram.getUnsignedByte(offset + CONTENT_TYPE_OFFSET) == HANDSHAKE
            && datagram.getUnsignedShort(offset + EPOCH_OFFSET) == 0
            && datagram.getUnsignedShort(offset + LENGTH_OFFSET) > 0
            && datagram.getUnsignedByte(offset + HANDSHAKE_TYPE_OFFSET) == CLIENT_HELLO;
    }

    /**
     * The content type of the first record.
     *
     * @param datagram the datagram (at least {@link #HEADER_LENGTH} bytes).
     * @return the content type.
     */
    public static int contentType(final ByteBuf datagram)
    {
        return datagram.getUnsignedByte(datagram.readerIndex() + CONTENT_TYPE_OFFSET);
    }

    /**
     * The epoch of the first record.
     *
     * @param datagram the datagram (at least {@link #HEADER_LENGTH} bytes).
     * @return the epoch.
     */
    public static int epoch(final ByteBuf datagram)
    {
        return datagram.getUnsignedShort(datagram.readerIndex() + EPOCH_OFFSET);
    }

    /**
     * The 48-bit sequence number of the first record.
     *
     * @param datagram the datagram (at least {@link #HEADER_LENGTH} bytes).
     * @return the sequence number.
     */
    public static long sequence(final ByteBuf datagram)
    {
        final int offset = datagram.readerIndex() + SEQUENCE_OFFSET;
        return ((long)datagram.getUnsignedShort(offset) << 32) | datagram.getUnsignedInt(offset + 2);
    }
}
