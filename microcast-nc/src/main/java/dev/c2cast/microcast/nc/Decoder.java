package dev.c2cast.microcast.nc;

import java.util.Arrays;
import java.util.Objects;

import dev.c2cast.microcast.nc.CodedPacketException.Reason;
import dev.c2cast.microcast.nc.internal.GfKernel;
import dev.c2cast.microcast.nc.internal.GfTables;
import dev.c2cast.microcast.nc.internal.Kernels;
import io.netty.buffer.ByteBuf;

/**
 * Progressive decoder of one generation: Gauss-Jordan elimination as each packet arrives, so the work is spread
 * over the arrivals and source symbols can be released as soon as they are decoded, before the generation is
 * complete (a streaming player need not wait for all g).
 * <p>
 * The decoder keeps its rows in reduced row-echelon form: row {@code k}, when present, has its leading 1 in column
 * {@code k} and zeros in every other pivot column. Each row holds its coefficients and its payload side by side
 * (coefficients padded to 64 bytes, the row to 128), so one kernel call updates both. An arriving packet is
 * <ol>
 * <li>reduced by every present row at once (one multi-source dot product with the packet's own coefficients at
 * the pivot columns),</li>
 * <li>dropped if nothing is left: it was not innovative (counted in {@link #nonInnovativeCount()}, not stored),</li>
 * <li>otherwise scaled so its first non-zero coefficient {@code k} is 1, eliminated from every present row that
 * has a non-zero in column {@code k} (one pass, several rows per source block), and stored as row {@code k}.</li>
 * </ol>
 * Source symbol {@code i} is decoded once row {@code i} is the unit vector; it then never changes. The rank never
 * exceeds g and memory is fixed at construction ({@code (g + 1)} rows), whatever arrives. Receiving allocates
 * nothing. Not thread-safe.
 */
public final class Decoder
{
    private final GfKernel kernel = Kernels.active();
    private final CodingParameters parameters;
    private final int g;
    private final int s;
    private final int coefStride;
    private final int rowStride;
    private final int scratch;
    private final byte[] rows;
    private final boolean[] present;
    private final boolean[] decoded;
    private final byte[] factors;
    private final int[] targets;
    private long generationId;
    private int segmentLength;
    private int rank;
    private int decodedCount;
    private int decodedPrefix;
    private long received;
    private long nonInnovative;

    /**
     * Creates a decoder for one generation.
     *
     * @param parameters   g and s the packets must have.
     * @param generationId the id the packets must carry, an unsigned 32-bit value.
     */
    public Decoder(final CodingParameters parameters, final long generationId)
    {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.g = parameters.generationSize();
        this.s = parameters.symbolSize();
        this.coefStride = (g + 63) & -64;
        this.rowStride = (coefStride + s + GfKernel.PADDING - 1) & -GfKernel.PADDING;
        this.scratch = g * rowStride;
        this.rows = new byte[(g + 1) * rowStride];
        this.present = new boolean[g];
        this.decoded = new boolean[g];
        this.factors = new byte[g];
        this.targets = new int[g];
        reset(generationId);
    }

    /**
     * Forgets everything and starts on another generation with the same parameters; allocates nothing.
     *
     * @param newGenerationId the id the packets must carry from now on.
     */
    public void reset(final long newGenerationId)
    {
        if (newGenerationId < 0 || newGenerationId > 0xFFFF_FFFFL)
        {
            throw new IllegalArgumentException("generation id must be an unsigned 32-bit value: " + newGenerationId);
        }
        this.generationId = newGenerationId;
        Arrays.fill(present, false);
        Arrays.fill(decoded, false);
        this.segmentLength = -1;
        this.rank = 0;
        this.decodedCount = 0;
        this.decodedPrefix = 0;
        this.received = 0;
        this.nonInnovative = 0;
    }

    /**
     * Takes one packet (already validated by {@link CodedPacket#wrap}).
     *
     * @param packet the packet.
     * @return true if it was innovative (raised the rank), false if it was not (and was dropped).
     * @throws CodedPacketException if it belongs to another generation, has another g or s, or another segment
     *                              length than earlier packets.
     */
    public boolean receive(final CodedPacket packet)
    {
        if (packet.generationId() != generationId)
        {
            throw new CodedPacketException(Reason.GENERATION_MISMATCH, "packet of generation " +
                packet.generationId() + " given to the decoder of " + generationId);
        }
        if (packet.generationSize() != g || packet.symbolSize() != s)
        {
            throw new CodedPacketException(Reason.PARAMETERS_MISMATCH, "packet g=" + packet.generationSize() +
                " s=" + packet.symbolSize() + ", generation g=" + g + " s=" + s);
        }
        if (segmentLength >= 0 && packet.segmentLength() != segmentLength)
        {
            throw new CodedPacketException(Reason.SEGMENT_LENGTH_MISMATCH, "segment length " +
                packet.segmentLength() + ", earlier packets said " + segmentLength);
        }
        segmentLength = packet.segmentLength();
        packet.copyCoefficients(rows, scratch);
        final ByteBuf buf = packet.buffer();
        buf.getBytes(packet.payloadIndex(), rows, scratch + coefStride, s);
        return absorb();
    }

    /**
     * Takes one unframed coded symbol.
     *
     * @param coefs      its g coefficients.
     * @param coefOff    first coefficient.
     * @param payload    its s payload bytes.
     * @param payloadOff first payload byte.
     * @return true if it was innovative, false if it was not (an all-zero vector never is).
     */
    public boolean receive(final byte[] coefs, final int coefOff, final byte[] payload, final int payloadOff)
    {
        Objects.checkFromIndexSize(coefOff, g, coefs.length);
        Objects.checkFromIndexSize(payloadOff, s, payload.length);
        System.arraycopy(coefs, coefOff, rows, scratch, g);
        System.arraycopy(payload, payloadOff, rows, scratch + coefStride, s);
        return absorb();
    }

    private boolean absorb()
    {
        received++;
        final byte[] m = rows;
        Arrays.fill(m, scratch + g, scratch + coefStride, (byte)0);
        Arrays.fill(m, scratch + coefStride + s, scratch + rowStride, (byte)0);
        if (rank == g)
        {
            nonInnovative++;
            return false;
        }

        // 1. Reduce by every present row: the coefficients at pivot columns do not change while doing so (each
        //    row is zero at the other pivots), so it is one dot product with those coefficients.
        boolean any = false;
        for (int j = 0; j < g; j++)
        {
            final byte c = present[j] ? m[scratch + j] : 0;
            factors[j] = c;
            any |= c != 0;
        }
        if (any)
        {
            targets[0] = scratch;
            kernel.multiply(factors, 0, 0, 1, g, m, 0, rowStride, m, targets, rowStride, true);
        }

        // 2. Innovative?
        int pivot = -1;
        for (int j = 0; j < g; j++)
        {
            if (m[scratch + j] != 0)
            {
                pivot = j;
                break;
            }
        }
        if (pivot < 0)
        {
            nonInnovative++;
            return false;
        }

        // 3. Normalise, eliminate column `pivot` from the other rows, store.
        kernel.mul(m, scratch, rowStride, GfTables.INV[m[scratch + pivot] & 0xFF]);
        int affected = 0;
        for (int i = 0; i < g; i++)
        {
            if (present[i])
            {
                final byte c = m[i * rowStride + pivot];
                if (c != 0)
                {
                    factors[affected] = c;
                    targets[affected++] = i * rowStride;
                }
            }
        }
        if (affected > 0)
        {
            kernel.multiply(factors, 0, 1, affected, 1, m, scratch, rowStride, m, targets, rowStride, true);
        }
        System.arraycopy(m, scratch, m, pivot * rowStride, rowStride);
        present[pivot] = true;
        rank++;

        // 4. Rows that may have become unit vectors: the new one and those just changed.
        markIfDecoded(pivot);
        for (int a = 0; a < affected; a++)
        {
            markIfDecoded(targets[a] / rowStride);
        }
        while (decodedPrefix < g && decoded[decodedPrefix])
        {
            decodedPrefix++;
        }
        return true;
    }

    private void markIfDecoded(final int i)
    {
        if (decoded[i])
        {
            return;
        }
        final int base = i * rowStride;
        for (int j = 0; j < g; j++)
        {
            if (j != i && rows[base + j] != 0)
            {
                return;
            }
        }
        decoded[i] = true;
        decodedCount++;
    }

    /**
     * The generation's shape.
     *
     * @return g and s.
     */
    public CodingParameters parameters()
    {
        return parameters;
    }

    /**
     * The generation this decoder accepts.
     *
     * @return the unsigned 32-bit id.
     */
    public long generationId()
    {
        return generationId;
    }

    /**
     * Number of linearly independent packets held.
     *
     * @return 0..g.
     */
    public int rank()
    {
        return rank;
    }

    /**
     * Whether every source symbol is decoded.
     *
     * @return true once the rank is g.
     */
    public boolean isComplete()
    {
        return rank == g;
    }

    /**
     * Whether source symbol {@code i} is decoded (it can be released before the generation completes).
     *
     * @param i index below g.
     * @return true if {@link #copySymbol} may be called for it.
     */
    public boolean isDecoded(final int i)
    {
        return decoded[Objects.checkIndex(i, g)];
    }

    /**
     * Number of decoded source symbols.
     *
     * @return 0..g.
     */
    public int decodedCount()
    {
        return decodedCount;
    }

    /**
     * Length of the run of decoded symbols from index 0, what an in-order consumer can take now.
     *
     * @return 0..g.
     */
    public int decodedPrefix()
    {
        return decodedPrefix;
    }

    /**
     * Packets taken, innovative or not (rejected ones are not counted).
     *
     * @return the count.
     */
    public long receivedCount()
    {
        return received;
    }

    /**
     * Packets that were not innovative and were dropped.
     *
     * @return the count.
     */
    public long nonInnovativeCount()
    {
        return nonInnovative;
    }

    /**
     * Segment length carried by the packets, once one has arrived.
     *
     * @return bytes, or -1 before the first framed packet.
     */
    public int segmentLength()
    {
        return segmentLength;
    }

    /**
     * Copies decoded source symbol {@code i} (s bytes).
     *
     * @param i      index below g.
     * @param dst    destination.
     * @param dstOff first byte written.
     * @throws IllegalStateException if symbol {@code i} is not decoded yet.
     */
    public void copySymbol(final int i, final byte[] dst, final int dstOff)
    {
        if (!isDecoded(i))
        {
            throw new IllegalStateException("symbol " + i + " is not decoded yet");
        }
        System.arraycopy(rows, i * rowStride + coefStride, dst, dstOff, s);
    }

    /**
     * Copies the decoded segment, its true length (padding removed).
     *
     * @param dst    destination.
     * @param dstOff first byte written.
     * @return bytes written, {@link #segmentLength()}.
     * @throws IllegalStateException if the generation is not complete or no framed packet told its length.
     */
    public int copySegment(final byte[] dst, final int dstOff)
    {
        if (!isComplete() || segmentLength < 0)
        {
            throw new IllegalStateException("segment not decoded (rank " + rank + " of " + g + ")");
        }
        Objects.checkFromIndexSize(dstOff, segmentLength, dst.length);
        int remaining = segmentLength;
        for (int i = 0; i < g && remaining > 0; i++)
        {
            final int n = Math.min(s, remaining);
            System.arraycopy(rows, i * rowStride + coefStride, dst, dstOff + i * s, n);
            remaining -= n;
        }
        return segmentLength;
    }

    // Recoder access: rows are [coefficients (coefStride) | payload (padded s)].
    byte[] rows()
    {
        return rows;
    }

    int rowStride()
    {
        return rowStride;
    }

    int coefStride()
    {
        return coefStride;
    }

    boolean isPresent(final int row)
    {
        return present[row];
    }
}
