package dev.c2cast.microcast.nc;

import dev.c2cast.microcast.nc.CodedPacketException.Reason;
import dev.c2cast.microcast.nc.internal.SplitMix;
import io.netty.buffer.ByteBuf;

/**
 * A flyweight view of one coded packet in a {@link ByteBuf}: {@link #wrap} validates the frame strictly and the
 * accessors read fields in place. One instance is reused for any number of packets, so parsing allocates nothing.
 * Not thread-safe.
 * <p>
 * The frame (all integers big-endian, bit 0 the most significant):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  version = 1  |   encoding    |     g - 1     |  reserved = 0 |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     generation id (u32)                       |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          s - 1 (u16)          |        reserved = 0           |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   segment length (u32)                        | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  coefficient block: encoding 0 FULL       g bytes             | 16
 * |                     encoding 1 SEED       8 bytes (u64 seed)  |
 * |                     encoding 2 SYSTEMATIC 1 byte (index)      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 payload: exactly s bytes                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * <ul>
 * <li>g is 1..256 and s is 1..65536, stored minus one so every value of the field is legal.</li>
 * <li>The segment length is the number of meaningful bytes in the generation ({@code <= g * s}); the rest of the
 * last symbols is padding.</li>
 * <li>The packet's length is exactly {@code 16 + block + s}: trailing or missing bytes are an error.</li>
 * <li>A FULL vector or the expansion of a SEED must not be all zero; a SYSTEMATIC index must be below g.</li>
 * </ul>
 * Every violation raises a {@link CodedPacketException} with its {@link CodedPacketException.Reason}; nothing else
 * is thrown for any input.
 */
public final class CodedPacket
{
    /** The only version this library reads and writes. */
    public static final int VERSION = 1;
    /** Bytes before the coefficient block. */
    public static final int HEADER_LENGTH = 16;

    private static final int OFFSET_VERSION = 0;
    private static final int OFFSET_ENCODING = 1;
    private static final int OFFSET_G = 2;
    private static final int OFFSET_RESERVED_1 = 3;
    private static final int OFFSET_GENERATION = 4;
    private static final int OFFSET_S = 8;
    private static final int OFFSET_RESERVED_2 = 10;
    private static final int OFFSET_SEGMENT_LENGTH = 12;

    private ByteBuf buffer;
    private int offset;
    private CoefficientEncoding encoding;
    private int generationSize;
    private int symbolSize;
    private long generationId;
    private int segmentLength;

    /**
     * Creates an empty view; {@link #wrap} points it at a packet.
     */
    public CodedPacket()
    {
        // Nothing wrapped yet.
    }

    /**
     * Length of a packet.
     *
     * @param encoding       its coefficient encoding.
     * @param generationSize g.
     * @param symbolSize     s.
     * @return bytes in the frame.
     */
    public static int length(final CoefficientEncoding encoding, final int generationSize, final int symbolSize)
    {
        return HEADER_LENGTH + encoding.blockLength(generationSize) + symbolSize;
    }

    /**
     * Largest packet of any encoding for the given parameters.
     *
     * @param parameters g and s.
     * @return the maximum frame length.
     */
    public static int maxLength(final CodingParameters parameters)
    {
        return HEADER_LENGTH + Math.max(parameters.generationSize(), Long.BYTES) + parameters.symbolSize();
    }

    /**
     * Validates the readable bytes of a buffer as one packet and points this view at them. The buffer's indices are
     * not changed.
     *
     * @param buf the buffer.
     * @return this view.
     * @throws CodedPacketException if the bytes are not a valid packet.
     */
    public CodedPacket wrap(final ByteBuf buf)
    {
        return wrap(buf, buf.readerIndex(), buf.readableBytes());
    }

    /**
     * Validates {@code length} bytes at {@code index} of a buffer as one packet and points this view at them.
     *
     * @param buf    the buffer.
     * @param index  absolute index of the first byte.
     * @param length bytes in the packet.
     * @return this view.
     * @throws CodedPacketException      if the bytes are not a valid packet.
     * @throws IndexOutOfBoundsException if the range is outside the buffer's capacity.
     */
    public CodedPacket wrap(final ByteBuf buf, final int index, final int length)
    {
        if (index < 0 || length < 0 || index > buf.capacity() - length)
        {
            throw new IndexOutOfBoundsException("index " + index + ", length " + length + ", capacity " +
                buf.capacity());
        }
        this.buffer = null;
        if (length < HEADER_LENGTH)
        {
            throw new CodedPacketException(Reason.TRUNCATED, length + " bytes, header needs " + HEADER_LENGTH);
        }
        final int version = buf.getUnsignedByte(index + OFFSET_VERSION);
        if (version != VERSION)
        {
            throw new CodedPacketException(Reason.UNSUPPORTED_VERSION, "version " + version);
        }
        final CoefficientEncoding enc = CoefficientEncoding.ofCode(buf.getUnsignedByte(index + OFFSET_ENCODING));
        if (enc == null)
        {
            throw new CodedPacketException(Reason.UNKNOWN_ENCODING, "encoding " +
                buf.getUnsignedByte(index + OFFSET_ENCODING));
        }
        if (buf.getByte(index + OFFSET_RESERVED_1) != 0 || buf.getShort(index + OFFSET_RESERVED_2) != 0)
        {
            throw new CodedPacketException(Reason.RESERVED_NOT_ZERO, "reserved bytes must be zero");
        }
        final int g = buf.getUnsignedByte(index + OFFSET_G) + 1;
        final int s = buf.getUnsignedShort(index + OFFSET_S) + 1;
        final int expected = length(enc, g, s);
        if (length != expected)
        {
            throw new CodedPacketException(Reason.LENGTH_MISMATCH, length + " bytes, expected " + expected +
                " for " + enc + " g=" + g + " s=" + s);
        }
        final long segment = buf.getUnsignedInt(index + OFFSET_SEGMENT_LENGTH);
        if (segment > (long)g * s)
        {
            throw new CodedPacketException(Reason.SEGMENT_LENGTH_OUT_OF_RANGE, "segment length " + segment +
                " > g * s = " + (long)g * s);
        }
        final int block = index + HEADER_LENGTH;
        switch (enc)
        {
            case FULL:
                if (isZero(buf, block, g))
                {
                    throw new CodedPacketException(Reason.ZERO_COEFFICIENTS, "all " + g + " coefficients are zero");
                }
                break;
            case SEED:
                if (SplitMix.expandsToZero(buf.getLong(block), g))
                {
                    throw new CodedPacketException(Reason.ZERO_COEFFICIENTS, "seed expands to a zero vector");
                }
                break;
            default:
                final int systematic = buf.getUnsignedByte(block);
                if (systematic >= g)
                {
                    throw new CodedPacketException(Reason.SYSTEMATIC_INDEX_OUT_OF_RANGE, "index " + systematic +
                        " >= g = " + g);
                }
                break;
        }
        this.buffer = buf;
        this.offset = index;
        this.encoding = enc;
        this.generationSize = g;
        this.symbolSize = s;
        this.generationId = buf.getUnsignedInt(index + OFFSET_GENERATION);
        this.segmentLength = (int)segment;
        return this;
    }

    private static boolean isZero(final ByteBuf buf, final int index, final int length)
    {
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            if (buf.getLong(index + i) != 0)
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (buf.getByte(index + i) != 0)
            {
                return false;
            }
        }
        return true;
    }

    private ByteBuf checked()
    {
        if (buffer == null)
        {
            throw new IllegalStateException("no valid packet wrapped");
        }
        return buffer;
    }

    /**
     * The frame's version (always {@link #VERSION} once wrapped).
     *
     * @return the version.
     */
    public int version()
    {
        return checked().getUnsignedByte(offset + OFFSET_VERSION);
    }

    /**
     * How the coefficients are carried.
     *
     * @return the encoding.
     */
    public CoefficientEncoding coefficientEncoding()
    {
        checked();
        return encoding;
    }

    /**
     * Generation size g.
     *
     * @return 1..256.
     */
    public int generationSize()
    {
        checked();
        return generationSize;
    }

    /**
     * Symbol size s.
     *
     * @return 1..65536.
     */
    public int symbolSize()
    {
        checked();
        return symbolSize;
    }

    /**
     * The generation this packet belongs to.
     *
     * @return an unsigned 32-bit id.
     */
    public long generationId()
    {
        checked();
        return generationId;
    }

    /**
     * Meaningful bytes in the generation.
     *
     * @return 0..g*s.
     */
    public int segmentLength()
    {
        checked();
        return segmentLength;
    }

    /**
     * Total bytes of the frame.
     *
     * @return the length.
     */
    public int length()
    {
        checked();
        return length(encoding, generationSize, symbolSize);
    }

    /**
     * The seed of a {@link CoefficientEncoding#SEED} packet.
     *
     * @return the seed.
     * @throws IllegalStateException for another encoding.
     */
    public long seed()
    {
        if (coefficientEncoding() != CoefficientEncoding.SEED)
        {
            throw new IllegalStateException("not a SEED packet: " + encoding);
        }
        return buffer.getLong(offset + HEADER_LENGTH);
    }

    /**
     * The source index of a {@link CoefficientEncoding#SYSTEMATIC} packet.
     *
     * @return 0..g-1.
     * @throws IllegalStateException for another encoding.
     */
    public int systematicIndex()
    {
        if (coefficientEncoding() != CoefficientEncoding.SYSTEMATIC)
        {
            throw new IllegalStateException("not a SYSTEMATIC packet: " + encoding);
        }
        return buffer.getUnsignedByte(offset + HEADER_LENGTH);
    }

    /**
     * Writes the g coefficients of this packet, whatever its encoding, into an array.
     *
     * @param dst    destination.
     * @param dstOff first byte written; {@code g} bytes are written.
     */
    public void copyCoefficients(final byte[] dst, final int dstOff)
    {
        final ByteBuf buf = checked();
        final int block = offset + HEADER_LENGTH;
        switch (encoding)
        {
            case FULL:
                buf.getBytes(block, dst, dstOff, generationSize);
                break;
            case SEED:
                java.util.Objects.checkFromIndexSize(dstOff, generationSize, dst.length);
                SplitMix.expand(buf.getLong(block), dst, dstOff, generationSize);
                break;
            default:
                java.util.Arrays.fill(dst, dstOff, dstOff + generationSize, (byte)0);
                dst[dstOff + buf.getUnsignedByte(block)] = 1;
                break;
        }
    }

    /**
     * Absolute index of the payload's first byte in {@link #buffer()}.
     *
     * @return the index.
     */
    public int payloadIndex()
    {
        checked();
        return offset + HEADER_LENGTH + encoding.blockLength(generationSize);
    }

    /**
     * The buffer this view reads.
     *
     * @return the buffer.
     */
    public ByteBuf buffer()
    {
        return checked();
    }

    /**
     * Copies the s payload bytes into an array.
     *
     * @param dst    destination.
     * @param dstOff first byte written.
     */
    public void copyPayload(final byte[] dst, final int dstOff)
    {
        checked().getBytes(payloadIndex(), dst, dstOff, symbolSize);
    }

    /**
     * Writes a header and coefficient block (not the payload) at an index. Package-private: the coders use it.
     */
    static void writeHeader(final ByteBuf out, final int index, final CoefficientEncoding encoding, final int g,
        final int s, final long generationId, final int segmentLength)
    {
        out.setByte(index + OFFSET_VERSION, VERSION);
        out.setByte(index + OFFSET_ENCODING, encoding.code());
        out.setByte(index + OFFSET_G, g - 1);
        out.setByte(index + OFFSET_RESERVED_1, 0);
        out.setInt(index + OFFSET_GENERATION, (int)generationId);
        out.setShort(index + OFFSET_S, s - 1);
        out.setShort(index + OFFSET_RESERVED_2, 0);
        out.setInt(index + OFFSET_SEGMENT_LENGTH, segmentLength);
    }
}
