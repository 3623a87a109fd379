package dev.c2cast.microcast.nc.sim;

import java.util.SplittableRandom;

import dev.c2cast.microcast.nc.p2.SegmentStore;

import io.netty.buffer.ByteBuf;

/**
 * A {@link SegmentStore} for simulations that carries real GF(2^8) coefficient vectors but no payload: it decides
 * innovation exactly as a decoder would (incremental Gaussian elimination over the coefficients), while the payload
 * bytes of every packet are zeros of the right length, so frame sizes and airtime are those of the real format.
 * <pre>
 *  coded packet:  | kind=2 (1) | reserved (15) | g coefficients | symbolSize zero bytes |
 *  plain packet:  | kind=1 (1) | index (2)     | reserved (13)  | symbolSize zero bytes |
 * </pre>
 * The 16-byte header has the length of the coder's coded-packet header. Confined to one thread.
 */
public final class VirtualSegmentStore implements SegmentStore
{
    /** Header bytes before the coefficients or the payload. */
    public static final int HEADER_LENGTH = 16;
    private static final int KIND_OFFSET = 0;
    private static final int INDEX_OFFSET = 1;
    private static final byte KIND_PLAIN = 1;
    private static final byte KIND_CODED = 2;

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

    @Override
    public int plainPacketLength()
    {
        return HEADER_LENGTH + symbolSize;
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
        final byte[][] rows = rowsByPivot[segment];
        java.util.Arrays.fill(coefficients, (byte)0);
        for (int p = 0; p < generationSize; p++)
        {
            if (rows[p] != null)
            {
                Gf.mulAdd(coefficients, rows[p], random.nextInt(256), generationSize);
            }
        }
        out.writeByte(KIND_CODED);
        out.writeZero(HEADER_LENGTH - 1);
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
        out.writeByte(KIND_PLAIN);
        out.writeShort(index);
        out.writeZero(HEADER_LENGTH - 3);
        out.writeZero(symbolSize);
    }

    @Override
    public int plainIndex(final ByteBuf buffer, final int offset, final int length)
    {
        if (length != plainPacketLength() || buffer.getByte(offset + KIND_OFFSET) != KIND_PLAIN)
        {
            return -1;
        }
        final int index = buffer.getUnsignedShort(offset + INDEX_OFFSET);
        return index < generationSize ? index : -1;
    }

    @Override
    public int absorb(final int segment, final long source, final ByteBuf buffer, final int offset, final int length)
    {
        if (segment < 0 || segment >= segmentCount || length < HEADER_LENGTH)
        {
            return ABSORB_REJECTED;
        }
        final byte kind = buffer.getByte(offset + KIND_OFFSET);
        if (kind == KIND_CODED && length == codedPacketLength())
        {
            buffer.getBytes(offset + HEADER_LENGTH, vector);
        }
        else if (kind == KIND_PLAIN && length == plainPacketLength())
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
