package dev.c2cast.microcast.nc.sim;

import java.util.SplittableRandom;

import dev.c2cast.microcast.nc.p2.SegmentStore;

import io.netty.buffer.ByteBuf;

/**
 * A {@link SegmentStore} for simulations that carries real GF(2^8) coefficient vectors but no payload: it decides
 * innovation exactly as a decoder would (incremental Gaussian elimination over the coefficients), while every packet
 * has the layout and length of the coder's coded-packet format (CodedPacket) with a zero payload,
 * so frame sizes and airtime are those of the real protocol:
 * <pre>
 *  | version=1 | encoding | g-1 | 0 | generation id (u32) | s-1 (u16) | 0 (u16) | segment length (u32) |
 *  | coefficient block: FULL g bytes, SEED 8 bytes, SYSTEMATIC 1 byte | payload: s zero bytes |
 * </pre>
 * A holder of a decoded segment encodes with SEED (it is a source for it), a partial holder recodes with FULL, and
 * plain packets are SYSTEMATIC. Confined to one thread.
 */
public final class VirtualSegmentStore implements SegmentStore
{
    /** Header bytes before the coefficient block, as in the coder's format. */
    public static final int HEADER_LENGTH = 16;
    private static final int ENCODING_OFFSET = 1;
    private static final int ENCODING_FULL = 0;
    private static final int ENCODING_SEED = 1;
    private static final int ENCODING_SYSTEMATIC = 2;

    private final int segmentCount;
    private final int generationSize;
    private final int symbolSize;
    private final byte[][][] rowsByPivot;
    private final int[] rank;
    private final byte[] vector;
    private final byte[] coefficients;

    /**
     * An empty store.
     *
     * @param segmentCount   segments of the file.
     * @param generationSize packets per segment, 1 to 256.
     * @param symbolSize     payload bytes per packet.
     */
    public VirtualSegmentStore(final int segmentCount, final int generationSize, final int symbolSize)
    {
        if (segmentCount < 1 || generationSize < 1 || generationSize > 256 || symbolSize < 1)
        {
            throw new IllegalArgumentException("invalid store shape");
        }
        this.segmentCount = segmentCount;
        this.generationSize = generationSize;
        this.symbolSize = symbolSize;
        this.rowsByPivot = new byte[segmentCount][][];
        this.rank = new int[segmentCount];
        this.vector = new byte[generationSize];
        this.coefficients = new byte[generationSize];
    }

    @Override
    public int segmentCount()
    {
        return segmentCount;
    }

    @Override
    public int generationSize()
    {
        return generationSize;
    }

    @Override
    public int codedPacketLength()
    {
        return HEADER_LENGTH + generationSize + symbolSize;
    }

    /**
     * Length of a coded packet of a segment held decoded (SEED encoding).
     *
     * @return bytes.
     */
    public int seededPacketLength()
    {
        return HEADER_LENGTH + Long.BYTES + symbolSize;
    }

    @Override
    public int plainPacketLength()
    {
        return HEADER_LENGTH + 1 + symbolSize;
    }

    @Override
    public int rank(final int segment)
    {
        return rank[segment];
    }

    @Override
    public boolean isDecoded(final int segment)
    {
        return rank[segment] == generationSize;
    }

    @Override
    public void loadSource(final int segment)
    {
        final byte[][] rows = rows(segment);
        for (int i = 0; i < generationSize; i++)
        {
            final byte[] row = new byte[generationSize];
            row[i] = 1;
            rows[i] = row;
        }
        rank[segment] = generationSize;
    }

    @Override
    public void writeCoded(final int segment, final ByteBuf out, final SplittableRandom random)
    {
        if (rank[segment] == 0)
        {
            throw new IllegalStateException("nothing held of segment " + segment);
        }
        if (isDecoded(segment))
        {
            long seed;
            do
            {
                seed = random.nextLong();
                expandSeed(seed, coefficients);
            }
            while (isZero(coefficients));
            writeHeader(out, segment, ENCODING_SEED);
            out.writeLong(seed);
            out.writeZero(symbolSize);
            return;
        }
        final byte[][] rows = rowsByPivot[segment];
        do
        {
            java.util.Arrays.fill(coefficients, (byte)0);
            for (int p = 0; p < generationSize; p++)
            {
                if (rows[p] != null)
                {
                    Gf.mulAdd(coefficients, rows[p], random.nextInt(256), generationSize);
                }
            }
        }
        while (isZero(coefficients));
        writeHeader(out, segment, ENCODING_FULL);
        out.writeBytes(coefficients);
        out.writeZero(symbolSize);
    }

    @Override
    public void writePlain(final int segment, final int index, final ByteBuf out)
    {
        if (!isDecoded(segment) || index < 0 || index >= generationSize)
        {
            throw new IllegalStateException("no plain packet " + index + " of segment " + segment);
        }
        writeHeader(out, segment, ENCODING_SYSTEMATIC);
        out.writeByte(index);
        out.writeZero(symbolSize);
    }

    @Override
    public int plainIndex(final ByteBuf buffer, final int offset, final int length)
    {
        if (length != plainPacketLength() || buffer.getByte(offset + ENCODING_OFFSET) != ENCODING_SYSTEMATIC)
        {
            return -1;
        }
        final int index = buffer.getUnsignedByte(offset + HEADER_LENGTH);
        return index < generationSize ? index : -1;
    }

    private void writeHeader(final ByteBuf out, final int segment, final int encoding)
    {
        out.writeByte(1);
        out.writeByte(encoding);
        out.writeByte(generationSize - 1);
        out.writeByte(0);
        out.writeInt(segment);
        out.writeShort(symbolSize - 1);
        out.writeShort(0);
        out.writeInt(generationSize * symbolSize);
    }

    /**
     * The coefficients a SEED packet stands for: the first g bytes of {@code new SplittableRandom(seed)}'s
     * {@code nextLong()} stream, little-endian, as the coder defines it.
     */
    static void expandSeed(final long seed, final byte[] dst)
    {
        final SplittableRandom expansion = new SplittableRandom(seed);
        long word = 0;
        for (int i = 0; i < dst.length; i++)
        {
            if ((i & 7) == 0)
            {
                word = expansion.nextLong();
            }
            dst[i] = (byte)(word >>> ((i & 7) * 8));
        }
    }

    private static boolean isZero(final byte[] vector)
    {
        for (final byte b : vector)
        {
            if (b != 0)
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public int absorb(final int segment, final long source, final ByteBuf buffer, final int offset, final int length)
    {
        if (segment < 0 || segment >= segmentCount || length < HEADER_LENGTH)
        {
            return ABSORB_REJECTED;
        }
        final int encoding = buffer.getByte(offset + ENCODING_OFFSET);
        if (encoding == ENCODING_FULL && length == codedPacketLength())
        {
            buffer.getBytes(offset + HEADER_LENGTH, vector);
        }
        else if (encoding == ENCODING_SEED && length == seededPacketLength())
        {
            expandSeed(buffer.getLong(offset + HEADER_LENGTH), vector);
        }
        else if (encoding == ENCODING_SYSTEMATIC && length == plainPacketLength())
        {
            final int index = plainIndex(buffer, offset, length);
            if (index < 0)
            {
                return ABSORB_REJECTED;
            }
            java.util.Arrays.fill(vector, (byte)0);
            vector[index] = 1;
        }
        else
        {
            return ABSORB_REJECTED;
        }
        if (isDecoded(segment))
        {
            return ABSORB_REDUNDANT;
        }
        final byte[][] rows = rows(segment);
        int pivot = -1;
        for (int c = 0; c < generationSize; c++)
        {
            final int v = vector[c] & 0xFF;
            if (v == 0)
            {
                continue;
            }
            if (rows[c] != null)
            {
                Gf.mulAdd(vector, rows[c], v, generationSize);
            }
            else if (pivot < 0)
            {
                pivot = c;
            }
        }
        if (pivot < 0)
        {
            return ABSORB_REDUNDANT;
        }
        final int scale = Gf.inv(vector[pivot] & 0xFF);
        final byte[] row = new byte[generationSize];
        Gf.mulAdd(row, vector, scale, generationSize);
        rows[pivot] = row;
        rank[segment]++;
        return isDecoded(segment) ? ABSORB_DECODED : ABSORB_INNOVATIVE;
    }

    private byte[][] rows(final int segment)
    {
        byte[][] rows = rowsByPivot[segment];
        if (rows == null)
        {
            rows = new byte[generationSize][];
            rowsByPivot[segment] = rows;
        }
        return rows;
    }
}
