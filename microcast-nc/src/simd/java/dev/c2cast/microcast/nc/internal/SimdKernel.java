package dev.c2cast.microcast.nc.internal;

import static jdk.incubator.vector.VectorOperators.XOR;

import java.util.Arrays;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernel on the JDK Vector API ({@code jdk.incubator.vector}): the split-nibble method of ISA-L and Kodo.
 * A product {@code c * x} is {@code LOW_c[x & 15] ^ HIGH_c[x >>> 4]}, two 16-entry table lookups done for a whole
 * vector at once with {@link ByteVector#selectFrom}; the high nibble comes from shifting 64-bit lanes right by 4
 * and masking (x86 has no byte shift, so a byte-lane shift would be emulated).
 * <p>
 * This is the only class of the library that uses the Vector API. It lives in its own source root
 * ({@code src/simd/java}), compiled by a separate compiler execution with {@code --add-modules
 * jdk.incubator.vector}, and is loaded reflectively by {@link Kernels} only when that module is in the boot layer.
 * <p>
 * One species for the whole JVM, {@link ByteVector#SPECIES_PREFERRED}: mixing 256- and 512-bit species in one JVM
 * made every vector kernel several times slower on JDK 17. The lookup tables are stored pre-replicated to the
 * vector length so each one is a single aligned load.
 */
public final class SimdKernel implements GfKernel
{
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int VLEN = SPECIES.length();
    private static final int SHIFT = Integer.numberOfTrailingZeros(VLEN);
    private static final byte[] LOW_V = new byte[256 * VLEN];
    private static final byte[] HIGH_V = new byte[256 * VLEN];
    /** Outputs computed per pass over the sources (5 keeps 10 accumulators and the tables in registers). */
    private static final int GROUP = 5;
    /**
     * Table lookup flavour, fixed per JVM. JDK 17 implements {@code selectFrom} as {@code rearrange(toShuffle())}
     * with its index checks per call, so there the nibble shuffles are built once per source vector and reused for
     * every output; newer JDKs compile {@code selectFrom} directly to a permute, which measured faster on JDK 25.
     */
    private static final boolean SELECT_FROM = Runtime.version().feature() >= 25;

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
        final int i = bound;
        if (i < len)
        {
            PortableKernel.INSTANCE.mulAdd(dst, dstOff + i, src, srcOff + i, len - i, c);
        }
    }

    @Override
    public void mul(final byte[] dst, final int dstOff, final int len, final int c)
    {
        if ((c & 0xFF) == 1)
        {
            return;
        }
        final ByteVector tl = low(c);
        final ByteVector th = high(c);
        final int bound = SPECIES.loopBound(len);
        int i = 0;
        for (; i < bound; i += VLEN)
        {
            final ByteVector v = ByteVector.fromArray(SPECIES, dst, dstOff + i);
            v.and((byte)0x0F).selectFrom(tl).lanewise(VectorOperators.XOR, highNibbles(v).selectFrom(th))
                .intoArray(dst, dstOff + i);
        }
        if (i < len)
        {
            PortableKernel.INSTANCE.mul(dst, dstOff + i, len - i, c);
        }
    }

    @Override
    public void multiply(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[] dst, final int[] dstOffsets,
        final int len, final boolean accumulate)
    {
        final int bound = SPECIES.loopBound(len);
        int k = 0;
        if (m == 1 && sparse(coefs, coefOff, n))
        {
            // Elimination against a partly filled decoder: source by source, skipping zero coefficients. (A skip
            // inside the fused loops below makes JDK 17's C2 box the accumulators.)
            final int out = dstOffsets[0];
            if (!accumulate)
            {
                Arrays.fill(dst, out, out + bound, (byte)0);
            }
            for (int j = 0; j < n; j++)
            {
                final int c = coefs[coefOff + j] & 0xFF;
                if (c != 0)
                {
                    mulAddVectors(dst, out, src, srcOff + j * srcStride, bound, c);
                }
            }
            k = 1;
        }
        for (; k + GROUP <= m; k += GROUP)
        {
            multiply5(coefs, coefOff + k * coefStride, coefStride, n, src, srcOff, srcStride, dst, dstOffsets, k, bound,
                accumulate);
        }
        final int row = coefOff + k * coefStride;
        switch (m - k)
        {
            case 4:
                multiply4(coefs, row, coefStride, n, src, srcOff, srcStride, dst, dstOffsets, k, bound, accumulate);
                break;
            case 3:
                multiply3(coefs, row, coefStride, n, src, srcOff, srcStride, dst, dstOffsets, k, bound, accumulate);
                break;
            case 2:
                multiply2(coefs, row, coefStride, n, src, srcOff, srcStride, dst, dstOffsets, k, bound, accumulate);
                break;
            case 1:
                multiply1(coefs, row, coefStride, n, src, srcOff, srcStride, dst, dstOffsets, k, bound, accumulate);
                break;
            default:
                break;
        }
        if (bound < len)
        {
            for (k = 0; k < m; k++)
            {
                final int out = dstOffsets[k] + bound;
                if (!accumulate)
                {
                    Arrays.fill(dst, out, dstOffsets[k] + len, (byte)0);
                }
                final int r = coefOff + k * coefStride;
                for (int j = 0; j < n; j++)
                {
                    PortableKernel.INSTANCE.mulAdd(dst, out, src, srcOff + j * srcStride + bound, len - bound,
                        coefs[r + j]);
                }
            }
        }
    }

    private static boolean sparse(final byte[] coefs, final int off, final int n)
    {
        int nonZero = 0;
        for (int j = 0; j < n; j++)
        {
            nonZero += coefs[off + j] != 0 ? 1 : 0;
        }
        return nonZero * 4 < n * 3;
    }

    private static void mulAddVectors(final byte[] dst, final int dstOff, final byte[] src, final int srcOff,
        final int bound, final int c)
    {
        final ByteVector tl = low(c);
        final ByteVector th = high(c);
        for (int i = 0; i < bound; i += VLEN)
        {
            final ByteVector v = ByteVector.fromArray(SPECIES, src, srcOff + i);
            final ByteVector p = v.and((byte)0x0F).selectFrom(tl).lanewise(XOR, highNibbles(v).selectFrom(th));
            ByteVector.fromArray(SPECIES, dst, dstOff + i).lanewise(XOR, p).intoArray(dst, dstOff + i);
        }
    }

    // multiply1 .. multiply5: GROUP outputs per pass over the sources, two vectors per output per step (each table
    // lookup vector is used twice), one vector per step for an odd tail. Generated from one template; the
    // accumulators must stay in registers, hence one method per group size rather than arrays.

    private static void multiply1(final byte[] coefs, final int row, final int coefStride, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[] dst, final int[] outs, final int k,
        final int bound, final boolean accumulate)
    {
        final int o0 = outs[k + 0];
        final int r0 = row + 0 * coefStride;
        int i = 0;
        for (; i + 2 * VLEN <= bound; i += 2 * VLEN)
        {
            ByteVector a0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i) : ByteVector.zero(SPECIES);
            ByteVector b0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i + VLEN) : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector v = ByteVector.fromArray(SPECIES, src, at);
                final ByteVector w = ByteVector.fromArray(SPECIES, src, at + VLEN);
                final ByteVector vl = v.and((byte)0x0F);
                final ByteVector vh = highNibbles(v);
                final ByteVector wl = w.and((byte)0x0F);
                final ByteVector wh = highNibbles(w);
                final VectorShuffle<Byte> svl = SELECT_FROM ? null : vl.toShuffle();
                final VectorShuffle<Byte> svh = SELECT_FROM ? null : vh.toShuffle();
                final VectorShuffle<Byte> swl = SELECT_FROM ? null : wl.toShuffle();
                final VectorShuffle<Byte> swh = SELECT_FROM ? null : wh.toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector l0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector h0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                if (SELECT_FROM)
                {
                    a0 = a0.lanewise(XOR, vl.selectFrom(l0)).lanewise(XOR, vh.selectFrom(h0));
                    b0 = b0.lanewise(XOR, wl.selectFrom(l0)).lanewise(XOR, wh.selectFrom(h0));
                }
                else
                {
                    a0 = a0.lanewise(XOR, l0.rearrange(svl)).lanewise(XOR, h0.rearrange(svh));
                    b0 = b0.lanewise(XOR, l0.rearrange(swl)).lanewise(XOR, h0.rearrange(swh));
                }
            }
            a0.intoArray(dst, o0 + i);
            b0.intoArray(dst, o0 + i + VLEN);
        }
        for (; i < bound; i += VLEN)
        {
            ByteVector a0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i) : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final ByteVector v = ByteVector.fromArray(SPECIES, src, srcOff + j * srcStride + i);
                final ByteVector vl = v.and((byte)0x0F);
                final ByteVector vh = highNibbles(v);
                final VectorShuffle<Byte> svl = SELECT_FROM ? null : vl.toShuffle();
                final VectorShuffle<Byte> svh = SELECT_FROM ? null : vh.toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector l0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector h0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a0 = SELECT_FROM ? a0.lanewise(XOR, vl.selectFrom(l0)).lanewise(XOR, vh.selectFrom(h0))
                    : a0.lanewise(XOR, l0.rearrange(svl)).lanewise(XOR, h0.rearrange(svh));
            }
            a0.intoArray(dst, o0 + i);
        }
    }

    private static void multiply2(final byte[] coefs, final int row, final int coefStride, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[] dst, final int[] outs, final int k,
        final int bound, final boolean accumulate)
    {
        final int o0 = outs[k + 0];
        final int r0 = row + 0 * coefStride;
        final int o1 = outs[k + 1];
        final int r1 = row + 1 * coefStride;
        int i = 0;
        for (; i + 2 * VLEN <= bound; i += 2 * VLEN)
        {
            ByteVector a0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i) : ByteVector.zero(SPECIES);
            ByteVector b0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i + VLEN) : ByteVector.zero(SPECIES);
            ByteVector a1 = accumulate ? ByteVector.fromArray(SPECIES, dst, o1 + i) : ByteVector.zero(SPECIES);
            ByteVector b1 = accumulate ? ByteVector.fromArray(SPECIES, dst, o1 + i + VLEN) : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector v = ByteVector.fromArray(SPECIES, src, at);
                final ByteVector w = ByteVector.fromArray(SPECIES, src, at + VLEN);
                final ByteVector vl = v.and((byte)0x0F);
                final ByteVector vh = highNibbles(v);
                final ByteVector wl = w.and((byte)0x0F);
                final ByteVector wh = highNibbles(w);
                final VectorShuffle<Byte> svl = SELECT_FROM ? null : vl.toShuffle();
                final VectorShuffle<Byte> svh = SELECT_FROM ? null : vh.toShuffle();
                final VectorShuffle<Byte> swl = SELECT_FROM ? null : wl.toShuffle();
                final VectorShuffle<Byte> swh = SELECT_FROM ? null : wh.toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector l0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector h0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                if (SELECT_FROM)
                {
                    a0 = a0.lanewise(XOR, vl.selectFrom(l0)).lanewise(XOR, vh.selectFrom(h0));
                    b0 = b0.lanewise(XOR, wl.selectFrom(l0)).lanewise(XOR, wh.selectFrom(h0));
                }
                else
                {
                    a0 = a0.lanewise(XOR, l0.rearrange(svl)).lanewise(XOR, h0.rearrange(svh));
                    b0 = b0.lanewise(XOR, l0.rearrange(swl)).lanewise(XOR, h0.rearrange(swh));
                }
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector l1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector h1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                if (SELECT_FROM)
                {
                    a1 = a1.lanewise(XOR, vl.selectFrom(l1)).lanewise(XOR, vh.selectFrom(h1));
                    b1 = b1.lanewise(XOR, wl.selectFrom(l1)).lanewise(XOR, wh.selectFrom(h1));
                }
                else
                {
                    a1 = a1.lanewise(XOR, l1.rearrange(svl)).lanewise(XOR, h1.rearrange(svh));
                    b1 = b1.lanewise(XOR, l1.rearrange(swl)).lanewise(XOR, h1.rearrange(swh));
                }
            }
            a0.intoArray(dst, o0 + i);
            b0.intoArray(dst, o0 + i + VLEN);
            a1.intoArray(dst, o1 + i);
            b1.intoArray(dst, o1 + i + VLEN);
        }
        for (; i < bound; i += VLEN)
        {
            ByteVector a0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i) : ByteVector.zero(SPECIES);
            ByteVector a1 = accumulate ? ByteVector.fromArray(SPECIES, dst, o1 + i) : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final ByteVector v = ByteVector.fromArray(SPECIES, src, srcOff + j * srcStride + i);
                final ByteVector vl = v.and((byte)0x0F);
                final ByteVector vh = highNibbles(v);
                final VectorShuffle<Byte> svl = SELECT_FROM ? null : vl.toShuffle();
                final VectorShuffle<Byte> svh = SELECT_FROM ? null : vh.toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector l0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector h0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a0 = SELECT_FROM ? a0.lanewise(XOR, vl.selectFrom(l0)).lanewise(XOR, vh.selectFrom(h0))
                    : a0.lanewise(XOR, l0.rearrange(svl)).lanewise(XOR, h0.rearrange(svh));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector l1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector h1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                a1 = SELECT_FROM ? a1.lanewise(XOR, vl.selectFrom(l1)).lanewise(XOR, vh.selectFrom(h1))
                    : a1.lanewise(XOR, l1.rearrange(svl)).lanewise(XOR, h1.rearrange(svh));
            }
            a0.intoArray(dst, o0 + i);
            a1.intoArray(dst, o1 + i);
        }
    }

    private static void multiply3(final byte[] coefs, final int row, final int coefStride, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[] dst, final int[] outs, final int k,
        final int bound, final boolean accumulate)
    {
        final int o0 = outs[k + 0];
        final int r0 = row + 0 * coefStride;
        final int o1 = outs[k + 1];
        final int r1 = row + 1 * coefStride;
        final int o2 = outs[k + 2];
        final int r2 = row + 2 * coefStride;
        int i = 0;
        for (; i + 2 * VLEN <= bound; i += 2 * VLEN)
        {
            ByteVector a0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i) : ByteVector.zero(SPECIES);
            ByteVector b0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i + VLEN) : ByteVector.zero(SPECIES);
            ByteVector a1 = accumulate ? ByteVector.fromArray(SPECIES, dst, o1 + i) : ByteVector.zero(SPECIES);
            ByteVector b1 = accumulate ? ByteVector.fromArray(SPECIES, dst, o1 + i + VLEN) : ByteVector.zero(SPECIES);
            ByteVector a2 = accumulate ? ByteVector.fromArray(SPECIES, dst, o2 + i) : ByteVector.zero(SPECIES);
            ByteVector b2 = accumulate ? ByteVector.fromArray(SPECIES, dst, o2 + i + VLEN) : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector v = ByteVector.fromArray(SPECIES, src, at);
                final ByteVector w = ByteVector.fromArray(SPECIES, src, at + VLEN);
                final ByteVector vl = v.and((byte)0x0F);
                final ByteVector vh = highNibbles(v);
                final ByteVector wl = w.and((byte)0x0F);
                final ByteVector wh = highNibbles(w);
                final VectorShuffle<Byte> svl = SELECT_FROM ? null : vl.toShuffle();
                final VectorShuffle<Byte> svh = SELECT_FROM ? null : vh.toShuffle();
                final VectorShuffle<Byte> swl = SELECT_FROM ? null : wl.toShuffle();
                final VectorShuffle<Byte> swh = SELECT_FROM ? null : wh.toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector l0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector h0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                if (SELECT_FROM)
                {
                    a0 = a0.lanewise(XOR, vl.selectFrom(l0)).lanewise(XOR, vh.selectFrom(h0));
                    b0 = b0.lanewise(XOR, wl.selectFrom(l0)).lanewise(XOR, wh.selectFrom(h0));
                }
                else
                {
                    a0 = a0.lanewise(XOR, l0.rearrange(svl)).lanewise(XOR, h0.rearrange(svh));
                    b0 = b0.lanewise(XOR, l0.rearrange(swl)).lanewise(XOR, h0.rearrange(swh));
                }
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector l1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector h1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                if (SELECT_FROM)
                {
                    a1 = a1.lanewise(XOR, vl.selectFrom(l1)).lanewise(XOR, vh.selectFrom(h1));
                    b1 = b1.lanewise(XOR, wl.selectFrom(l1)).lanewise(XOR, wh.selectFrom(h1));
                }
                else
                {
                    a1 = a1.lanewise(XOR, l1.rearrange(svl)).lanewise(XOR, h1.rearrange(svh));
                    b1 = b1.lanewise(XOR, l1.rearrange(swl)).lanewise(XOR, h1.rearrange(swh));
                }
                final int t2 = (coefs[r2 + j] & 0xFF) << SHIFT;
                final ByteVector l2 = ByteVector.fromArray(SPECIES, LOW_V, t2);
                final ByteVector h2 = ByteVector.fromArray(SPECIES, HIGH_V, t2);
                if (SELECT_FROM)
                {
                    a2 = a2.lanewise(XOR, vl.selectFrom(l2)).lanewise(XOR, vh.selectFrom(h2));
                    b2 = b2.lanewise(XOR, wl.selectFrom(l2)).lanewise(XOR, wh.selectFrom(h2));
                }
                else
                {
                    a2 = a2.lanewise(XOR, l2.rearrange(svl)).lanewise(XOR, h2.rearrange(svh));
                    b2 = b2.lanewise(XOR, l2.rearrange(swl)).lanewise(XOR, h2.rearrange(swh));
                }
            }
            a0.intoArray(dst, o0 + i);
            b0.intoArray(dst, o0 + i + VLEN);
            a1.intoArray(dst, o1 + i);
            b1.intoArray(dst, o1 + i + VLEN);
            a2.intoArray(dst, o2 + i);
            b2.intoArray(dst, o2 + i + VLEN);
        }
        for (; i < bound; i += VLEN)
        {
            ByteVector a0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i) : ByteVector.zero(SPECIES);
            ByteVector a1 = accumulate ? ByteVector.fromArray(SPECIES, dst, o1 + i) : ByteVector.zero(SPECIES);
            ByteVector a2 = accumulate ? ByteVector.fromArray(SPECIES, dst, o2 + i) : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final ByteVector v = ByteVector.fromArray(SPECIES, src, srcOff + j * srcStride + i);
                final ByteVector vl = v.and((byte)0x0F);
                final ByteVector vh = highNibbles(v);
                final VectorShuffle<Byte> svl = SELECT_FROM ? null : vl.toShuffle();
                final VectorShuffle<Byte> svh = SELECT_FROM ? null : vh.toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector l0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector h0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a0 = SELECT_FROM ? a0.lanewise(XOR, vl.selectFrom(l0)).lanewise(XOR, vh.selectFrom(h0))
                    : a0.lanewise(XOR, l0.rearrange(svl)).lanewise(XOR, h0.rearrange(svh));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector l1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector h1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                a1 = SELECT_FROM ? a1.lanewise(XOR, vl.selectFrom(l1)).lanewise(XOR, vh.selectFrom(h1))
                    : a1.lanewise(XOR, l1.rearrange(svl)).lanewise(XOR, h1.rearrange(svh));
                final int t2 = (coefs[r2 + j] & 0xFF) << SHIFT;
                final ByteVector l2 = ByteVector.fromArray(SPECIES, LOW_V, t2);
                final ByteVector h2 = ByteVector.fromArray(SPECIES, HIGH_V, t2);
                a2 = SELECT_FROM ? a2.lanewise(XOR, vl.selectFrom(l2)).lanewise(XOR, vh.selectFrom(h2))
                    : a2.lanewise(XOR, l2.rearrange(svl)).lanewise(XOR, h2.rearrange(svh));
            }
            a0.intoArray(dst, o0 + i);
            a1.intoArray(dst, o1 + i);
            a2.intoArray(dst, o2 + i);
        }
    }

    private static void multiply4(final byte[] coefs, final int row, final int coefStride, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[] dst, final int[] outs, final int k,
        final int bound, final boolean accumulate)
    {
        final int o0 = outs[k + 0];
        final int r0 = row + 0 * coefStride;
        final int o1 = outs[k + 1];
        final int r1 = row + 1 * coefStride;
        final int o2 = outs[k + 2];
        final int r2 = row + 2 * coefStride;
        final int o3 = outs[k + 3];
        final int r3 = row + 3 * coefStride;
        int i = 0;
        for (; i + 2 * VLEN <= bound; i += 2 * VLEN)
        {
            ByteVector a0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i) : ByteVector.zero(SPECIES);
            ByteVector b0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i + VLEN) : ByteVector.zero(SPECIES);
            ByteVector a1 = accumulate ? ByteVector.fromArray(SPECIES, dst, o1 + i) : ByteVector.zero(SPECIES);
            ByteVector b1 = accumulate ? ByteVector.fromArray(SPECIES, dst, o1 + i + VLEN) : ByteVector.zero(SPECIES);
            ByteVector a2 = accumulate ? ByteVector.fromArray(SPECIES, dst, o2 + i) : ByteVector.zero(SPECIES);
            ByteVector b2 = accumulate ? ByteVector.fromArray(SPECIES, dst, o2 + i + VLEN) : ByteVector.zero(SPECIES);
            ByteVector a3 = accumulate ? ByteVector.fromArray(SPECIES, dst, o3 + i) : ByteVector.zero(SPECIES);
            ByteVector b3 = accumulate ? ByteVector.fromArray(SPECIES, dst, o3 + i + VLEN) : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector v = ByteVector.fromArray(SPECIES, src, at);
                final ByteVector w = ByteVector.fromArray(SPECIES, src, at + VLEN);
                final ByteVector vl = v.and((byte)0x0F);
                final ByteVector vh = highNibbles(v);
                final ByteVector wl = w.and((byte)0x0F);
                final ByteVector wh = highNibbles(w);
                final VectorShuffle<Byte> svl = SELECT_FROM ? null : vl.toShuffle();
                final VectorShuffle<Byte> svh = SELECT_FROM ? null : vh.toShuffle();
                final VectorShuffle<Byte> swl = SELECT_FROM ? null : wl.toShuffle();
                final VectorShuffle<Byte> swh = SELECT_FROM ? null : wh.toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector l0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector h0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                if (SELECT_FROM)
                {
                    a0 = a0.lanewise(XOR, vl.selectFrom(l0)).lanewise(XOR, vh.selectFrom(h0));
                    b0 = b0.lanewise(XOR, wl.selectFrom(l0)).lanewise(XOR, wh.selectFrom(h0));
                }
                else
                {
                    a0 = a0.lanewise(XOR, l0.rearrange(svl)).lanewise(XOR, h0.rearrange(svh));
                    b0 = b0.lanewise(XOR, l0.rearrange(swl)).lanewise(XOR, h0.rearrange(swh));
                }
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector l1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector h1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                if (SELECT_FROM)
                {
                    a1 = a1.lanewise(XOR, vl.selectFrom(l1)).lanewise(XOR, vh.selectFrom(h1));
                    b1 = b1.lanewise(XOR, wl.selectFrom(l1)).lanewise(XOR, wh.selectFrom(h1));
                }
                else
                {
                    a1 = a1.lanewise(XOR, l1.rearrange(svl)).lanewise(XOR, h1.rearrange(svh));
                    b1 = b1.lanewise(XOR, l1.rearrange(swl)).lanewise(XOR, h1.rearrange(swh));
                }
                final int t2 = (coefs[r2 + j] & 0xFF) << SHIFT;
                final ByteVector l2 = ByteVector.fromArray(SPECIES, LOW_V, t2);
                final ByteVector h2 = ByteVector.fromArray(SPECIES, HIGH_V, t2);
                if (SELECT_FROM)
                {
                    a2 = a2.lanewise(XOR, vl.selectFrom(l2)).lanewise(XOR, vh.selectFrom(h2));
                    b2 = b2.lanewise(XOR, wl.selectFrom(l2)).lanewise(XOR, wh.selectFrom(h2));
                }
                else
                {
                    a2 = a2.lanewise(XOR, l2.rearrange(svl)).lanewise(XOR, h2.rearrange(svh));
                    b2 = b2.lanewise(XOR, l2.rearrange(swl)).lanewise(XOR, h2.rearrange(swh));
                }
                final int t3 = (coefs[r3 + j] & 0xFF) << SHIFT;
                final ByteVector l3 = ByteVector.fromArray(SPECIES, LOW_V, t3);
                final ByteVector h3 = ByteVector.fromArray(SPECIES, HIGH_V, t3);
                if (SELECT_FROM)
                {
                    a3 = a3.lanewise(XOR, vl.selectFrom(l3)).lanewise(XOR, vh.selectFrom(h3));
                    b3 = b3.lanewise(XOR, wl.selectFrom(l3)).lanewise(XOR, wh.selectFrom(h3));
                }
                else
                {
                    a3 = a3.lanewise(XOR, l3.rearrange(svl)).lanewise(XOR, h3.rearrange(svh));
                    b3 = b3.lanewise(XOR, l3.rearrange(swl)).lanewise(XOR, h3.rearrange(swh));
                }
            }
            a0.intoArray(dst, o0 + i);
            b0.intoArray(dst, o0 + i + VLEN);
            a1.intoArray(dst, o1 + i);
            b1.intoArray(dst, o1 + i + VLEN);
            a2.intoArray(dst, o2 + i);
            b2.intoArray(dst, o2 + i + VLEN);
            a3.intoArray(dst, o3 + i);
            b3.intoArray(dst, o3 + i + VLEN);
        }
        for (; i < bound; i += VLEN)
        {
            ByteVector a0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i) : ByteVector.zero(SPECIES);
            ByteVector a1 = accumulate ? ByteVector.fromArray(SPECIES, dst, o1 + i) : ByteVector.zero(SPECIES);
            ByteVector a2 = accumulate ? ByteVector.fromArray(SPECIES, dst, o2 + i) : ByteVector.zero(SPECIES);
            ByteVector a3 = accumulate ? ByteVector.fromArray(SPECIES, dst, o3 + i) : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final ByteVector v = ByteVector.fromArray(SPECIES, src, srcOff + j * srcStride + i);
                final ByteVector vl = v.and((byte)0x0F);
                final ByteVector vh = highNibbles(v);
                final VectorShuffle<Byte> svl = SELECT_FROM ? null : vl.toShuffle();
                final VectorShuffle<Byte> svh = SELECT_FROM ? null : vh.toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector l0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector h0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a0 = SELECT_FROM ? a0.lanewise(XOR, vl.selectFrom(l0)).lanewise(XOR, vh.selectFrom(h0))
                    : a0.lanewise(XOR, l0.rearrange(svl)).lanewise(XOR, h0.rearrange(svh));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector l1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector h1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                a1 = SELECT_FROM ? a1.lanewise(XOR, vl.selectFrom(l1)).lanewise(XOR, vh.selectFrom(h1))
                    : a1.lanewise(XOR, l1.rearrange(svl)).lanewise(XOR, h1.rearrange(svh));
                final int t2 = (coefs[r2 + j] & 0xFF) << SHIFT;
                final ByteVector l2 = ByteVector.fromArray(SPECIES, LOW_V, t2);
                final ByteVector h2 = ByteVector.fromArray(SPECIES, HIGH_V, t2);
                a2 = SELECT_FROM ? a2.lanewise(XOR, vl.selectFrom(l2)).lanewise(XOR, vh.selectFrom(h2))
                    : a2.lanewise(XOR, l2.rearrange(svl)).lanewise(XOR, h2.rearrange(svh));
                final int t3 = (coefs[r3 + j] & 0xFF) << SHIFT;
                final ByteVector l3 = ByteVector.fromArray(SPECIES, LOW_V, t3);
                final ByteVector h3 = ByteVector.fromArray(SPECIES, HIGH_V, t3);
                a3 = SELECT_FROM ? a3.lanewise(XOR, vl.selectFrom(l3)).lanewise(XOR, vh.selectFrom(h3))
                    : a3.lanewise(XOR, l3.rearrange(svl)).lanewise(XOR, h3.rearrange(svh));
            }
            a0.intoArray(dst, o0 + i);
            a1.intoArray(dst, o1 + i);
            a2.intoArray(dst, o2 + i);
            a3.intoArray(dst, o3 + i);
        }
    }

    private static void multiply5(final byte[] coefs, final int row, final int coefStride, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[] dst, final int[] outs, final int k,
        final int bound, final boolean accumulate)
    {
        final int o0 = outs[k + 0];
        final int r0 = row + 0 * coefStride;
        final int o1 = outs[k + 1];
        final int r1 = row + 1 * coefStride;
        final int o2 = outs[k + 2];
        final int r2 = row + 2 * coefStride;
        final int o3 = outs[k + 3];
        final int r3 = row + 3 * coefStride;
        final int o4 = outs[k + 4];
        final int r4 = row + 4 * coefStride;
        int i = 0;
        for (; i + 2 * VLEN <= bound; i += 2 * VLEN)
        {
            ByteVector a0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i) : ByteVector.zero(SPECIES);
            ByteVector b0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i + VLEN) : ByteVector.zero(SPECIES);
            ByteVector a1 = accumulate ? ByteVector.fromArray(SPECIES, dst, o1 + i) : ByteVector.zero(SPECIES);
            ByteVector b1 = accumulate ? ByteVector.fromArray(SPECIES, dst, o1 + i + VLEN) : ByteVector.zero(SPECIES);
            ByteVector a2 = accumulate ? ByteVector.fromArray(SPECIES, dst, o2 + i) : ByteVector.zero(SPECIES);
            ByteVector b2 = accumulate ? ByteVector.fromArray(SPECIES, dst, o2 + i + VLEN) : ByteVector.zero(SPECIES);
            ByteVector a3 = accumulate ? ByteVector.fromArray(SPECIES, dst, o3 + i) : ByteVector.zero(SPECIES);
            ByteVector b3 = accumulate ? ByteVector.fromArray(SPECIES, dst, o3 + i + VLEN) : ByteVector.zero(SPECIES);
            ByteVector a4 = accumulate ? ByteVector.fromArray(SPECIES, dst, o4 + i) : ByteVector.zero(SPECIES);
            ByteVector b4 = accumulate ? ByteVector.fromArray(SPECIES, dst, o4 + i + VLEN) : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int at = srcOff + j * srcStride + i;
                final ByteVector v = ByteVector.fromArray(SPECIES, src, at);
                final ByteVector w = ByteVector.fromArray(SPECIES, src, at + VLEN);
                final ByteVector vl = v.and((byte)0x0F);
                final ByteVector vh = highNibbles(v);
                final ByteVector wl = w.and((byte)0x0F);
                final ByteVector wh = highNibbles(w);
                final VectorShuffle<Byte> svl = SELECT_FROM ? null : vl.toShuffle();
                final VectorShuffle<Byte> svh = SELECT_FROM ? null : vh.toShuffle();
                final VectorShuffle<Byte> swl = SELECT_FROM ? null : wl.toShuffle();
                final VectorShuffle<Byte> swh = SELECT_FROM ? null : wh.toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector l0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector h0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                if (SELECT_FROM)
                {
                    a0 = a0.lanewise(XOR, vl.selectFrom(l0)).lanewise(XOR, vh.selectFrom(h0));
                    b0 = b0.lanewise(XOR, wl.selectFrom(l0)).lanewise(XOR, wh.selectFrom(h0));
                }
                else
                {
                    a0 = a0.lanewise(XOR, l0.rearrange(svl)).lanewise(XOR, h0.rearrange(svh));
                    b0 = b0.lanewise(XOR, l0.rearrange(swl)).lanewise(XOR, h0.rearrange(swh));
                }
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector l1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector h1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                if (SELECT_FROM)
                {
                    a1 = a1.lanewise(XOR, vl.selectFrom(l1)).lanewise(XOR, vh.selectFrom(h1));
                    b1 = b1.lanewise(XOR, wl.selectFrom(l1)).lanewise(XOR, wh.selectFrom(h1));
                }
                else
                {
                    a1 = a1.lanewise(XOR, l1.rearrange(svl)).lanewise(XOR, h1.rearrange(svh));
                    b1 = b1.lanewise(XOR, l1.rearrange(swl)).lanewise(XOR, h1.rearrange(swh));
                }
                final int t2 = (coefs[r2 + j] & 0xFF) << SHIFT;
                final ByteVector l2 = ByteVector.fromArray(SPECIES, LOW_V, t2);
                final ByteVector h2 = ByteVector.fromArray(SPECIES, HIGH_V, t2);
                if (SELECT_FROM)
                {
                    a2 = a2.lanewise(XOR, vl.selectFrom(l2)).lanewise(XOR, vh.selectFrom(h2));
                    b2 = b2.lanewise(XOR, wl.selectFrom(l2)).lanewise(XOR, wh.selectFrom(h2));
                }
                else
                {
                    a2 = a2.lanewise(XOR, l2.rearrange(svl)).lanewise(XOR, h2.rearrange(svh));
                    b2 = b2.lanewise(XOR, l2.rearrange(swl)).lanewise(XOR, h2.rearrange(swh));
                }
                final int t3 = (coefs[r3 + j] & 0xFF) << SHIFT;
                final ByteVector l3 = ByteVector.fromArray(SPECIES, LOW_V, t3);
                final ByteVector h3 = ByteVector.fromArray(SPECIES, HIGH_V, t3);
                if (SELECT_FROM)
                {
                    a3 = a3.lanewise(XOR, vl.selectFrom(l3)).lanewise(XOR, vh.selectFrom(h3));
                    b3 = b3.lanewise(XOR, wl.selectFrom(l3)).lanewise(XOR, wh.selectFrom(h3));
                }
                else
                {
                    a3 = a3.lanewise(XOR, l3.rearrange(svl)).lanewise(XOR, h3.rearrange(svh));
                    b3 = b3.lanewise(XOR, l3.rearrange(swl)).lanewise(XOR, h3.rearrange(swh));
                }
                final int t4 = (coefs[r4 + j] & 0xFF) << SHIFT;
                final ByteVector l4 = ByteVector.fromArray(SPECIES, LOW_V, t4);
                final ByteVector h4 = ByteVector.fromArray(SPECIES, HIGH_V, t4);
                if (SELECT_FROM)
                {
                    a4 = a4.lanewise(XOR, vl.selectFrom(l4)).lanewise(XOR, vh.selectFrom(h4));
                    b4 = b4.lanewise(XOR, wl.selectFrom(l4)).lanewise(XOR, wh.selectFrom(h4));
                }
                else
                {
                    a4 = a4.lanewise(XOR, l4.rearrange(svl)).lanewise(XOR, h4.rearrange(svh));
                    b4 = b4.lanewise(XOR, l4.rearrange(swl)).lanewise(XOR, h4.rearrange(swh));
                }
            }
            a0.intoArray(dst, o0 + i);
            b0.intoArray(dst, o0 + i + VLEN);
            a1.intoArray(dst, o1 + i);
            b1.intoArray(dst, o1 + i + VLEN);
            a2.intoArray(dst, o2 + i);
            b2.intoArray(dst, o2 + i + VLEN);
            a3.intoArray(dst, o3 + i);
            b3.intoArray(dst, o3 + i + VLEN);
            a4.intoArray(dst, o4 + i);
            b4.intoArray(dst, o4 + i + VLEN);
        }
        for (; i < bound; i += VLEN)
        {
            ByteVector a0 = accumulate ? ByteVector.fromArray(SPECIES, dst, o0 + i) : ByteVector.zero(SPECIES);
            ByteVector a1 = accumulate ? ByteVector.fromArray(SPECIES, dst, o1 + i) : ByteVector.zero(SPECIES);
            ByteVector a2 = accumulate ? ByteVector.fromArray(SPECIES, dst, o2 + i) : ByteVector.zero(SPECIES);
            ByteVector a3 = accumulate ? ByteVector.fromArray(SPECIES, dst, o3 + i) : ByteVector.zero(SPECIES);
            ByteVector a4 = accumulate ? ByteVector.fromArray(SPECIES, dst, o4 + i) : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final ByteVector v = ByteVector.fromArray(SPECIES, src, srcOff + j * srcStride + i);
                final ByteVector vl = v.and((byte)0x0F);
                final ByteVector vh = highNibbles(v);
                final VectorShuffle<Byte> svl = SELECT_FROM ? null : vl.toShuffle();
                final VectorShuffle<Byte> svh = SELECT_FROM ? null : vh.toShuffle();
                final int t0 = (coefs[r0 + j] & 0xFF) << SHIFT;
                final ByteVector l0 = ByteVector.fromArray(SPECIES, LOW_V, t0);
                final ByteVector h0 = ByteVector.fromArray(SPECIES, HIGH_V, t0);
                a0 = SELECT_FROM ? a0.lanewise(XOR, vl.selectFrom(l0)).lanewise(XOR, vh.selectFrom(h0))
                    : a0.lanewise(XOR, l0.rearrange(svl)).lanewise(XOR, h0.rearrange(svh));
                final int t1 = (coefs[r1 + j] & 0xFF) << SHIFT;
                final ByteVector l1 = ByteVector.fromArray(SPECIES, LOW_V, t1);
                final ByteVector h1 = ByteVector.fromArray(SPECIES, HIGH_V, t1);
                a1 = SELECT_FROM ? a1.lanewise(XOR, vl.selectFrom(l1)).lanewise(XOR, vh.selectFrom(h1))
                    : a1.lanewise(XOR, l1.rearrange(svl)).lanewise(XOR, h1.rearrange(svh));
                final int t2 = (coefs[r2 + j] & 0xFF) << SHIFT;
                final ByteVector l2 = ByteVector.fromArray(SPECIES, LOW_V, t2);
                final ByteVector h2 = ByteVector.fromArray(SPECIES, HIGH_V, t2);
                a2 = SELECT_FROM ? a2.lanewise(XOR, vl.selectFrom(l2)).lanewise(XOR, vh.selectFrom(h2))
                    : a2.lanewise(XOR, l2.rearrange(svl)).lanewise(XOR, h2.rearrange(svh));
                final int t3 = (coefs[r3 + j] & 0xFF) << SHIFT;
                final ByteVector l3 = ByteVector.fromArray(SPECIES, LOW_V, t3);
                final ByteVector h3 = ByteVector.fromArray(SPECIES, HIGH_V, t3);
                a3 = SELECT_FROM ? a3.lanewise(XOR, vl.selectFrom(l3)).lanewise(XOR, vh.selectFrom(h3))
                    : a3.lanewise(XOR, l3.rearrange(svl)).lanewise(XOR, h3.rearrange(svh));
                final int t4 = (coefs[r4 + j] & 0xFF) << SHIFT;
                final ByteVector l4 = ByteVector.fromArray(SPECIES, LOW_V, t4);
                final ByteVector h4 = ByteVector.fromArray(SPECIES, HIGH_V, t4);
                a4 = SELECT_FROM ? a4.lanewise(XOR, vl.selectFrom(l4)).lanewise(XOR, vh.selectFrom(h4))
                    : a4.lanewise(XOR, l4.rearrange(svl)).lanewise(XOR, h4.rearrange(svh));
            }
            a0.intoArray(dst, o0 + i);
            a1.intoArray(dst, o1 + i);
            a2.intoArray(dst, o2 + i);
            a3.intoArray(dst, o3 + i);
            a4.intoArray(dst, o4 + i);
        }
    }
}
