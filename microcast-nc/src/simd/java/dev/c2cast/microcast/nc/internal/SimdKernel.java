package dev.c2cast.microcast.nc.internal;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
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
        for (; k + 4 <= m; k += 4)
        {
            multiply4(coefs, coefOff + k * coefStride, coefStride, n, src, srcOff, srcStride, dst,
                dstOffsets[k], dstOffsets[k + 1], dstOffsets[k + 2], dstOffsets[k + 3], bound, accumulate);
        }
        for (; k < m; k++)
        {
            multiply1(coefs, coefOff + k * coefStride, n, src, srcOff, srcStride, dst, dstOffsets[k], bound,
                accumulate);
        }
        if (bound < len)
        {
            for (k = 0; k < m; k++)
            {
                final int out = dstOffsets[k] + bound;
                if (!accumulate)
                {
                    java.util.Arrays.fill(dst, out, dstOffsets[k] + len, (byte)0);
                }
                final int row = coefOff + k * coefStride;
                for (int j = 0; j < n; j++)
                {
                    PortableKernel.INSTANCE.mulAdd(dst, out, src, srcOff + j * srcStride + bound, len - bound,
                        coefs[row + j]);
                }
            }
        }
    }

    private static void multiply1(final byte[] coefs, final int row, final int n, final byte[] src, final int srcOff,
        final int srcStride, final byte[] dst, final int out, final int bound, final boolean accumulate)
    {
        // Sparse coefficient rows (elimination against a partly filled decoder) go source by source, skipping
        // zeros; dense ones in one pass with the output held in a register. (A skip inside the fused loop makes
        // JDK 17's C2 box the accumulator on every iteration.)
        int nonZero = 0;
        for (int j = 0; j < n; j++)
        {
            nonZero += coefs[row + j] != 0 ? 1 : 0;
        }
        if (nonZero * 4 < n * 3)
        {
            if (!accumulate)
            {
                java.util.Arrays.fill(dst, out, out + bound, (byte)0);
            }
            for (int j = 0; j < n; j++)
            {
                final int c = coefs[row + j] & 0xFF;
                if (c != 0)
                {
                    mulAddVectors(dst, out, src, srcOff + j * srcStride, bound, c);
                }
            }
            return;
        }
        for (int i = 0; i < bound; i += VLEN)
        {
            ByteVector a = accumulate ? ByteVector.fromArray(SPECIES, dst, out + i) : ByteVector.zero(SPECIES);
            for (int j = 0; j < n; j++)
            {
                final int c = coefs[row + j];
                final ByteVector v = ByteVector.fromArray(SPECIES, src, srcOff + j * srcStride + i);
                a = a.lanewise(VectorOperators.XOR, v.and((byte)0x0F).selectFrom(low(c)))
                    .lanewise(VectorOperators.XOR, highNibbles(v).selectFrom(high(c)));
            }
            a.intoArray(dst, out + i);
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
            final ByteVector p = v.and((byte)0x0F).selectFrom(tl).lanewise(VectorOperators.XOR,
                highNibbles(v).selectFrom(th));
            ByteVector.fromArray(SPECIES, dst, dstOff + i).lanewise(VectorOperators.XOR, p).intoArray(dst, dstOff + i);
        }
    }

    private static void multiply4(final byte[] coefs, final int row, final int coefStride, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[] dst, final int out0, final int out1,
        final int out2, final int out3, final int bound, final boolean accumulate)
    {
        final int r0 = row;
        final int r1 = row + coefStride;
        final int r2 = r1 + coefStride;
        final int r3 = r2 + coefStride;
        for (int i = 0; i < bound; i += VLEN)
        {
            ByteVector a0;
            ByteVector a1;
            ByteVector a2;
            ByteVector a3;
            if (accumulate)
            {
                a0 = ByteVector.fromArray(SPECIES, dst, out0 + i);
                a1 = ByteVector.fromArray(SPECIES, dst, out1 + i);
                a2 = ByteVector.fromArray(SPECIES, dst, out2 + i);
                a3 = ByteVector.fromArray(SPECIES, dst, out3 + i);
            }
            else
            {
                a0 = ByteVector.zero(SPECIES);
                a1 = a0;
                a2 = a0;
                a3 = a0;
            }
            for (int j = 0; j < n; j++)
            {
                final ByteVector v = ByteVector.fromArray(SPECIES, src, srcOff + j * srcStride + i);
                final ByteVector lo = v.and((byte)0x0F);
                final ByteVector hi = highNibbles(v);
                a0 = a0.lanewise(VectorOperators.XOR, lo.selectFrom(low(coefs[r0 + j])))
                    .lanewise(VectorOperators.XOR, hi.selectFrom(high(coefs[r0 + j])));
                a1 = a1.lanewise(VectorOperators.XOR, lo.selectFrom(low(coefs[r1 + j])))
                    .lanewise(VectorOperators.XOR, hi.selectFrom(high(coefs[r1 + j])));
                a2 = a2.lanewise(VectorOperators.XOR, lo.selectFrom(low(coefs[r2 + j])))
                    .lanewise(VectorOperators.XOR, hi.selectFrom(high(coefs[r2 + j])));
                a3 = a3.lanewise(VectorOperators.XOR, lo.selectFrom(low(coefs[r3 + j])))
                    .lanewise(VectorOperators.XOR, hi.selectFrom(high(coefs[r3 + j])));
            }
            a0.intoArray(dst, out0 + i);
            a1.intoArray(dst, out1 + i);
            a2.intoArray(dst, out2 + i);
            a3.intoArray(dst, out3 + i);
        }
    }
}
