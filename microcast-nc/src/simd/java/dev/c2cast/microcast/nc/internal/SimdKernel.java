package dev.c2cast.microcast.nc.internal;

import static jdk.incubator.vector.VectorOperators.XOR;

import java.util.function.IntFunction;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernel on the JDK Vector API ({@code jdk.incubator.vector}): the split-nibble method of ISA-L and Kodo.
 * A product {@code c * x} is {@code LOW_c[x & 15] ^ HIGH_c[x >>> 4]}, two 16-entry table lookups done for a whole
 * vector at once; the high nibble comes from shifting 64-bit lanes right by 4 and masking (x86 has no byte shift,
 * so a byte-lane shift would be emulated).
 * <p>
 * This is the only class of the library that uses the Vector API. It lives in its own source root
 * ({@code src/simd/java}), compiled by a separate compiler execution with {@code --add-modules
 * jdk.incubator.vector}, and is loaded reflectively by {@link Kernels} only when that module is in the boot layer.
 * <p>
 * One species for the whole JVM, {@link ByteVector#SPECIES_PREFERRED}: mixing 256- and 512-bit species in one JVM
 * made every vector kernel several times slower on JDK 17. The lookup tables are stored pre-replicated to the
 * vector length so each one is a single load.
 * <p>
 * Two formulations of the matrix product, chosen once per JVM by the JDK's feature version (both are covered by
 * the known-answer self-test and by the identical-bytes property tests, which run on JDK 17 and on newer JDKs):
 * <ul>
 * <li>JDK 25 and later: {@code selectFrom} (compiled to one permute), three outputs per pass over the sources, four
 * vectors per output per step (each pair of table vectors serves four source vectors; with four outputs C2 spilled
 * accumulators to the stack, and g = 32 encoding measured 10 to 20 % slower);</li>
 * <li>JDK 17 to 24: JDK 17 implements {@code selectFrom} as {@code rearrange(toShuffle())} with its index checks
 * per call, so the nibble shuffles are built once per source vector and reused for every output; five outputs per
 * pass, two vectors per output per step (more accumulators spilled registers there).</li>
 * </ul>
 * On JDK 25 and later the encoder's sources can also sit in 64-byte-aligned native memory ({@link SourceBuffer},
 * {@link #newSourceBuffer}): {@code SimdSegments}, compiled against the JDK 25 API ({@code MemorySegment}) into
 * {@code META-INF/versions/25} of the jar, is loaded when it is there and the system property
 * {@value #NATIVE_SOURCES_PROPERTY} is not {@code false}.
 * <p>
 * Every hot loop has its own method with no data-dependent branch inside (a conditional inside a loop that
 * carries vectors made JDK 17's C2 box them), and the accumulating operations of the decoder have methods of their
 * own, so the JIT profiles of encoding and decoding do not mix.
 */
public final class SimdKernel implements GfKernel
{
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int VLEN = SPECIES.length();
    private static final int SHIFT = Integer.numberOfTrailingZeros(VLEN);
    private static final byte[] LOW_V = new byte[256 * VLEN];
    private static final byte[] HIGH_V = new byte[256 * VLEN];
    /** Formulation, fixed per JVM (see the class comment). */
    private static final boolean SELECT_FROM = Runtime.version().feature() >= 25;
    /** System property: {@code false} keeps the encoder's sources in the generation's heap array. */
    public static final String NATIVE_SOURCES_PROPERTY = "dev.c2cast.microcast.nc.nativeSources";
    private static final String SEGMENTS_CLASS = "dev.c2cast.microcast.nc.internal.SimdSegments";
    /** Factory of aligned native source buffers, or null (before JDK 25, without the class, or switched off). */
    private static final IntFunction<SourceBuffer> SEGMENTS = segments();

    static
    {
        for (int c = 0; c < 256; c++)
        {
            for (int i = 0; i < VLEN; i++)
            {
                LOW_V[c * VLEN + i] = GfTables.LOW[(c << 4) | (i & 15)];
                HIGH_V[c * VLEN + i] = GfTables.HIGH[(c << 4) | (i & 15)];
            }
        }
    }

    private final String name;

    private SimdKernel()
    {
        this.name = "simd-" + SPECIES.vectorBitSize();
    }

    /**
     * Creates the kernel, or returns null when the preferred species is too narrow to hold a 16-entry table.
     *
     * @return the kernel or null.
     */
    public static GfKernel create()
    {
        if (VLEN < 16 || Integer.bitCount(VLEN) != 1)
        {
            return null;
        }
        return new SimdKernel();
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public SourceBuffer newSourceBuffer(final int bytes)
    {
        return SEGMENTS == null ? null : SEGMENTS.apply(bytes);
    }

    /**
     * Whether {@link #newSourceBuffer} gives aligned native buffers in this JVM.
     *
     * @return true on JDK 25 and later with {@code SimdSegments} loaded.
     */
    public static boolean nativeSources()
    {
        return SEGMENTS != null;
    }

    @SuppressWarnings("unchecked")
    private static IntFunction<SourceBuffer> segments()
    {
        if (!SELECT_FROM || "false".equalsIgnoreCase(System.getProperty(NATIVE_SOURCES_PROPERTY, "true").trim()))
        {
            return null;
        }
        try
        {
            final Class<?> type = Class.forName(SEGMENTS_CLASS, true, SimdKernel.class.getClassLoader());
            return (IntFunction<SourceBuffer>)type.getMethod("factory").invoke(null);
        }
        catch (final ReflectiveOperationException | LinkageError | RuntimeException ex)
        {
            // Not in this jar (built without JDK 25) or not loadable here: sources stay on the heap.
            return null;
        }
    }

    private static ByteVector low(final int c)
    {
        return ByteVector.fromArray(SPECIES, LOW_V, (c & 0xFF) << SHIFT);
    }

    private static ByteVector high(final int c)
    {
        return ByteVector.fromArray(SPECIES, HIGH_V, (c & 0xFF) << SHIFT);
    }

    private static ByteVector highNibbles(final ByteVector v)
    {
        return v.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte)0x0F);
    }

    @Override
    public void mulAdd(final byte[] dst, final int dstOff, final byte[] src, final int srcOff, final int len,
        final int c)
    {
        if ((c & 0xFF) == 0)
        {
            return;
        }
        final int bound = SPECIES.loopBound(len);
        mulAddVectors(dst, dstOff, src, srcOff, bound, c);
        if (bound < len)
        {
            PortableKernel.INSTANCE.mulAdd(dst, dstOff + bound, src, srcOff + bound, len - bound, c);
        }
    }

    @Override
    public void mul(final byte[] dst, final int dstOff, final int len, final int c)
    {
        if ((c & 0xFF) == 1)
        {
            return;
        }
        final int bound = len & -(2 * VLEN);
        scaleVectors(dst, dstOff, bound, c);
        if (bound < len)
        {
            PortableKernel.INSTANCE.mul(dst, dstOff + bound, len - bound, c);
        }
    }

    @Override
    public void multiply(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[] dst, final int[] dstOffsets,
        final int len, final boolean accumulate)
    {
        final int bound = len & -(2 * VLEN);
        product(coefs, coefOff, coefStride, m, n, src, srcOff, srcStride, null, dst, dstOffsets, bound, accumulate);
        tail(coefs, coefOff, coefStride, m, n, src, srcOff, srcStride, null, dst, dstOffsets, bound, len, accumulate);
    }

    @Override
    public void multiplyTo(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[][] dsts, final int[] dstOffsets,
        final int len)
    {
        final int bound = len & -(2 * VLEN);
        product(coefs, coefOff, coefStride, m, n, src, srcOff, srcStride, dsts, null, dstOffsets, bound, false);
        tail(coefs, coefOff, coefStride, m, n, src, srcOff, srcStride, dsts, null, dstOffsets, bound, len, false);
    }

    /**
     * {@inheritDoc}
     * <p>
     * One source at a time, the output kept in the first-level cache and each source read in one sequential sweep:
     * measured 1.3 to 1.6 times faster for a decoder (g = 32, s = 1400 and 8192, JDK 25) than summing eight sources
     * per pass with the output in registers, whose interleaved reads of eight rows the prefetchers served worse.
     * <p>
     * The decoder's operations ({@code dotRows}, {@code mulAddTo}, {@code mul}) run their loops in methods that hold
     * both formulations and so exceed C2's inlining size limit: inlined into the decoder's large receive method, the
     * vector code lost its intrinsics in some JDK 17 runs and not in others (decode at g = 32, s = 1400 measured
     * 140 to 620 MB/s from one JVM to the next, and 600 to 670 MB/s in every run with the kernel not inlined).
     */
    @Override
    public void dotRows(final byte[] coefs, final int[] srcOffsets, final int n, final byte[] src, final byte[] dst,
        final int dstOff, final int len)
    {
        final int bound = len & -(2 * VLEN);
        for (int j = 0; j < n; j++)
        {
            axpyAccumulate(coefs[j], src, srcOffsets[j], dst, dstOff, bound);
        }
        if (bound < len)
        {
            for (int j = 0; j < n; j++)
            {
                PortableKernel.INSTANCE.mulAdd(dst, dstOff + bound, src, srcOffsets[j] + bound, len - bound,
                    coefs[j]);
            }
        }
    }

    @Override
    public void mulAddTo(final byte[] factors, final int m, final byte[] src, final int srcOff, final byte[] dst,
        final int[] dstOffsets, final int len)
    {
        final int bound = len & -(2 * VLEN);
        scatterAccumulate(factors, m, src, srcOff, dst, dstOffsets, bound);
        if (bound < len)
        {
            for (int k = 0; k < m; k++)
            {
                PortableKernel.INSTANCE.mulAdd(dst, dstOffsets[k] + bound, src, srcOff + bound, len - bound,
                    factors[k]);
            }
        }
    }

    private static void tail(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[][] dsts, final byte[] dst,
        final int[] dstOffsets, final int bound, final int len, final boolean accumulate)
    {
        if (bound >= len)
        {
            return;
        }
        for (int k = 0; k < m; k++)
        {
            final byte[] d = dsts != null ? dsts[k] : dst;
            final int out = dstOffsets[k] + bound;
            if (!accumulate)
            {
                java.util.Arrays.fill(d, out, dstOffsets[k] + len, (byte)0);
            }
            final int r = coefOff + k * coefStride;
            for (int j = 0; j < n; j++)
            {
                PortableKernel.INSTANCE.mulAdd(d, out, src, srcOff + j * srcStride + bound, len - bound, coefs[r + j]);
            }
        }
    }

    /** The product over [0, bound), bound a multiple of two vectors; one of dsts and dst is null. */
    private static void product(final byte[] coefs, final int coefOff, final int coefStride, final int m,
        final int n, final byte[] src, final int srcOff, final int srcStride, final byte[][] dsts, final byte[] dst,
        final int[] outs, final int bound, final boolean accumulate)
    {
        if (SELECT_FROM)
        {
            final int bound4 = bound & -(4 * VLEN);
            for (int k = 0; k < m; k += 3)
            {
                final int row = coefOff + k * coefStride;
                switch (Math.min(3, m - k))
                {
                    case 3:
                        select3x4(coefs, row, coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst,
                            outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1],
                            dsts != null ? dsts[k + 2] : dst, outs[k + 2], bound4, accumulate);
                        if (bound4 < bound)
                        {
                            select3x2(coefs, row, coefStride, n, src, srcOff, srcStride,
                                dsts != null ? dsts[k + 0] : dst, outs[k + 0], dsts != null ? dsts[k + 1] : dst,
                                outs[k + 1], dsts != null ? dsts[k + 2] : dst, outs[k + 2], bound4, bound,
                                accumulate);
                        }
                        break;
                    case 2:
                        select2x4(coefs, row, coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst,
                            outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], bound4, accumulate);
                        if (bound4 < bound)
                        {
                            select2x2(coefs, row, coefStride, n, src, srcOff, srcStride,
                                dsts != null ? dsts[k + 0] : dst, outs[k + 0], dsts != null ? dsts[k + 1] : dst,
                                outs[k + 1], bound4, bound, accumulate);
                        }
                        break;
                    default:
                        select1x4(coefs, row, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0],
                            bound4, accumulate);
                        if (bound4 < bound)
                        {
                            select1x2(coefs, row, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst,
                                outs[k + 0], bound4, bound, accumulate);
                        }
                        break;
                }
            }
        }
        else
        {
            for (int k = 0; k < m; k += 5)
            {
                final int row = coefOff + k * coefStride;
                switch (Math.min(5, m - k))
                {
                    case 5:
                        shuffle5x2(coefs, row, coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst,
                            outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1],
                            dsts != null ? dsts[k + 2] : dst, outs[k + 2], dsts != null ? dsts[k + 3] : dst,
                            outs[k + 3], dsts != null ? dsts[k + 4] : dst, outs[k + 4], bound, accumulate);
                        break;
                    case 4:
                        shuffle4x2(coefs, row, coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst,
                            outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1],
                            dsts != null ? dsts[k + 2] : dst, outs[k + 2], dsts != null ? dsts[k + 3] : dst,
                            outs[k + 3], bound, accumulate);
                        break;
                    case 3:
                        shuffle3x2(coefs, row, coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst,
                            outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1],
                            dsts != null ? dsts[k + 2] : dst, outs[k + 2], bound, accumulate);
                        break;
                    case 2:
                        shuffle2x2(coefs, row, coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst,
                            outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], bound, accumulate);
                        break;
                    default:
                        shuffle1x2(coefs, row, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst,
                            outs[k + 0], bound, accumulate);
                        break;
                }
            }
        }
    }

    private static void mulAddVectors(final byte[] dst, final int dstOff, final byte[] src, final int srcOff,
        final int bound, final int c)
    {
        final ByteVector tl = low(c);
        final ByteVector th = high(c);
        for (int i = 0; i < bound; i += VLEN)
        {
            final ByteVector v = ByteVector.fromArray(SPECIES, src, srcOff + i);
            final ByteVector p = SELECT_FROM
                ? v.and((byte)0x0F).selectFrom(tl).lanewise(XOR, highNibbles(v).selectFrom(th))
                : tl.rearrange(v.and((byte)0x0F).toShuffle()).lanewise(XOR, th.rearrange(highNibbles(v).toShuffle()));
            ByteVector.fromArray(SPECIES, dst, dstOff + i).lanewise(XOR, p).intoArray(dst, dstOff + i);
        }
    }

    // The loops below are generated by src/simd/generate_simd_kernel.py (an output's accumulators must stay in
    // registers, hence one method per shape rather than arrays): selectNxV for JDK 25 and later, shuffleNx2 for
    // JDK 17 to 24, each computing N outputs from V vectors of every source per step.
    private static void select3x4(final byte[] coefs, final int row, final int coefStride, final int n, final
        byte[] src, final int srcOff, final int srcStride, final byte[] d0, final int o0, final byte[] d1, final
        int o1, final byte[] d2, final int o2, final int end, final boolean accumulate)
    {
        final int r0 = row + 0 * coefStride;
        final int r1 = row + 1 * coefStride;
        final int r2 = row + 2 * coefStride;
        for (int i = 0; i < end; i += 4 * VLEN)
        {
            ByteVector a00 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a01 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a02 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 2 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a03 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 3 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a10 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a11 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a12 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 2 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a13 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 3 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a20 = accumulate ? ByteVector.fromArray(SPECIES, d2, o2 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a21 = accumulate ? ByteVector.fromArray(SPECIES, d2, o2 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a22 = accumulate ? ByteVector.fromArray(SPECIES, d2, o2 + i + 2 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a23 = accumulate ? ByteVector.fromArray(SPECIES, d2, o2 + i + 3 * VLEN)
                : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromArray(SPECIES, src, at + 0 * VLEN);
                final ByteVector l0 = x0.and((byte)0x0F);
                final ByteVector h0 = highNibbles(x0);
                final ByteVector x1 = ByteVector.fromArray(SPECIES, src, at + 1 * VLEN);
                final ByteVector l1 = x1.and((byte)0x0F);
                final ByteVector h1 = highNibbles(x1);
                final ByteVector x2 = ByteVector.fromArray(SPECIES, src, at + 2 * VLEN);
                final ByteVector l2 = x2.and((byte)0x0F);
                final ByteVector h2 = highNibbles(x2);
                final ByteVector x3 = ByteVector.fromArray(SPECIES, src, at + 3 * VLEN);
                final ByteVector l3 = x3.and((byte)0x0F);
                final ByteVector h3 = highNibbles(x3);
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector th0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a00 = a00.lanewise(XOR, l0.selectFrom(tl0)).lanewise(XOR, h0.selectFrom(th0));
                a01 = a01.lanewise(XOR, l1.selectFrom(tl0)).lanewise(XOR, h1.selectFrom(th0));
                a02 = a02.lanewise(XOR, l2.selectFrom(tl0)).lanewise(XOR, h2.selectFrom(th0));
                a03 = a03.lanewise(XOR, l3.selectFrom(tl0)).lanewise(XOR, h3.selectFrom(th0));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector tl1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector th1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                a10 = a10.lanewise(XOR, l0.selectFrom(tl1)).lanewise(XOR, h0.selectFrom(th1));
                a11 = a11.lanewise(XOR, l1.selectFrom(tl1)).lanewise(XOR, h1.selectFrom(th1));
                a12 = a12.lanewise(XOR, l2.selectFrom(tl1)).lanewise(XOR, h2.selectFrom(th1));
                a13 = a13.lanewise(XOR, l3.selectFrom(tl1)).lanewise(XOR, h3.selectFrom(th1));
                final int t2 = (coefs[r2 + j] & 0xFF) << SHIFT;
                final ByteVector tl2 = ByteVector.fromArray(SPECIES, LOW_V, t2);
                final ByteVector th2 = ByteVector.fromArray(SPECIES, HIGH_V, t2);
                a20 = a20.lanewise(XOR, l0.selectFrom(tl2)).lanewise(XOR, h0.selectFrom(th2));
                a21 = a21.lanewise(XOR, l1.selectFrom(tl2)).lanewise(XOR, h1.selectFrom(th2));
                a22 = a22.lanewise(XOR, l2.selectFrom(tl2)).lanewise(XOR, h2.selectFrom(th2));
                a23 = a23.lanewise(XOR, l3.selectFrom(tl2)).lanewise(XOR, h3.selectFrom(th2));
            }
            a00.intoArray(d0, o0 + i + 0 * VLEN);
            a01.intoArray(d0, o0 + i + 1 * VLEN);
            a02.intoArray(d0, o0 + i + 2 * VLEN);
            a03.intoArray(d0, o0 + i + 3 * VLEN);
            a10.intoArray(d1, o1 + i + 0 * VLEN);
            a11.intoArray(d1, o1 + i + 1 * VLEN);
            a12.intoArray(d1, o1 + i + 2 * VLEN);
            a13.intoArray(d1, o1 + i + 3 * VLEN);
            a20.intoArray(d2, o2 + i + 0 * VLEN);
            a21.intoArray(d2, o2 + i + 1 * VLEN);
            a22.intoArray(d2, o2 + i + 2 * VLEN);
            a23.intoArray(d2, o2 + i + 3 * VLEN);
        }
    }

    private static void select3x2(final byte[] coefs, final int row, final int coefStride, final int n, final
        byte[] src, final int srcOff, final int srcStride, final byte[] d0, final int o0, final byte[] d1, final
        int o1, final byte[] d2, final int o2, final int start, final int end, final boolean accumulate)
    {
        final int r0 = row + 0 * coefStride;
        final int r1 = row + 1 * coefStride;
        final int r2 = row + 2 * coefStride;
        for (int i = start; i < end; i += 2 * VLEN)
        {
            ByteVector a00 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a01 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a10 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a11 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a20 = accumulate ? ByteVector.fromArray(SPECIES, d2, o2 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a21 = accumulate ? ByteVector.fromArray(SPECIES, d2, o2 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromArray(SPECIES, src, at + 0 * VLEN);
                final ByteVector l0 = x0.and((byte)0x0F);
                final ByteVector h0 = highNibbles(x0);
                final ByteVector x1 = ByteVector.fromArray(SPECIES, src, at + 1 * VLEN);
                final ByteVector l1 = x1.and((byte)0x0F);
                final ByteVector h1 = highNibbles(x1);
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector th0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a00 = a00.lanewise(XOR, l0.selectFrom(tl0)).lanewise(XOR, h0.selectFrom(th0));
                a01 = a01.lanewise(XOR, l1.selectFrom(tl0)).lanewise(XOR, h1.selectFrom(th0));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector tl1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector th1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                a10 = a10.lanewise(XOR, l0.selectFrom(tl1)).lanewise(XOR, h0.selectFrom(th1));
                a11 = a11.lanewise(XOR, l1.selectFrom(tl1)).lanewise(XOR, h1.selectFrom(th1));
                final int t2 = (coefs[r2 + j] & 0xFF) << SHIFT;
                final ByteVector tl2 = ByteVector.fromArray(SPECIES, LOW_V, t2);
                final ByteVector th2 = ByteVector.fromArray(SPECIES, HIGH_V, t2);
                a20 = a20.lanewise(XOR, l0.selectFrom(tl2)).lanewise(XOR, h0.selectFrom(th2));
                a21 = a21.lanewise(XOR, l1.selectFrom(tl2)).lanewise(XOR, h1.selectFrom(th2));
            }
            a00.intoArray(d0, o0 + i + 0 * VLEN);
            a01.intoArray(d0, o0 + i + 1 * VLEN);
            a10.intoArray(d1, o1 + i + 0 * VLEN);
            a11.intoArray(d1, o1 + i + 1 * VLEN);
            a20.intoArray(d2, o2 + i + 0 * VLEN);
            a21.intoArray(d2, o2 + i + 1 * VLEN);
        }
    }

    private static void select2x4(final byte[] coefs, final int row, final int coefStride, final int n, final
        byte[] src, final int srcOff, final int srcStride, final byte[] d0, final int o0, final byte[] d1, final
        int o1, final int end, final boolean accumulate)
    {
        final int r0 = row + 0 * coefStride;
        final int r1 = row + 1 * coefStride;
        for (int i = 0; i < end; i += 4 * VLEN)
        {
            ByteVector a00 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a01 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a02 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 2 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a03 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 3 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a10 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a11 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a12 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 2 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a13 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 3 * VLEN)
                : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromArray(SPECIES, src, at + 0 * VLEN);
                final ByteVector l0 = x0.and((byte)0x0F);
                final ByteVector h0 = highNibbles(x0);
                final ByteVector x1 = ByteVector.fromArray(SPECIES, src, at + 1 * VLEN);
                final ByteVector l1 = x1.and((byte)0x0F);
                final ByteVector h1 = highNibbles(x1);
                final ByteVector x2 = ByteVector.fromArray(SPECIES, src, at + 2 * VLEN);
                final ByteVector l2 = x2.and((byte)0x0F);
                final ByteVector h2 = highNibbles(x2);
                final ByteVector x3 = ByteVector.fromArray(SPECIES, src, at + 3 * VLEN);
                final ByteVector l3 = x3.and((byte)0x0F);
                final ByteVector h3 = highNibbles(x3);
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector th0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a00 = a00.lanewise(XOR, l0.selectFrom(tl0)).lanewise(XOR, h0.selectFrom(th0));
                a01 = a01.lanewise(XOR, l1.selectFrom(tl0)).lanewise(XOR, h1.selectFrom(th0));
                a02 = a02.lanewise(XOR, l2.selectFrom(tl0)).lanewise(XOR, h2.selectFrom(th0));
                a03 = a03.lanewise(XOR, l3.selectFrom(tl0)).lanewise(XOR, h3.selectFrom(th0));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector tl1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector th1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                a10 = a10.lanewise(XOR, l0.selectFrom(tl1)).lanewise(XOR, h0.selectFrom(th1));
                a11 = a11.lanewise(XOR, l1.selectFrom(tl1)).lanewise(XOR, h1.selectFrom(th1));
                a12 = a12.lanewise(XOR, l2.selectFrom(tl1)).lanewise(XOR, h2.selectFrom(th1));
                a13 = a13.lanewise(XOR, l3.selectFrom(tl1)).lanewise(XOR, h3.selectFrom(th1));
            }
            a00.intoArray(d0, o0 + i + 0 * VLEN);
            a01.intoArray(d0, o0 + i + 1 * VLEN);
            a02.intoArray(d0, o0 + i + 2 * VLEN);
            a03.intoArray(d0, o0 + i + 3 * VLEN);
            a10.intoArray(d1, o1 + i + 0 * VLEN);
            a11.intoArray(d1, o1 + i + 1 * VLEN);
            a12.intoArray(d1, o1 + i + 2 * VLEN);
            a13.intoArray(d1, o1 + i + 3 * VLEN);
        }
    }

    private static void select2x2(final byte[] coefs, final int row, final int coefStride, final int n, final
        byte[] src, final int srcOff, final int srcStride, final byte[] d0, final int o0, final byte[] d1, final
        int o1, final int start, final int end, final boolean accumulate)
    {
        final int r0 = row + 0 * coefStride;
        final int r1 = row + 1 * coefStride;
        for (int i = start; i < end; i += 2 * VLEN)
        {
            ByteVector a00 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a01 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a10 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a11 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromArray(SPECIES, src, at + 0 * VLEN);
                final ByteVector l0 = x0.and((byte)0x0F);
                final ByteVector h0 = highNibbles(x0);
                final ByteVector x1 = ByteVector.fromArray(SPECIES, src, at + 1 * VLEN);
                final ByteVector l1 = x1.and((byte)0x0F);
                final ByteVector h1 = highNibbles(x1);
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector th0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a00 = a00.lanewise(XOR, l0.selectFrom(tl0)).lanewise(XOR, h0.selectFrom(th0));
                a01 = a01.lanewise(XOR, l1.selectFrom(tl0)).lanewise(XOR, h1.selectFrom(th0));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector tl1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector th1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                a10 = a10.lanewise(XOR, l0.selectFrom(tl1)).lanewise(XOR, h0.selectFrom(th1));
                a11 = a11.lanewise(XOR, l1.selectFrom(tl1)).lanewise(XOR, h1.selectFrom(th1));
            }
            a00.intoArray(d0, o0 + i + 0 * VLEN);
            a01.intoArray(d0, o0 + i + 1 * VLEN);
            a10.intoArray(d1, o1 + i + 0 * VLEN);
            a11.intoArray(d1, o1 + i + 1 * VLEN);
        }
    }

    private static void select1x4(final byte[] coefs, final int row, final int n, final byte[] src, final int
        srcOff, final int srcStride, final byte[] d0, final int o0, final int end, final boolean accumulate)
    {
        final int r0 = row;
        for (int i = 0; i < end; i += 4 * VLEN)
        {
            ByteVector a00 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a01 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a02 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 2 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a03 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 3 * VLEN)
                : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromArray(SPECIES, src, at + 0 * VLEN);
                final ByteVector l0 = x0.and((byte)0x0F);
                final ByteVector h0 = highNibbles(x0);
                final ByteVector x1 = ByteVector.fromArray(SPECIES, src, at + 1 * VLEN);
                final ByteVector l1 = x1.and((byte)0x0F);
                final ByteVector h1 = highNibbles(x1);
                final ByteVector x2 = ByteVector.fromArray(SPECIES, src, at + 2 * VLEN);
                final ByteVector l2 = x2.and((byte)0x0F);
                final ByteVector h2 = highNibbles(x2);
                final ByteVector x3 = ByteVector.fromArray(SPECIES, src, at + 3 * VLEN);
                final ByteVector l3 = x3.and((byte)0x0F);
                final ByteVector h3 = highNibbles(x3);
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector th0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a00 = a00.lanewise(XOR, l0.selectFrom(tl0)).lanewise(XOR, h0.selectFrom(th0));
                a01 = a01.lanewise(XOR, l1.selectFrom(tl0)).lanewise(XOR, h1.selectFrom(th0));
                a02 = a02.lanewise(XOR, l2.selectFrom(tl0)).lanewise(XOR, h2.selectFrom(th0));
                a03 = a03.lanewise(XOR, l3.selectFrom(tl0)).lanewise(XOR, h3.selectFrom(th0));
            }
            a00.intoArray(d0, o0 + i + 0 * VLEN);
            a01.intoArray(d0, o0 + i + 1 * VLEN);
            a02.intoArray(d0, o0 + i + 2 * VLEN);
            a03.intoArray(d0, o0 + i + 3 * VLEN);
        }
    }

    private static void select1x2(final byte[] coefs, final int row, final int n, final byte[] src, final int
        srcOff, final int srcStride, final byte[] d0, final int o0, final int start, final int end, final boolean
        accumulate)
    {
        final int r0 = row;
        for (int i = start; i < end; i += 2 * VLEN)
        {
            ByteVector a00 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a01 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromArray(SPECIES, src, at + 0 * VLEN);
                final ByteVector l0 = x0.and((byte)0x0F);
                final ByteVector h0 = highNibbles(x0);
                final ByteVector x1 = ByteVector.fromArray(SPECIES, src, at + 1 * VLEN);
                final ByteVector l1 = x1.and((byte)0x0F);
                final ByteVector h1 = highNibbles(x1);
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector th0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a00 = a00.lanewise(XOR, l0.selectFrom(tl0)).lanewise(XOR, h0.selectFrom(th0));
                a01 = a01.lanewise(XOR, l1.selectFrom(tl0)).lanewise(XOR, h1.selectFrom(th0));
            }
            a00.intoArray(d0, o0 + i + 0 * VLEN);
            a01.intoArray(d0, o0 + i + 1 * VLEN);
        }
    }

    private static void shuffle5x2(final byte[] coefs, final int row, final int coefStride, final int n, final
        byte[] src, final int srcOff, final int srcStride, final byte[] d0, final int o0, final byte[] d1, final
        int o1, final byte[] d2, final int o2, final byte[] d3, final int o3, final byte[] d4, final int o4, final
        int end, final boolean accumulate)
    {
        final int r0 = row + 0 * coefStride;
        final int r1 = row + 1 * coefStride;
        final int r2 = row + 2 * coefStride;
        final int r3 = row + 3 * coefStride;
        final int r4 = row + 4 * coefStride;
        for (int i = 0; i < end; i += 2 * VLEN)
        {
            ByteVector a00 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a01 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a10 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a11 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a20 = accumulate ? ByteVector.fromArray(SPECIES, d2, o2 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a21 = accumulate ? ByteVector.fromArray(SPECIES, d2, o2 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a30 = accumulate ? ByteVector.fromArray(SPECIES, d3, o3 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a31 = accumulate ? ByteVector.fromArray(SPECIES, d3, o3 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a40 = accumulate ? ByteVector.fromArray(SPECIES, d4, o4 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a41 = accumulate ? ByteVector.fromArray(SPECIES, d4, o4 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromArray(SPECIES, src, at + 0 * VLEN);
                final VectorShuffle<Byte> l0 = x0.and((byte)0x0F).toShuffle();
                final VectorShuffle<Byte> h0 = highNibbles(x0).toShuffle();
                final ByteVector x1 = ByteVector.fromArray(SPECIES, src, at + 1 * VLEN);
                final VectorShuffle<Byte> l1 = x1.and((byte)0x0F).toShuffle();
                final VectorShuffle<Byte> h1 = highNibbles(x1).toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector th0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a00 = a00.lanewise(XOR, tl0.rearrange(l0)).lanewise(XOR, th0.rearrange(h0));
                a01 = a01.lanewise(XOR, tl0.rearrange(l1)).lanewise(XOR, th0.rearrange(h1));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector tl1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector th1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                a10 = a10.lanewise(XOR, tl1.rearrange(l0)).lanewise(XOR, th1.rearrange(h0));
                a11 = a11.lanewise(XOR, tl1.rearrange(l1)).lanewise(XOR, th1.rearrange(h1));
                final int t2 = (coefs[r2 + j] & 0xFF) << SHIFT;
                final ByteVector tl2 = ByteVector.fromArray(SPECIES, LOW_V, t2);
                final ByteVector th2 = ByteVector.fromArray(SPECIES, HIGH_V, t2);
                a20 = a20.lanewise(XOR, tl2.rearrange(l0)).lanewise(XOR, th2.rearrange(h0));
                a21 = a21.lanewise(XOR, tl2.rearrange(l1)).lanewise(XOR, th2.rearrange(h1));
                final int t3 = (coefs[r3 + j] & 0xFF) << SHIFT;
                final ByteVector tl3 = ByteVector.fromArray(SPECIES, LOW_V, t3);
                final ByteVector th3 = ByteVector.fromArray(SPECIES, HIGH_V, t3);
                a30 = a30.lanewise(XOR, tl3.rearrange(l0)).lanewise(XOR, th3.rearrange(h0));
                a31 = a31.lanewise(XOR, tl3.rearrange(l1)).lanewise(XOR, th3.rearrange(h1));
                final int t4 = (coefs[r4 + j] & 0xFF) << SHIFT;
                final ByteVector tl4 = ByteVector.fromArray(SPECIES, LOW_V, t4);
                final ByteVector th4 = ByteVector.fromArray(SPECIES, HIGH_V, t4);
                a40 = a40.lanewise(XOR, tl4.rearrange(l0)).lanewise(XOR, th4.rearrange(h0));
                a41 = a41.lanewise(XOR, tl4.rearrange(l1)).lanewise(XOR, th4.rearrange(h1));
            }
            a00.intoArray(d0, o0 + i + 0 * VLEN);
            a01.intoArray(d0, o0 + i + 1 * VLEN);
            a10.intoArray(d1, o1 + i + 0 * VLEN);
            a11.intoArray(d1, o1 + i + 1 * VLEN);
            a20.intoArray(d2, o2 + i + 0 * VLEN);
            a21.intoArray(d2, o2 + i + 1 * VLEN);
            a30.intoArray(d3, o3 + i + 0 * VLEN);
            a31.intoArray(d3, o3 + i + 1 * VLEN);
            a40.intoArray(d4, o4 + i + 0 * VLEN);
            a41.intoArray(d4, o4 + i + 1 * VLEN);
        }
    }

    private static void shuffle4x2(final byte[] coefs, final int row, final int coefStride, final int n, final
        byte[] src, final int srcOff, final int srcStride, final byte[] d0, final int o0, final byte[] d1, final
        int o1, final byte[] d2, final int o2, final byte[] d3, final int o3, final int end, final boolean
        accumulate)
    {
        final int r0 = row + 0 * coefStride;
        final int r1 = row + 1 * coefStride;
        final int r2 = row + 2 * coefStride;
        final int r3 = row + 3 * coefStride;
        for (int i = 0; i < end; i += 2 * VLEN)
        {
            ByteVector a00 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a01 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a10 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a11 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a20 = accumulate ? ByteVector.fromArray(SPECIES, d2, o2 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a21 = accumulate ? ByteVector.fromArray(SPECIES, d2, o2 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a30 = accumulate ? ByteVector.fromArray(SPECIES, d3, o3 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a31 = accumulate ? ByteVector.fromArray(SPECIES, d3, o3 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromArray(SPECIES, src, at + 0 * VLEN);
                final VectorShuffle<Byte> l0 = x0.and((byte)0x0F).toShuffle();
                final VectorShuffle<Byte> h0 = highNibbles(x0).toShuffle();
                final ByteVector x1 = ByteVector.fromArray(SPECIES, src, at + 1 * VLEN);
                final VectorShuffle<Byte> l1 = x1.and((byte)0x0F).toShuffle();
                final VectorShuffle<Byte> h1 = highNibbles(x1).toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector th0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a00 = a00.lanewise(XOR, tl0.rearrange(l0)).lanewise(XOR, th0.rearrange(h0));
                a01 = a01.lanewise(XOR, tl0.rearrange(l1)).lanewise(XOR, th0.rearrange(h1));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector tl1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector th1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                a10 = a10.lanewise(XOR, tl1.rearrange(l0)).lanewise(XOR, th1.rearrange(h0));
                a11 = a11.lanewise(XOR, tl1.rearrange(l1)).lanewise(XOR, th1.rearrange(h1));
                final int t2 = (coefs[r2 + j] & 0xFF) << SHIFT;
                final ByteVector tl2 = ByteVector.fromArray(SPECIES, LOW_V, t2);
                final ByteVector th2 = ByteVector.fromArray(SPECIES, HIGH_V, t2);
                a20 = a20.lanewise(XOR, tl2.rearrange(l0)).lanewise(XOR, th2.rearrange(h0));
                a21 = a21.lanewise(XOR, tl2.rearrange(l1)).lanewise(XOR, th2.rearrange(h1));
                final int t3 = (coefs[r3 + j] & 0xFF) << SHIFT;
                final ByteVector tl3 = ByteVector.fromArray(SPECIES, LOW_V, t3);
                final ByteVector th3 = ByteVector.fromArray(SPECIES, HIGH_V, t3);
                a30 = a30.lanewise(XOR, tl3.rearrange(l0)).lanewise(XOR, th3.rearrange(h0));
                a31 = a31.lanewise(XOR, tl3.rearrange(l1)).lanewise(XOR, th3.rearrange(h1));
            }
            a00.intoArray(d0, o0 + i + 0 * VLEN);
            a01.intoArray(d0, o0 + i + 1 * VLEN);
            a10.intoArray(d1, o1 + i + 0 * VLEN);
            a11.intoArray(d1, o1 + i + 1 * VLEN);
            a20.intoArray(d2, o2 + i + 0 * VLEN);
            a21.intoArray(d2, o2 + i + 1 * VLEN);
            a30.intoArray(d3, o3 + i + 0 * VLEN);
            a31.intoArray(d3, o3 + i + 1 * VLEN);
        }
    }

    private static void shuffle3x2(final byte[] coefs, final int row, final int coefStride, final int n, final
        byte[] src, final int srcOff, final int srcStride, final byte[] d0, final int o0, final byte[] d1, final
        int o1, final byte[] d2, final int o2, final int end, final boolean accumulate)
    {
        final int r0 = row + 0 * coefStride;
        final int r1 = row + 1 * coefStride;
        final int r2 = row + 2 * coefStride;
        for (int i = 0; i < end; i += 2 * VLEN)
        {
            ByteVector a00 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a01 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a10 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a11 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a20 = accumulate ? ByteVector.fromArray(SPECIES, d2, o2 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a21 = accumulate ? ByteVector.fromArray(SPECIES, d2, o2 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromArray(SPECIES, src, at + 0 * VLEN);
                final VectorShuffle<Byte> l0 = x0.and((byte)0x0F).toShuffle();
                final VectorShuffle<Byte> h0 = highNibbles(x0).toShuffle();
                final ByteVector x1 = ByteVector.fromArray(SPECIES, src, at + 1 * VLEN);
                final VectorShuffle<Byte> l1 = x1.and((byte)0x0F).toShuffle();
                final VectorShuffle<Byte> h1 = highNibbles(x1).toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector th0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a00 = a00.lanewise(XOR, tl0.rearrange(l0)).lanewise(XOR, th0.rearrange(h0));
                a01 = a01.lanewise(XOR, tl0.rearrange(l1)).lanewise(XOR, th0.rearrange(h1));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector tl1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector th1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                a10 = a10.lanewise(XOR, tl1.rearrange(l0)).lanewise(XOR, th1.rearrange(h0));
                a11 = a11.lanewise(XOR, tl1.rearrange(l1)).lanewise(XOR, th1.rearrange(h1));
                final int t2 = (coefs[r2 + j] & 0xFF) << SHIFT;
                final ByteVector tl2 = ByteVector.fromArray(SPECIES, LOW_V, t2);
                final ByteVector th2 = ByteVector.fromArray(SPECIES, HIGH_V, t2);
                a20 = a20.lanewise(XOR, tl2.rearrange(l0)).lanewise(XOR, th2.rearrange(h0));
                a21 = a21.lanewise(XOR, tl2.rearrange(l1)).lanewise(XOR, th2.rearrange(h1));
            }
            a00.intoArray(d0, o0 + i + 0 * VLEN);
            a01.intoArray(d0, o0 + i + 1 * VLEN);
            a10.intoArray(d1, o1 + i + 0 * VLEN);
            a11.intoArray(d1, o1 + i + 1 * VLEN);
            a20.intoArray(d2, o2 + i + 0 * VLEN);
            a21.intoArray(d2, o2 + i + 1 * VLEN);
        }
    }

    private static void shuffle2x2(final byte[] coefs, final int row, final int coefStride, final int n, final
        byte[] src, final int srcOff, final int srcStride, final byte[] d0, final int o0, final byte[] d1, final
        int o1, final int end, final boolean accumulate)
    {
        final int r0 = row + 0 * coefStride;
        final int r1 = row + 1 * coefStride;
        for (int i = 0; i < end; i += 2 * VLEN)
        {
            ByteVector a00 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a01 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a10 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a11 = accumulate ? ByteVector.fromArray(SPECIES, d1, o1 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromArray(SPECIES, src, at + 0 * VLEN);
                final VectorShuffle<Byte> l0 = x0.and((byte)0x0F).toShuffle();
                final VectorShuffle<Byte> h0 = highNibbles(x0).toShuffle();
                final ByteVector x1 = ByteVector.fromArray(SPECIES, src, at + 1 * VLEN);
                final VectorShuffle<Byte> l1 = x1.and((byte)0x0F).toShuffle();
                final VectorShuffle<Byte> h1 = highNibbles(x1).toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector th0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a00 = a00.lanewise(XOR, tl0.rearrange(l0)).lanewise(XOR, th0.rearrange(h0));
                a01 = a01.lanewise(XOR, tl0.rearrange(l1)).lanewise(XOR, th0.rearrange(h1));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector tl1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector th1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                a10 = a10.lanewise(XOR, tl1.rearrange(l0)).lanewise(XOR, th1.rearrange(h0));
                a11 = a11.lanewise(XOR, tl1.rearrange(l1)).lanewise(XOR, th1.rearrange(h1));
            }
            a00.intoArray(d0, o0 + i + 0 * VLEN);
            a01.intoArray(d0, o0 + i + 1 * VLEN);
            a10.intoArray(d1, o1 + i + 0 * VLEN);
            a11.intoArray(d1, o1 + i + 1 * VLEN);
        }
    }

    private static void shuffle1x2(final byte[] coefs, final int row, final int n, final byte[] src, final int
        srcOff, final int srcStride, final byte[] d0, final int o0, final int end, final boolean accumulate)
    {
        final int r0 = row;
        for (int i = 0; i < end; i += 2 * VLEN)
        {
            ByteVector a00 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 0 * VLEN)
                : ByteVector.zero(SPECIES);
            ByteVector a01 = accumulate ? ByteVector.fromArray(SPECIES, d0, o0 + i + 1 * VLEN)
                : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromArray(SPECIES, src, at + 0 * VLEN);
                final VectorShuffle<Byte> l0 = x0.and((byte)0x0F).toShuffle();
                final VectorShuffle<Byte> h0 = highNibbles(x0).toShuffle();
                final ByteVector x1 = ByteVector.fromArray(SPECIES, src, at + 1 * VLEN);
                final VectorShuffle<Byte> l1 = x1.and((byte)0x0F).toShuffle();
                final VectorShuffle<Byte> h1 = highNibbles(x1).toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector th0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a00 = a00.lanewise(XOR, tl0.rearrange(l0)).lanewise(XOR, th0.rearrange(h0));
                a01 = a01.lanewise(XOR, tl0.rearrange(l1)).lanewise(XOR, th0.rearrange(h1));
            }
            a00.intoArray(d0, o0 + i + 0 * VLEN);
            a01.intoArray(d0, o0 + i + 1 * VLEN);
        }
    }

    /**
     * dst[outs[k], outs[k] + end) += factors[k] * src[srcOff ...] for k &lt; m; both formulations in one method,
     * too large for C2 to inline into a caller.
     */
    private static void scatterAccumulate(final byte[] factors, final int m, final byte[] src, final int srcOff,
        final byte[] dst, final int[] outs, final int end)
    {
        for (int k = 0; k < m; k++)
        {
            final int out = outs[k];
            final int t = (factors[k] & 0xFF) << SHIFT;
            final ByteVector tl = ByteVector.fromArray(SPECIES, LOW_V, t);
            final ByteVector th = ByteVector.fromArray(SPECIES, HIGH_V, t);
            if (SELECT_FROM)
            {
                for (int i = 0; i < end; i += 2 * VLEN)
                {
                    final ByteVector x0 = ByteVector.fromArray(SPECIES, src, srcOff + i);
                    final ByteVector x1 = ByteVector.fromArray(SPECIES, src, srcOff + i + VLEN);
                    ByteVector a0 = ByteVector.fromArray(SPECIES, dst, out + i);
                    ByteVector a1 = ByteVector.fromArray(SPECIES, dst, out + i + VLEN);
                    a0 = a0.lanewise(XOR, x0.and((byte)0x0F).selectFrom(tl))
                        .lanewise(XOR, highNibbles(x0).selectFrom(th));
                    a1 = a1.lanewise(XOR, x1.and((byte)0x0F).selectFrom(tl))
                        .lanewise(XOR, highNibbles(x1).selectFrom(th));
                    a0.intoArray(dst, out + i);
                    a1.intoArray(dst, out + i + VLEN);
                }
            }
            else
            {
                for (int i = 0; i < end; i += 2 * VLEN)
                {
                    final ByteVector x0 = ByteVector.fromArray(SPECIES, src, srcOff + i);
                    final ByteVector x1 = ByteVector.fromArray(SPECIES, src, srcOff + i + VLEN);
                    ByteVector a0 = ByteVector.fromArray(SPECIES, dst, out + i);
                    ByteVector a1 = ByteVector.fromArray(SPECIES, dst, out + i + VLEN);
                    a0 = a0.lanewise(XOR, tl.rearrange(x0.and((byte)0x0F).toShuffle()))
                        .lanewise(XOR, th.rearrange(highNibbles(x0).toShuffle()));
                    a1 = a1.lanewise(XOR, tl.rearrange(x1.and((byte)0x0F).toShuffle()))
                        .lanewise(XOR, th.rearrange(highNibbles(x1).toShuffle()));
                    a0.intoArray(dst, out + i);
                    a1.intoArray(dst, out + i + VLEN);
                }
            }
        }
    }

    /** dst[out, out + end) += c * src[srcOff ...]; both formulations in one method, too large for C2 to inline. */
    private static void axpyAccumulate(final int c, final byte[] src, final int srcOff, final byte[] dst,
        final int out, final int end)
    {
        final int t = (c & 0xFF) << SHIFT;
        final ByteVector tl = ByteVector.fromArray(SPECIES, LOW_V, t);
        final ByteVector th = ByteVector.fromArray(SPECIES, HIGH_V, t);
        if (SELECT_FROM)
        {
            for (int i = 0; i < end; i += 2 * VLEN)
            {
                final ByteVector x0 = ByteVector.fromArray(SPECIES, src, srcOff + i);
                final ByteVector x1 = ByteVector.fromArray(SPECIES, src, srcOff + i + VLEN);
                ByteVector a0 = ByteVector.fromArray(SPECIES, dst, out + i);
                ByteVector a1 = ByteVector.fromArray(SPECIES, dst, out + i + VLEN);
                a0 = a0.lanewise(XOR, x0.and((byte)0x0F).selectFrom(tl))
                    .lanewise(XOR, highNibbles(x0).selectFrom(th));
                a1 = a1.lanewise(XOR, x1.and((byte)0x0F).selectFrom(tl))
                    .lanewise(XOR, highNibbles(x1).selectFrom(th));
                a0.intoArray(dst, out + i);
                a1.intoArray(dst, out + i + VLEN);
            }
        }
        else
        {
            for (int i = 0; i < end; i += 2 * VLEN)
            {
                final ByteVector x0 = ByteVector.fromArray(SPECIES, src, srcOff + i);
                final ByteVector x1 = ByteVector.fromArray(SPECIES, src, srcOff + i + VLEN);
                ByteVector a0 = ByteVector.fromArray(SPECIES, dst, out + i);
                ByteVector a1 = ByteVector.fromArray(SPECIES, dst, out + i + VLEN);
                a0 = a0.lanewise(XOR, tl.rearrange(x0.and((byte)0x0F).toShuffle()))
                    .lanewise(XOR, th.rearrange(highNibbles(x0).toShuffle()));
                a1 = a1.lanewise(XOR, tl.rearrange(x1.and((byte)0x0F).toShuffle()))
                    .lanewise(XOR, th.rearrange(highNibbles(x1).toShuffle()));
                a0.intoArray(dst, out + i);
                a1.intoArray(dst, out + i + VLEN);
            }
        }
    }

    /** dst[off, off + end) = c * dst[...]; both formulations in one method, too large for C2 to inline. */
    private static void scaleVectors(final byte[] dst, final int off, final int end, final int c)
    {
        final int t = (c & 0xFF) << SHIFT;
        final ByteVector tl = ByteVector.fromArray(SPECIES, LOW_V, t);
        final ByteVector th = ByteVector.fromArray(SPECIES, HIGH_V, t);
        if (SELECT_FROM)
        {
            for (int i = 0; i < end; i += 2 * VLEN)
            {
                final ByteVector x0 = ByteVector.fromArray(SPECIES, dst, off + i);
                final ByteVector x1 = ByteVector.fromArray(SPECIES, dst, off + i + VLEN);
                ByteVector a0 = ByteVector.zero(SPECIES);
                ByteVector a1 = ByteVector.zero(SPECIES);
                a0 = a0.lanewise(XOR, x0.and((byte)0x0F).selectFrom(tl))
                    .lanewise(XOR, highNibbles(x0).selectFrom(th));
                a1 = a1.lanewise(XOR, x1.and((byte)0x0F).selectFrom(tl))
                    .lanewise(XOR, highNibbles(x1).selectFrom(th));
                a0.intoArray(dst, off + i);
                a1.intoArray(dst, off + i + VLEN);
            }
        }
        else
        {
            for (int i = 0; i < end; i += 2 * VLEN)
            {
                final ByteVector x0 = ByteVector.fromArray(SPECIES, dst, off + i);
                final ByteVector x1 = ByteVector.fromArray(SPECIES, dst, off + i + VLEN);
                ByteVector a0 = ByteVector.zero(SPECIES);
                ByteVector a1 = ByteVector.zero(SPECIES);
                a0 = a0.lanewise(XOR, tl.rearrange(x0.and((byte)0x0F).toShuffle()))
                    .lanewise(XOR, th.rearrange(highNibbles(x0).toShuffle()));
                a1 = a1.lanewise(XOR, tl.rearrange(x1.and((byte)0x0F).toShuffle()))
                    .lanewise(XOR, th.rearrange(highNibbles(x1).toShuffle()));
                a0.intoArray(dst, off + i);
                a1.intoArray(dst, off + i + VLEN);
            }
        }
    }
}
