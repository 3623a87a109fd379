package dev.c2cast.microcast.nc.internal;

import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.function.IntFunction;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The encoding products of {@code SimdKernel}'s JDK 25 formulation with the sources, and the nibble tables, in
 * native memory on a 64-byte boundary ({@link SourceBuffer}), so no 512-bit load of a source or a table spans two
 * cache lines. Generated with {@code SimdKernel} by src/simd/generate_simd_kernel.py: the same {@code selectNxV}
 * loops, loading from a {@code MemorySegment} instead of a {@code byte[]}; outputs stay in heap arrays (the packets'
 * buffers).
 * <p>
 * Compiled against the JDK 25 API ({@code src/simd25/java}, {@code --release 25}) into {@code META-INF/versions/25}
 * of the multi-release jar; {@code SimdKernel} loads it by name on JDK 25 and later and keeps the sources on the heap
 * when it is not there. Each buffer is allocated in an automatic arena, so the collector frees it with its
 * generation.
 */
final class SimdSegments implements SourceBuffer
{
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int VLEN = SPECIES.length();
    private static final int SHIFT = Integer.numberOfTrailingZeros(VLEN);
    private static final int ALIGNMENT = 64;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final MemorySegment LOW_M = Arena.global().allocate(256L * VLEN, ALIGNMENT);
    private static final MemorySegment HIGH_M = Arena.global().allocate(256L * VLEN, ALIGNMENT);
    private static final IntFunction<SourceBuffer> FACTORY = SimdSegments::new;

    static
    {
        for (int c = 0; c < 256; c++)
        {
            for (int i = 0; i < VLEN; i++)
            {
                LOW_M.set(ValueLayout.JAVA_BYTE, (long)c * VLEN + i, GfTables.LOW[(c << 4) | (i & 15)]);
                HIGH_M.set(ValueLayout.JAVA_BYTE, (long)c * VLEN + i, GfTables.HIGH[(c << 4) | (i & 15)]);
            }
        }
    }

    private final MemorySegment src;
    private final int capacity;

    private SimdSegments(final int capacity)
    {
        if (capacity < 0)
        {
            throw new IllegalArgumentException("capacity " + capacity + " < 0");
        }
        this.capacity = capacity;
        this.src = Arena.ofAuto().allocate(capacity, ALIGNMENT);
    }

    /**
     * The factory {@code SimdKernel} loads by name.
     *
     * @return a function from capacity to a new zeroed buffer.
     */
    public static IntFunction<SourceBuffer> factory()
    {
        return FACTORY;
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    @Override
    public void load(final byte[] bytes, final int off, final int len)
    {
        Objects.checkFromIndexSize(off, len, bytes.length);
        if (len > capacity)
        {
            throw new IllegalArgumentException(len + " bytes exceed the capacity " + capacity);
        }
        MemorySegment.copy(bytes, off, src, ValueLayout.JAVA_BYTE, 0, len);
    }

    @Override
    public void multiplyTo(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final int srcStride, final byte[][] dsts, final int[] dstOffsets, final int len)
    {
        check(m, n, srcStride, len);
        final int bound = len & -(2 * VLEN);
        product(coefs, coefOff, coefStride, m, n, src, srcStride, dsts, null, dstOffsets, bound);
        tail(coefs, coefOff, coefStride, m, n, srcStride, dsts, null, dstOffsets, bound, len);
    }

    @Override
    public void multiply(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final int srcStride, final byte[] dst, final int[] dstOffsets, final int len)
    {
        check(m, n, srcStride, len);
        final int bound = len & -(2 * VLEN);
        product(coefs, coefOff, coefStride, m, n, src, srcStride, null, dst, dstOffsets, bound);
        tail(coefs, coefOff, coefStride, m, n, srcStride, null, dst, dstOffsets, bound, len);
    }

    private void check(final int m, final int n, final int srcStride, final int len)
    {
        if (m < 0 || n < 0 || len < 0 || srcStride < 0 || n > 0 && (long)(n - 1) * srcStride + len > capacity)
        {
            throw new IndexOutOfBoundsException("sources n=" + n + " stride=" + srcStride + " len=" + len +
                " outside a buffer of " + capacity + " bytes");
        }
    }

    /** Bytes [bound, len) of every output, one at a time (the coding classes pad every length, so never in use). */
    private void tail(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final int srcStride, final byte[][] dsts, final byte[] dst, final int[] dstOffsets, final int bound,
        final int len)
    {
        for (int k = 0; k < m && bound < len; k++)
        {
            final byte[] d = dsts != null ? dsts[k] : dst;
            final int r = coefOff + k * coefStride;
            for (int i = bound; i < len; i++)
            {
                int value = 0;
                for (int j = 0; j < n; j++)
                {
                    final int x = src.get(ValueLayout.JAVA_BYTE, (long)j * srcStride + i) & 0xFF;
                    value ^= GfTables.MUL[((coefs[r + j] & 0xFF) << 8) | x];
                }
                d[dstOffsets[k] + i] = (byte)value;
            }
        }
    }

    private static ByteVector highNibbles(final ByteVector v)
    {
        return v.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte)0x0F);
    }

    /** The product over [0, bound), bound a multiple of two vectors; one of dsts and dst is null. */
    private static void product(final byte[] coefs, final int coefOff, final int coefStride, final int m,
        final int n, final MemorySegment src, final int srcStride, final byte[][] dsts, final byte[] dst,
        final int[] outs, final int bound)
    {
        final int bound4 = bound & -(4 * VLEN);
        for (int k = 0; k < m; k += 3)
        {
            final int row = coefOff + k * coefStride;
            switch (Math.min(3, m - k))
            {
                case 3:
                    select3x4(coefs, row, coefStride, n, src, 0, srcStride, dsts != null ? dsts[k + 0] : dst,
                        outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], dsts != null ? dsts[k + 2] : dst,
                        outs[k + 2], bound4);
                    if (bound4 < bound)
                    {
                        select3x2(coefs, row, coefStride, n, src, 0, srcStride, dsts != null ? dsts[k + 0] : dst,
                            outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1],
                            dsts != null ? dsts[k + 2] : dst, outs[k + 2], bound4, bound);
                    }
                    break;
                case 2:
                    select2x4(coefs, row, coefStride, n, src, 0, srcStride, dsts != null ? dsts[k + 0] : dst,
                        outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], bound4);
                    if (bound4 < bound)
                    {
                        select2x2(coefs, row, coefStride, n, src, 0, srcStride, dsts != null ? dsts[k + 0] : dst,
                            outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], bound4, bound);
                    }
                    break;
                default:
                    select1x4(coefs, row, n, src, 0, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], bound4);
                    if (bound4 < bound)
                    {
                        select1x2(coefs, row, n, src, 0, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0],
                            bound4, bound);
                    }
                    break;
            }
        }
    }

    // The loops below are generated (see the class comment): selectNxV computes N outputs from V vectors of every
    // source per step, exactly as in SimdKernel.

    private static void select3x4(final byte[] coefs, final int row, final int coefStride, final int n, final
        MemorySegment src, final int srcOff, final int srcStride, final byte[] d0, final int o0, final byte[] d1, final
        int o1, final byte[] d2, final int o2, final int end)
    {
        final int r0 = row + 0 * coefStride;
        final int r1 = row + 1 * coefStride;
        final int r2 = row + 2 * coefStride;
        for (int i = 0; i < end; i += 4 * VLEN)
        {
            ByteVector a00 = ByteVector.zero(SPECIES);
            ByteVector a01 = ByteVector.zero(SPECIES);
            ByteVector a02 = ByteVector.zero(SPECIES);
            ByteVector a03 = ByteVector.zero(SPECIES);
            ByteVector a10 = ByteVector.zero(SPECIES);
            ByteVector a11 = ByteVector.zero(SPECIES);
            ByteVector a12 = ByteVector.zero(SPECIES);
            ByteVector a13 = ByteVector.zero(SPECIES);
            ByteVector a20 = ByteVector.zero(SPECIES);
            ByteVector a21 = ByteVector.zero(SPECIES);
            ByteVector a22 = ByteVector.zero(SPECIES);
            ByteVector a23 = ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromMemorySegment(SPECIES, src, at + 0 * VLEN, ORDER);
                final ByteVector l0 = x0.and((byte)0x0F);
                final ByteVector h0 = highNibbles(x0);
                final ByteVector x1 = ByteVector.fromMemorySegment(SPECIES, src, at + 1 * VLEN, ORDER);
                final ByteVector l1 = x1.and((byte)0x0F);
                final ByteVector h1 = highNibbles(x1);
                final ByteVector x2 = ByteVector.fromMemorySegment(SPECIES, src, at + 2 * VLEN, ORDER);
                final ByteVector l2 = x2.and((byte)0x0F);
                final ByteVector h2 = highNibbles(x2);
                final ByteVector x3 = ByteVector.fromMemorySegment(SPECIES, src, at + 3 * VLEN, ORDER);
                final ByteVector l3 = x3.and((byte)0x0F);
                final ByteVector h3 = highNibbles(x3);
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromMemorySegment(SPECIES, LOW_M, t0, ORDER);
                final ByteVector th0 = ByteVector.fromMemorySegment(SPECIES, HIGH_M, t0, ORDER);
                a00 = a00.lanewise(XOR, l0.selectFrom(tl0)).lanewise(XOR, h0.selectFrom(th0));
                a01 = a01.lanewise(XOR, l1.selectFrom(tl0)).lanewise(XOR, h1.selectFrom(th0));
                a02 = a02.lanewise(XOR, l2.selectFrom(tl0)).lanewise(XOR, h2.selectFrom(th0));
                a03 = a03.lanewise(XOR, l3.selectFrom(tl0)).lanewise(XOR, h3.selectFrom(th0));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector tl1 = ByteVector.fromMemorySegment(SPECIES, LOW_M, t1, ORDER);
                final ByteVector th1 = ByteVector.fromMemorySegment(SPECIES, HIGH_M, t1, ORDER);
                a10 = a10.lanewise(XOR, l0.selectFrom(tl1)).lanewise(XOR, h0.selectFrom(th1));
                a11 = a11.lanewise(XOR, l1.selectFrom(tl1)).lanewise(XOR, h1.selectFrom(th1));
                a12 = a12.lanewise(XOR, l2.selectFrom(tl1)).lanewise(XOR, h2.selectFrom(th1));
                a13 = a13.lanewise(XOR, l3.selectFrom(tl1)).lanewise(XOR, h3.selectFrom(th1));
                final int t2 = (coefs[r2 + j] & 0xFF) << SHIFT;
                final ByteVector tl2 = ByteVector.fromMemorySegment(SPECIES, LOW_M, t2, ORDER);
                final ByteVector th2 = ByteVector.fromMemorySegment(SPECIES, HIGH_M, t2, ORDER);
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
        MemorySegment src, final int srcOff, final int srcStride, final byte[] d0, final int o0, final byte[] d1, final
        int o1, final byte[] d2, final int o2, final int start, final int end)
    {
        final int r0 = row + 0 * coefStride;
        final int r1 = row + 1 * coefStride;
        final int r2 = row + 2 * coefStride;
        for (int i = start; i < end; i += 2 * VLEN)
        {
            ByteVector a00 = ByteVector.zero(SPECIES);
            ByteVector a01 = ByteVector.zero(SPECIES);
            ByteVector a10 = ByteVector.zero(SPECIES);
            ByteVector a11 = ByteVector.zero(SPECIES);
            ByteVector a20 = ByteVector.zero(SPECIES);
            ByteVector a21 = ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromMemorySegment(SPECIES, src, at + 0 * VLEN, ORDER);
                final ByteVector l0 = x0.and((byte)0x0F);
                final ByteVector h0 = highNibbles(x0);
                final ByteVector x1 = ByteVector.fromMemorySegment(SPECIES, src, at + 1 * VLEN, ORDER);
                final ByteVector l1 = x1.and((byte)0x0F);
                final ByteVector h1 = highNibbles(x1);
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromMemorySegment(SPECIES, LOW_M, t0, ORDER);
                final ByteVector th0 = ByteVector.fromMemorySegment(SPECIES, HIGH_M, t0, ORDER);
                a00 = a00.lanewise(XOR, l0.selectFrom(tl0)).lanewise(XOR, h0.selectFrom(th0));
                a01 = a01.lanewise(XOR, l1.selectFrom(tl0)).lanewise(XOR, h1.selectFrom(th0));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector tl1 = ByteVector.fromMemorySegment(SPECIES, LOW_M, t1, ORDER);
                final ByteVector th1 = ByteVector.fromMemorySegment(SPECIES, HIGH_M, t1, ORDER);
                a10 = a10.lanewise(XOR, l0.selectFrom(tl1)).lanewise(XOR, h0.selectFrom(th1));
                a11 = a11.lanewise(XOR, l1.selectFrom(tl1)).lanewise(XOR, h1.selectFrom(th1));
                final int t2 = (coefs[r2 + j] & 0xFF) << SHIFT;
                final ByteVector tl2 = ByteVector.fromMemorySegment(SPECIES, LOW_M, t2, ORDER);
                final ByteVector th2 = ByteVector.fromMemorySegment(SPECIES, HIGH_M, t2, ORDER);
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
        MemorySegment src, final int srcOff, final int srcStride, final byte[] d0, final int o0, final byte[] d1, final
        int o1, final int end)
    {
        final int r0 = row + 0 * coefStride;
        final int r1 = row + 1 * coefStride;
        for (int i = 0; i < end; i += 4 * VLEN)
        {
            ByteVector a00 = ByteVector.zero(SPECIES);
            ByteVector a01 = ByteVector.zero(SPECIES);
            ByteVector a02 = ByteVector.zero(SPECIES);
            ByteVector a03 = ByteVector.zero(SPECIES);
            ByteVector a10 = ByteVector.zero(SPECIES);
            ByteVector a11 = ByteVector.zero(SPECIES);
            ByteVector a12 = ByteVector.zero(SPECIES);
            ByteVector a13 = ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromMemorySegment(SPECIES, src, at + 0 * VLEN, ORDER);
                final ByteVector l0 = x0.and((byte)0x0F);
                final ByteVector h0 = highNibbles(x0);
                final ByteVector x1 = ByteVector.fromMemorySegment(SPECIES, src, at + 1 * VLEN, ORDER);
                final ByteVector l1 = x1.and((byte)0x0F);
                final ByteVector h1 = highNibbles(x1);
                final ByteVector x2 = ByteVector.fromMemorySegment(SPECIES, src, at + 2 * VLEN, ORDER);
                final ByteVector l2 = x2.and((byte)0x0F);
                final ByteVector h2 = highNibbles(x2);
                final ByteVector x3 = ByteVector.fromMemorySegment(SPECIES, src, at + 3 * VLEN, ORDER);
                final ByteVector l3 = x3.and((byte)0x0F);
                final ByteVector h3 = highNibbles(x3);
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromMemorySegment(SPECIES, LOW_M, t0, ORDER);
                final ByteVector th0 = ByteVector.fromMemorySegment(SPECIES, HIGH_M, t0, ORDER);
                a00 = a00.lanewise(XOR, l0.selectFrom(tl0)).lanewise(XOR, h0.selectFrom(th0));
                a01 = a01.lanewise(XOR, l1.selectFrom(tl0)).lanewise(XOR, h1.selectFrom(th0));
                a02 = a02.lanewise(XOR, l2.selectFrom(tl0)).lanewise(XOR, h2.selectFrom(th0));
                a03 = a03.lanewise(XOR, l3.selectFrom(tl0)).lanewise(XOR, h3.selectFrom(th0));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector tl1 = ByteVector.fromMemorySegment(SPECIES, LOW_M, t1, ORDER);
                final ByteVector th1 = ByteVector.fromMemorySegment(SPECIES, HIGH_M, t1, ORDER);
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
        MemorySegment src, final int srcOff, final int srcStride, final byte[] d0, final int o0, final byte[] d1, final
        int o1, final int start, final int end)
    {
        final int r0 = row + 0 * coefStride;
        final int r1 = row + 1 * coefStride;
        for (int i = start; i < end; i += 2 * VLEN)
        {
            ByteVector a00 = ByteVector.zero(SPECIES);
            ByteVector a01 = ByteVector.zero(SPECIES);
            ByteVector a10 = ByteVector.zero(SPECIES);
            ByteVector a11 = ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromMemorySegment(SPECIES, src, at + 0 * VLEN, ORDER);
                final ByteVector l0 = x0.and((byte)0x0F);
                final ByteVector h0 = highNibbles(x0);
                final ByteVector x1 = ByteVector.fromMemorySegment(SPECIES, src, at + 1 * VLEN, ORDER);
                final ByteVector l1 = x1.and((byte)0x0F);
                final ByteVector h1 = highNibbles(x1);
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromMemorySegment(SPECIES, LOW_M, t0, ORDER);
                final ByteVector th0 = ByteVector.fromMemorySegment(SPECIES, HIGH_M, t0, ORDER);
                a00 = a00.lanewise(XOR, l0.selectFrom(tl0)).lanewise(XOR, h0.selectFrom(th0));
                a01 = a01.lanewise(XOR, l1.selectFrom(tl0)).lanewise(XOR, h1.selectFrom(th0));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector tl1 = ByteVector.fromMemorySegment(SPECIES, LOW_M, t1, ORDER);
                final ByteVector th1 = ByteVector.fromMemorySegment(SPECIES, HIGH_M, t1, ORDER);
                a10 = a10.lanewise(XOR, l0.selectFrom(tl1)).lanewise(XOR, h0.selectFrom(th1));
                a11 = a11.lanewise(XOR, l1.selectFrom(tl1)).lanewise(XOR, h1.selectFrom(th1));
            }
            a00.intoArray(d0, o0 + i + 0 * VLEN);
            a01.intoArray(d0, o0 + i + 1 * VLEN);
            a10.intoArray(d1, o1 + i + 0 * VLEN);
            a11.intoArray(d1, o1 + i + 1 * VLEN);
        }
    }

    private static void select1x4(final byte[] coefs, final int row, final int n, final MemorySegment src, final int
        srcOff, final int srcStride, final byte[] d0, final int o0, final int end)
    {
        final int r0 = row;
        for (int i = 0; i < end; i += 4 * VLEN)
        {
            ByteVector a00 = ByteVector.zero(SPECIES);
            ByteVector a01 = ByteVector.zero(SPECIES);
            ByteVector a02 = ByteVector.zero(SPECIES);
            ByteVector a03 = ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromMemorySegment(SPECIES, src, at + 0 * VLEN, ORDER);
                final ByteVector l0 = x0.and((byte)0x0F);
                final ByteVector h0 = highNibbles(x0);
                final ByteVector x1 = ByteVector.fromMemorySegment(SPECIES, src, at + 1 * VLEN, ORDER);
                final ByteVector l1 = x1.and((byte)0x0F);
                final ByteVector h1 = highNibbles(x1);
                final ByteVector x2 = ByteVector.fromMemorySegment(SPECIES, src, at + 2 * VLEN, ORDER);
                final ByteVector l2 = x2.and((byte)0x0F);
                final ByteVector h2 = highNibbles(x2);
                final ByteVector x3 = ByteVector.fromMemorySegment(SPECIES, src, at + 3 * VLEN, ORDER);
                final ByteVector l3 = x3.and((byte)0x0F);
                final ByteVector h3 = highNibbles(x3);
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromMemorySegment(SPECIES, LOW_M, t0, ORDER);
                final ByteVector th0 = ByteVector.fromMemorySegment(SPECIES, HIGH_M, t0, ORDER);
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

    private static void select1x2(final byte[] coefs, final int row, final int n, final MemorySegment src, final int
        srcOff, final int srcStride, final byte[] d0, final int o0, final int start, final int end)
    {
        final int r0 = row;
        for (int i = start; i < end; i += 2 * VLEN)
        {
            ByteVector a00 = ByteVector.zero(SPECIES);
            ByteVector a01 = ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector x0 = ByteVector.fromMemorySegment(SPECIES, src, at + 0 * VLEN, ORDER);
                final ByteVector l0 = x0.and((byte)0x0F);
                final ByteVector h0 = highNibbles(x0);
                final ByteVector x1 = ByteVector.fromMemorySegment(SPECIES, src, at + 1 * VLEN, ORDER);
                final ByteVector l1 = x1.and((byte)0x0F);
                final ByteVector h1 = highNibbles(x1);
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector tl0 = ByteVector.fromMemorySegment(SPECIES, LOW_M, t0, ORDER);
                final ByteVector th0 = ByteVector.fromMemorySegment(SPECIES, HIGH_M, t0, ORDER);
                a00 = a00.lanewise(XOR, l0.selectFrom(tl0)).lanewise(XOR, h0.selectFrom(th0));
                a01 = a01.lanewise(XOR, l1.selectFrom(tl0)).lanewise(XOR, h1.selectFrom(th0));
            }
            a00.intoArray(d0, o0 + i + 0 * VLEN);
            a01.intoArray(d0, o0 + i + 1 * VLEN);
        }
    }
}
