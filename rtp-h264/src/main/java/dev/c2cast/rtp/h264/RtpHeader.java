package dev.c2cast.rtp.h264;

import io.netty.buffer.ByteBuf;

/**
 * A reusable view over an RTP packet (RFC 3550 section 5.1) in a {@link ByteBuf}, with CSRCs, a header extension
 * (RFC 3550 section 5.3.1) and padding. {@link #wrap(ByteBuf, int, int)} checks every length against the packet, so
 * the accessors never read outside it.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |  8
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             | 12, CC times
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |     length (32-bit words)     |  if X
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     header extension ...                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     payload ...               | padding | cnt |  cnt = padding length if P
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Not thread-safe: one view per thread; re-wrap for each packet.
 */
public final class RtpHeader
{
    /** Length of the fixed header. */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** Offset of the V/P/X/CC byte. */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of the M/PT byte. */
    public static final int MARKER_PT_OFFSET = 1;
    /** Offset of the 16-bit sequence number. */
    public static final int SEQUENCE_OFFSET = 2;
    /** Offset of the 32-bit timestamp. */
    public static final int TIMESTAMP_OFFSET = 4;
    /** Offset of the 32-bit SSRC. */
    public static final int SSRC_OFFSET = 8;
    /** Offset of the first CSRC. */
    public static final int CSRC_OFFSET = 12;
    /** The only RTP version. */
    public static final int VERSION = 2;

    private ByteBuf buffer;
    private int index;
    private int length;
    private int extensionIndex;
    private int payloadIndex;
    private int payloadLength;

    /**
     * Creates an unwrapped view.
     */
    public RtpHeader()
    {
    }

    /**
     * Points the view at a packet and validates its lengths.
     *
     * @param buffer the buffer holding the packet.
     * @param index  absolute index of the first byte.
     * @param length packet length.
     * @return this view.
     * @throws RtpH264Exception with {@link RtpH264Exception.Reason#MALFORMED} if the version is not 2, or CSRCs,
     *                          extension or padding run past the packet.
     */
    public RtpHeader wrap(final ByteBuf buffer, final int index, final int length)
    {
        this.buffer = buffer;
        this.index = index;
        this.length = length;
        if (length < FIXED_HEADER_LENGTH)
        {
            throw malformed("packet of " + length + " bytes is shorter than the RTP header");
        }
        final int flags = buffer.getUnsignedByte(index);
        if ((flags >>> 6) != VERSION)
        {
            throw malformed("RTP version " + (flags >>> 6));
        }
        int headerLength = FIXED_HEADER_LENGTH + 4 * (flags & 0x0F);
        extensionIndex = -1;
        if ((flags & 0x10) != 0)
        {
            if (length < headerLength + 4)
            {
                throw malformed("extension header past the end");
            }
            extensionIndex = index + headerLength;
            headerLength += 4 + 4 * buffer.getUnsignedShort(extensionIndex + 2);
        }
        int padding = 0;
        if ((flags & 0x20) != 0)
        {
            padding = length > 0 ? buffer.getUnsignedByte(index + length - 1) : 0;
            if (padding == 0)
            {
                throw malformed("padding count of 0");
            }
        }
        if (headerLength + padding > length)
        {
            throw malformed("header " + headerLength + " + padding " + padding + " > packet " + length);
        }
        payloadIndex = index + headerLength;
        payloadLength = length - headerLength - padding;
        return this;
    }

    /**
     * Points the view at the readable bytes of a buffer.
     *
     * @param packet the packet.
     * @return this view.
     */
    public RtpHeader wrap(final ByteBuf packet)
    {
        return wrap(packet, packet.readerIndex(), packet.readableBytes());
    }

    /**
     * The buffer currently wrapped.
     *
     * @return the buffer.
     */
    public ByteBuf buffer()
    {
        return buffer;
    }

    /**
     * Absolute index of the packet in {@link #buffer()}.
     *
     * @return the index.
     */
    public int index()
    {
        return index;
    }

    /**
     * Length of the whole packet.
     *
     * @return bytes.
     */
    public int length()
    {
        return length;
    }

    /**
     * Whether the P bit is set.
     *
     * @return true if the packet ends with padding.
     */
    public boolean padding()
    {
        return (buffer.getByte(index) & 0x20) != 0;
    }

    /**
     * Whether the X bit is set.
     *
     * @return true if a header extension follows the CSRCs.
     */
    public boolean extension()
    {
        return extensionIndex >= 0;
    }

    /**
     * The CC field.
     *
     * @return number of CSRCs, 0 to 15.
     */
    public int csrcCount()
    {
        return buffer.getByte(index) & 0x0F;
    }

    /**
     * One CSRC.
     *
     * @param i which, from 0 to {@code csrcCount() - 1}.
     * @return the identifier's 32 bits.
     */
    public int csrc(final int i)
    {
        if (i < 0 || i >= csrcCount())
        {
            throw new IndexOutOfBoundsException("CSRC " + i);
        }
        return buffer.getInt(index + CSRC_OFFSET + 4 * i);
    }

    /**
     * The M bit.
     *
     * @return true on the last packet of an H.264 access unit.
     */
    public boolean marker()
    {
        return (buffer.getByte(index + MARKER_PT_OFFSET) & 0x80) != 0;
    }

    /**
     * The PT field.
     *
     * @return payload type, 0 to 127.
     */
    public int payloadType()
    {
        return buffer.getByte(index + MARKER_PT_OFFSET) & 0x7F;
    }

    /**
     * The sequence number.
     *
     * @return 0 to 65535.
     */
    public int sequenceNumber()
    {
        return buffer.getUnsignedShort(index + SEQUENCE_OFFSET);
    }

    /**
     * The timestamp.
     *
     * @return 0 to 2^32 - 1.
     */
    public long timestamp()
    {
        return buffer.getUnsignedInt(index + TIMESTAMP_OFFSET);
    }

    /**
     * The SSRC.
     *
     * @return the identifier's 32 bits.
     */
    public int ssrc()
    {
        return buffer.getInt(index + SSRC_OFFSET);
    }

    /**
     * The profile-defined 16 bits of the header extension.
     *
     * @return the value, or -1 without an extension.
     */
    public int extensionProfile()
    {
        return extensionIndex < 0 ? -1 : buffer.getUnsignedShort(extensionIndex);
    }

    /**
     * Absolute index of the header extension's data (after its 4-byte header).
     *
     * @return the index, or -1 without an extension.
     */
    public int extensionDataIndex()
    {
        return extensionIndex < 0 ? -1 : extensionIndex + 4;
    }

    /**
     * Length of the header extension's data.
     *
     * @return bytes, 0 without an extension.
     */
    public int extensionDataLength()
    {
        return extensionIndex < 0 ? 0 : 4 * buffer.getUnsignedShort(extensionIndex + 2);
    }

    /**
     * Absolute index of the payload.
     *
     * @return the index.
     */
    public int payloadIndex()
    {
        return payloadIndex;
    }

    /**
     * Length of the payload, without padding.
     *
     * @return bytes.
     */
    public int payloadLength()
    {
        return payloadLength;
    }

    /**
     * Writes a 12-byte fixed header (no CSRC, no extension, no padding) at the writer index.
     *
     * @param dst            the output; its writer index advances by 12.
     * @param marker         the M bit.
     * @param payloadType    PT, 0 to 127.
     * @param sequenceNumber low 16 bits are written.
     * @param timestamp      low 32 bits are written.
     * @param ssrc           the SSRC.
     */
    public static void writeFixedHeader(
        final ByteBuf dst,
        final boolean marker,
        final int payloadType,
        final int sequenceNumber,
        final long timestamp,
        final int ssrc)
    {
        dst.writeByte(VERSION << 6);
        dst.writeByte((marker ? 0x80 : 0) | (payloadType & 0x7F));
        dst.writeShort(sequenceNumber);
        dst.writeInt((int)timestamp);
        dst.writeInt(ssrc);
    }

    private static RtpH264Exception malformed(final String message)
    {
        return new RtpH264Exception(RtpH264Exception.Reason.MALFORMED, message);
    }
}
