package dev.c2cast.microcast.nc;

import java.util.Arrays;
import java.util.Objects;

import dev.c2cast.microcast.nc.CodedPacketException.Reason;
import dev.c2cast.microcast.nc.internal.GfKernel;
import dev.c2cast.microcast.nc.internal.GfTables;
import dev.c2cast.microcast.nc.internal.Kernels;
import io.netty.buffer.ByteBuf;

/**
 * Progressive decoder of one generation: elimination as each packet arrives, so the work is spread over the
 * arrivals and source symbols can be released as soon as they are decoded, before the generation is complete (a
 * streaming player need not wait for all g).
 * <p>
 * Packets are stored in arrival order (slot {@code t} holds the t-th innovative packet), each as its coefficients
 * and payload side by side (coefficients and payload each padded to 128 bytes). Three small matrices over the
 * coefficients track the state, so that the elimination of later pivots never touches a payload:
 * <ul>
 * <li>the stored rows E: packet t reduced on arrival against the earlier ones (zero at their pivot columns) and
 * scaled so that its pivot, its first non-zero coefficient, is 1;</li>
 * <li>the reduced row-echelon form F of the same rows, coefficients only (Gauss-Jordan on g-byte rows), which says
 * what is decoded: symbol {@code i} is decoded once the row whose pivot is {@code i} is the unit vector, exactly as
 * with eager Gauss-Jordan;</li>
 * <li>the matrix M with F = M E, kept as the elimination goes (M is unit upper triangular in arrival order: eliminating
 * pivot v from row t adds the factor to M[t][v]).</li>
 * </ul>
 * An arriving packet is
 * <ol>
 * <li>reduced: its coefficients by one multi-source dot product over F (factors: its own coefficients at the pivot
 * columns), which also gives the factors of its payload's reduction over the stored payloads E (carried through
 * M);</li>
 * <li>dropped if nothing is left: it was not innovative (counted in {@link #nonInnovativeCount()}, not stored, its
 * payload never touched);</li>
 * <li>otherwise stored, scaled, as row E_t; its pivot is eliminated from F (coefficients only). The reduction of
 * its payload is done in a batch with the next innovative packets' ({@value #BATCH} at a time, one kernel pass over
 * the older rows for the whole batch, then within the batch), and before any payload is read.</li>
 * </ol>
 * When the rank reaches g the payloads are back-substituted once, F = M E, in blocks of rows (one pass over the
 * later rows computes several outputs). A symbol decoded before that is computed on request from E and M by
 * {@link #copySymbol} (one dot product). The rank never exceeds g and memory is fixed at construction ({@code (g + 1)}
 * rows), whatever arrives. Receiving allocates nothing. Not thread-safe.
 */
public final class Decoder
{
    /**
     * Rows back-substituted per block: the rows within a block are computed one by one, the rest of the work with
     * one pass of the SIMD kernel over the later rows for all rows of the block (3 outputs per pass on JDK 25).
     */
    private static final int BLOCK = 3;

    /**
     * Innovative packets whose payload reduction is batched: their coefficients are reduced on arrival (so rank,
     * innovation and what is decoded are known at once), their payloads, stored scaled, are reduced against the
     * older rows {@value} at a time in one pass of the kernel over those rows (3 outputs per pass on JDK 25), the
     * pass a packet at a time would take one sweep over every older row per packet.
     */
    private static final int BATCH = 3;

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
    private final int[] sources;
    /** F: reduced row-echelon coefficients, slot by slot. */
    private final byte[] reduced;
    /** M: F_t = sum over v of M[t][v] E_v; row stride coefStride, columns are slots. */
    private final byte[] mix;
    private final byte[] payloadFactors;
    private final int[] pivotOfSlot;
    private final int[] slotOfPivot;
    /** Row k: factors over the stored rows E (by slot) still to be added to the payload of slot firstPending + k. */
    private final byte[] pendingFactors;
    private final int[] pendingTargets = new int[BATCH];
    /** Whether pending row k has a non-zero factor over the rows older than the batch. */
    private final boolean[] pendingOlder = new boolean[BATCH];
    private int firstPending;
    private int pendingCount;
    private boolean materialized;
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
        this.coefStride = (g + GfKernel.PADDING - 1) & -GfKernel.PADDING;
        this.rowStride = (coefStride + s + GfKernel.PADDING - 1) & -GfKernel.PADDING;
        this.scratch = g * rowStride;
        this.rows = new byte[(g + 1) * rowStride];
        this.present = new boolean[g];
        this.decoded = new boolean[g];
        this.factors = new byte[g];
        this.targets = new int[g];
        this.sources = new int[g];
        this.reduced = new byte[g * coefStride];
        this.mix = new byte[g * coefStride];
        this.payloadFactors = new byte[coefStride];
        this.pivotOfSlot = new int[g];
        this.slotOfPivot = new int[g];
        this.pendingFactors = new byte[BATCH * coefStride];
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
        Arrays.fill(slotOfPivot, -1);
        this.materialized = false;
        this.pendingCount = 0;
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

        // 1. Reduce. Coefficients: by F, factor = the packet's coefficient at each pivot (F is zero at the other
        //    pivots, so the factors do not change while reducing). Payload: the same combination of F rows is an
        //    M-weighted combination of E rows, so the factors over E are those factors times M; the payload is
        //    reduced by them later, in a batch (see BATCH), and only if the packet is innovative.
        Arrays.fill(payloadFactors, (byte)0);
        int terms = 0;
        for (int t = 0; t < rank; t++)
        {
            final byte c = m[scratch + pivotOfSlot[t]];
            if (c != 0)
            {
                factors[terms] = c;
                sources[terms++] = t * coefStride;
            }
        }
        if (terms > 0)
        {
            kernel.dotRows(factors, sources, terms, reduced, m, scratch, coefStride);
            kernel.dotRows(factors, sources, terms, mix, payloadFactors, 0, coefStride);
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

        // 3. Store it, scaled so the pivot is 1, as E_t in the next slot (F_t = E_t, M[t] = unit), then eliminate
        //    the pivot column from the other rows of F, recording each factor in M.
        final int slot = rank;
        final int stored = slot * rowStride;
        Arrays.fill(m, stored, stored + rowStride, (byte)0);
        final int inverse = GfTables.INV[m[scratch + pivot] & 0xFF] & 0xFF;
        factors[0] = (byte)inverse;
        targets[0] = stored;
        kernel.mulAddTo(factors, 1, m, scratch, m, targets, rowStride);
        // The payload stored so far is inverse * packet; what is left of E_t is inverse * (factors over E).
        if (pendingCount == 0)
        {
            firstPending = slot;
        }
        final int pendingRow = pendingCount * coefStride;
        final int table = inverse << 8;
        int older = 0;
        for (int v = 0; v < slot; v++)
        {
            final byte f = GfTables.MUL[table | (payloadFactors[v] & 0xFF)];
            pendingFactors[pendingRow + v] = f;
            older |= v < firstPending ? f : 0;
        }
        pendingOlder[pendingCount++] = older != 0;
        final int own = slot * coefStride;
        System.arraycopy(m, stored, reduced, own, coefStride);
        Arrays.fill(mix, own, own + coefStride, (byte)0);
        mix[own + slot] = 1;
        int affected = 0;
        for (int t = 0; t < slot; t++)
        {
            final byte c = reduced[t * coefStride + pivot];
            if (c != 0)
            {
                factors[affected] = c;
                targets[affected++] = t * coefStride;
                mix[t * coefStride + slot] = c;
            }
        }
        if (affected > 0)
        {
            kernel.mulAddTo(factors, affected, reduced, own, reduced, targets, coefStride);
        }
        pivotOfSlot[slot] = pivot;
        slotOfPivot[pivot] = slot;
        present[pivot] = true;
        rank++;

        // 4. Rows that may have become unit vectors: the new one and those just changed.
        markIfDecoded(slot);
        for (int a = 0; a < affected; a++)
        {
            markIfDecoded(targets[a] / coefStride);
        }
        while (decodedPrefix < g && decoded[decodedPrefix])
        {
            decodedPrefix++;
        }
        if (pendingCount == BATCH || rank == g)
        {
            reducePending();
        }
        if (rank == g)
        {
            backSubstitute();
        }
        return true;
    }

    /**
     * Completes the payloads of the pending rows: first the factors over the rows older than the batch, one kernel
     * pass over those rows for the whole batch, then within the batch, oldest first (each reads only finished rows).
     */
    private void reducePending()
    {
        final int count = pendingCount;
        if (count == 0)
        {
            return;
        }
        pendingCount = 0;
        final byte[] m = rows;
        final int first = firstPending;
        final int len = rowStride - coefStride;
        for (int k = 0; k < count; k++)
        {
            pendingTargets[k] = (first + k) * rowStride + coefStride;
        }
        // One kernel call per run of rows that have factors over the older rows (a systematic packet has none).
        int k = 0;
        while (k < count)
        {
            if (!pendingOlder[k])
            {
                k++;
                continue;
            }
            int end = k + 1;
            while (end < count && pendingOlder[end])
            {
                end++;
            }
            for (int r = k; r < end; r++)
            {
                targets[r - k] = pendingTargets[r];
            }
            kernel.multiply(pendingFactors, k * coefStride, coefStride, end - k, first, m, coefStride, rowStride, m,
                targets, len, true);
            k = end;
        }
        for (k = 1; k < count; k++)
        {
            final int row = k * coefStride;
            int terms = 0;
            for (int v = first; v < first + k; v++)
            {
                final byte c = pendingFactors[row + v];
                if (c != 0)
                {
                    factors[terms] = c;
                    sources[terms++] = v * rowStride + coefStride;
                }
            }
            if (terms > 0)
            {
                kernel.dotRows(factors, sources, terms, m, m, pendingTargets[k], len);
            }
        }
    }

    /**
     * F = M E in place, once the rank is g: blocks of rows in arrival order, each block first within itself (the
     * oldest row of the block uses the block's later rows before they change), then from all later rows at once,
     * several outputs per pass. Row t only reads rows after it, which are still E when it is computed.
     */
    private void backSubstitute()
    {
        final byte[] m = rows;
        for (int first = 0; first < g; first += BLOCK)
        {
            final int end = Math.min(g, first + BLOCK);
            for (int t = first; t < end - 1; t++)
            {
                int terms = 0;
                for (int v = t + 1; v < end; v++)
                {
                    final byte c = mix[t * coefStride + v];
                    if (c != 0)
                    {
                        factors[terms] = c;
                        sources[terms++] = v * rowStride;
                    }
                }
                if (terms > 0)
                {
                    kernel.dotRows(factors, sources, terms, m, m, t * rowStride, rowStride);
                }
            }
            if (end < g)
            {
                for (int t = first; t < end; t++)
                {
                    targets[t - first] = t * rowStride;
                }
                kernel.multiply(mix, first * coefStride + end, coefStride, end - first, g - end, m, end * rowStride,
                    rowStride, m, targets, rowStride, true);
            }
        }
        materialized = true;
    }

    private void markIfDecoded(final int slot)
    {
        final int i = pivotOfSlot[slot];
        if (decoded[i])
        {
            return;
        }
        final int base = slot * coefStride;
        for (int j = 0; j < g; j++)
        {
            if (j != i && reduced[base + j] != 0)
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
        Objects.checkFromIndexSize(dstOff, s, dst.length);
        final int slot = slotOfPivot[i];
        reducePending();
        if (materialized)
        {
            System.arraycopy(rows, slot * rowStride + coefStride, dst, dstOff, s);
            return;
        }
        // F_slot = sum over v of M[slot][v] E_v, computed in the scratch row.
        int terms = 0;
        for (int v = slot; v < rank; v++)
        {
            final byte c = mix[slot * coefStride + v];
            if (c != 0)
            {
                factors[terms] = c;
                sources[terms++] = v * rowStride + coefStride;
            }
        }
        Arrays.fill(rows, scratch + coefStride, scratch + rowStride, (byte)0);
        kernel.dotRows(factors, sources, terms, rows, rows, scratch + coefStride, rowStride - coefStride);
        System.arraycopy(rows, scratch + coefStride, dst, dstOff, s);
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
            System.arraycopy(rows, slotOfPivot[i] * rowStride + coefStride, dst, dstOff + i * s, n);
            remaining -= n;
        }
        return segmentLength;
    }

    // Recoder access: rows are [coefficients (coefStride) | payload (padded s)].
    byte[] rows()
    {
        reducePending();
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
        return row < rank;
    }
}
