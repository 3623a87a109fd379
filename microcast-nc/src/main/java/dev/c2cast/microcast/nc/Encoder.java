package dev.c2cast.microcast.nc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

import dev.c2cast.microcast.nc.internal.GfKernel;
import dev.c2cast.microcast.nc.internal.Kernels;
import dev.c2cast.microcast.nc.internal.SourceBuffer;
import dev.c2cast.microcast.nc.internal.SplitMix;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Produces coded packets of one {@link Generation}: optionally the g source symbols first (systematic phase), then
 * random linear combinations of all of them, as many as asked for.
 * <p>
 * Coefficients are drawn from SplitMix64, the generator of {@link java.util.SplittableRandom}, seeded by the
 * caller: it is not linear over GF(2), so random coefficient matrices are singular only as often as random
 * matrices over GF(2^8) are. A coefficient vector travels either in full ({@link CoefficientEncoding#FULL}, g bytes)
 * or as the 8-byte seed it was expanded from ({@link CoefficientEncoding#SEED}). All-zero vectors are never sent.
 * <p>
 * Coded packets are computed up to {@value #BURST} at a time ({@link #writePackets}), several per pass over the
 * sources, straight into the arrays behind the destination buffers when they have room (heap buffers; otherwise
 * through a buffer of the encoder's own and a copy). All buffers are allocated at construction, so writing a
 * packet allocates nothing. Not thread-safe.
 */
public final class Encoder
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Most coded packets computed per call of the kernel: a multiple of the SIMD kernel's outputs per pass over the
     * sources (3 on JDK 25 and later, 5 before), so a full burst has no lone outputs that would reread every source.
     */
    public static final int BURST = 30;

    private final GfKernel kernel = Kernels.active();
    private final Generation generation;
    private final CoefficientEncoding encoding;
    private final boolean systematic;
    private final int g;
    private final int s;
    private final int stride;
    private final byte[] coefficients;
    private final long[] seeds;
    private final byte[] coded;
    /** The 16-byte header of the coded packets of the current call, copied into packets computed in place. */
    private final byte[] header = new byte[CodedPacket.HEADER_LENGTH];
    private final ByteBuf headerView = Unpooled.wrappedBuffer(header);
    private final int[] codedOffsets;
    private final int[] rawOffsets = new int[BURST];
    private final byte[][] burstArrays = new byte[BURST][];
    private final int[] burstOffsets = new int[BURST];
    private final boolean[] inPlace = new boolean[BURST];
    private long generationId;
    private long state;
    private int nextSystematic;
    private long written;

    /**
     * Creates an encoder.
     *
     * @param generation   the source symbols (read at every call, so reloading it changes what is encoded).
     * @param generationId the id carried in every packet, an unsigned 32-bit value.
     * @param encoding     {@link CoefficientEncoding#FULL} or {@link CoefficientEncoding#SEED}.
     * @param systematic   whether the g source symbols are sent first.
     * @param seed         seed of the coefficient generator.
     */
    public Encoder(final Generation generation, final long generationId, final CoefficientEncoding encoding,
        final boolean systematic, final long seed)
    {
        this.generation = Objects.requireNonNull(generation, "generation");
        if (encoding == CoefficientEncoding.SYSTEMATIC || encoding == null)
        {
            throw new IllegalArgumentException("coded packets use FULL or SEED coefficients, not " + encoding);
        }
        this.encoding = encoding;
        this.systematic = systematic;
        this.g = generation.parameters().generationSize();
        this.s = generation.parameters().symbolSize();
        this.stride = generation.stride();
        this.coefficients = new byte[BURST * g + Long.BYTES];
        this.seeds = new long[BURST];
        this.coded = new byte[BURST * stride];
        this.codedOffsets = new int[BURST];
        for (int k = 0; k < BURST; k++)
        {
            codedOffsets[k] = k * stride;
        }
        this.state = seed;
        reset(generationId);
    }

    /**
     * Starts over for a generation that was {@link Generation#load reloaded}: new id, systematic phase again. The
     * coefficient stream continues.
     *
     * @param newGenerationId the id carried from now on.
     */
    public void reset(final long newGenerationId)
    {
        if (newGenerationId < 0 || newGenerationId > 0xFFFF_FFFFL)
        {
            throw new IllegalArgumentException("generation id must be an unsigned 32-bit value: " + newGenerationId);
        }
        this.generationId = newGenerationId;
        this.nextSystematic = systematic ? 0 : g;
    }

    /**
     * Largest packet this encoder writes.
     *
     * @return bytes.
     */
    public int maxPacketLength()
    {
        return CodedPacket.maxLength(generation.parameters());
    }

    /**
     * s rounded up to a multiple of 128 (two 512-bit vectors): the region each output of {@link #encode} must have
     * room for.
     *
     * @return the padded symbol size.
     */
    public int paddedSymbolSize()
    {
        return stride;
    }

    /**
     * Packets written since construction.
     *
     * @return the count.
     */
    public long packetsWritten()
    {
        return written;
    }

    /**
     * Whether the next packet is a systematic one.
     *
     * @return true during the systematic phase.
     */
    public boolean inSystematicPhase()
    {
        return nextSystematic < g;
    }

    /**
     * Writes the next packet at the buffer's writer index and advances it.
     *
     * @param out destination; grown by Netty if it lacks room.
     * @return bytes written.
     */
    public int writePacket(final ByteBuf out)
    {
        if (nextSystematic < g)
        {
            return writeSystematic(out);
        }
        prepare(1);
        multiply(coefficients, 0, 1, coded, codedOffsets);
        inPlace[0] = false;
        return emit(0, out);
    }

    /**
     * Writes {@code count} packets, one into each buffer {@code outs[offset .. offset + count)}, computing coded
     * ones {@value #BURST} per pass over the sources.
     *
     * @param outs   destinations.
     * @param offset first destination used.
     * @param count  number of packets.
     * @return bytes written in all.
     */
    public int writePackets(final ByteBuf[] outs, final int offset, final int count)
    {
        Objects.checkFromIndexSize(offset, count, outs.length);
        int total = 0;
        int i = 0;
        while (i < count && nextSystematic < g)
        {
            total += writeSystematic(outs[offset + i++]);
        }
        while (i < count)
        {
            final int n = Math.min(BURST, count - i);
            prepare(n);
            CodedPacket.writeHeader(headerView, 0, encoding, g, s, generationId, generation.length());
            for (int k = 0; k < n; k++)
            {
                target(k, outs, offset + i, offset + i + k);
            }
            final SourceBuffer sources = generation.sourceBuffer();
            if (sources != null)
            {
                sources.multiplyTo(coefficients, 0, g, n, g, stride, burstArrays, burstOffsets, stride);
            }
            else
            {
                kernel.multiplyTo(coefficients, 0, g, n, g, generation.storage(), 0, stride, burstArrays,
                    burstOffsets, stride);
            }
            for (int k = 0; k < n; k++)
            {
                total += emit(k, outs[offset + i + k]);
            }
            i += n;
        }
        return total;
    }

    /**
     * Where coded payload {@code k} of a burst is computed: straight into the array behind the destination buffer
     * when it has one with room for the padded symbol (the kernel writes whole vectors, up to 127 bytes past the
     * packet, which stay beyond the writer index), otherwise into the encoder's own buffer, copied by {@link #emit}.
     */
    private void target(final int k, final ByteBuf[] outs, final int first, final int at)
    {
        final ByteBuf out = outs[at];
        final int need = CodedPacket.length(encoding, g, s) + stride - s;
        boolean direct = out.hasArray() && out.maxCapacity() - out.writerIndex() >= need;
        for (int other = first; direct && other < at; other++)
        {
            direct = outs[other] != out;
        }
        if (direct)
        {
            if (out.writableBytes() < need)
            {
                out.ensureWritable(need);
            }
            burstArrays[k] = out.array();
            burstOffsets[k] = out.arrayOffset() + out.writerIndex() + CodedPacket.HEADER_LENGTH +
                (encoding == CoefficientEncoding.SEED ? Long.BYTES : g);
        }
        else
        {
            burstArrays[k] = coded;
            burstOffsets[k] = k * stride;
        }
        inPlace[k] = direct;
    }

    /**
     * Raw encoding, without framing: {@code count} coded symbols for given coefficient vectors. Output {@code k} is
     * {@link #paddedSymbolSize()} bytes at {@code dst[dstOff + k * dstStride]} (the first s are the symbol).
     *
     * @param coefs     {@code count} vectors of g coefficients, back to back from {@code coefOff}.
     * @param coefOff   first coefficient.
     * @param count     number of outputs.
     * @param dst       destination array.
     * @param dstOff    offset of output 0.
     * @param dstStride distance between outputs, at least {@link #paddedSymbolSize()}.
     */
    public void encode(final byte[] coefs, final int coefOff, final int count, final byte[] dst, final int dstOff,
        final int dstStride)
    {
        Objects.checkFromIndexSize(coefOff, count * g, coefs.length);
        if (dstStride < stride)
        {
            throw new IllegalArgumentException("dstStride " + dstStride + " < padded symbol size " + stride);
        }
        if (count > 0)
        {
            Objects.checkFromIndexSize(dstOff, (count - 1) * dstStride + stride, dst.length);
        }
        final int[] offsets = rawOffsets;
        for (int done = 0; done < count; done += BURST)
        {
            final int n = Math.min(BURST, count - done);
            for (int k = 0; k < n; k++)
            {
                offsets[k] = dstOff + (done + k) * dstStride;
            }
            multiply(coefs, coefOff + done * g, n, dst, offsets);
        }
    }

    /** Outputs of {@code n} coefficient rows of g from {@code coefOff}, from the generation's fastest copy. */
    private void multiply(final byte[] coefs, final int coefOff, final int n, final byte[] dst, final int[] offsets)
    {
        final SourceBuffer sources = generation.sourceBuffer();
        if (sources != null)
        {
            sources.multiply(coefs, coefOff, g, n, g, stride, dst, offsets, stride);
        }
        else
        {
            kernel.multiply(coefs, coefOff, g, n, g, generation.storage(), 0, stride, dst, offsets, stride, false);
        }
    }

    private void prepare(final int n)
    {
        for (int k = 0; k < n; k++)
        {
            final int row = k * g;
            if (encoding == CoefficientEncoding.SEED)
            {
                long seed;
                do
                {
                    seed = nextLong();
                }
                while (!SplitMix.expand(seed, coefficients, row, g));
                seeds[k] = seed;
            }
            else
            {
                // Eight coefficients per store; the last store of a row may run into the next row (rewritten
                // after) or into the array's slack, so only the row's own bytes count toward "any".
                long any;
                do
                {
                    any = 0;
                    int i = 0;
                    for (; i + Long.BYTES <= g; i += Long.BYTES)
                    {
                        final long bits = nextLong();
                        LONGS.set(coefficients, row + i, bits);
                        any |= bits;
                    }
                    if (i < g)
                    {
                        final long bits = nextLong();
                        LONGS.set(coefficients, row + i, bits);
                        any |= bits & (-1L >>> (Long.BYTES * (Long.BYTES - (g - i))));
                    }
                }
                while (any == 0);
            }
        }
    }

    private long nextLong()
    {
        state += SplitMix.GAMMA;
        return SplitMix.mix64(state);
    }

    private int emit(final int k, final ByteBuf out)
    {
        final int length = CodedPacket.length(encoding, g, s);
        final int index = out.writerIndex();
        if (inPlace[k] && encoding == CoefficientEncoding.FULL)
        {
            // Payload already computed in the buffer's array (room checked and ensured by target): header and
            // coefficients by array copy, without a bounds-checked ByteBuf call per field.
            final byte[] array = burstArrays[k];
            final int base = burstOffsets[k] - g - CodedPacket.HEADER_LENGTH;
            System.arraycopy(header, 0, array, base, CodedPacket.HEADER_LENGTH);
            System.arraycopy(coefficients, k * g, array, base + CodedPacket.HEADER_LENGTH, g);
            out.writerIndex(index + length);
            written++;
            return length;
        }
        out.ensureWritable(length);
        CodedPacket.writeHeader(out, index, encoding, g, s, generationId, generation.length());
        int at = index + CodedPacket.HEADER_LENGTH;
        if (encoding == CoefficientEncoding.SEED)
        {
            out.setLong(at, seeds[k]);
            at += Long.BYTES;
        }
        else
        {
            out.setBytes(at, coefficients, k * g, g);
            at += g;
        }
        if (!inPlace[k])
        {
            out.setBytes(at, coded, k * stride, s);
        }
        out.writerIndex(index + length);
        written++;
        return length;
    }

    private int writeSystematic(final ByteBuf out)
    {
        final int i = nextSystematic++;
        final int length = CodedPacket.length(CoefficientEncoding.SYSTEMATIC, g, s);
        out.ensureWritable(length);
        final int index = out.writerIndex();
        CodedPacket.writeHeader(out, index, CoefficientEncoding.SYSTEMATIC, g, s, generationId, generation.length());
        out.setByte(index + CodedPacket.HEADER_LENGTH, i);
        out.setBytes(index + CodedPacket.HEADER_LENGTH + 1, generation.storage(), i * stride, s);
        out.writerIndex(index + length);
        written++;
        return length;
    }
}
