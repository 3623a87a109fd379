package dev.c2cast.microcast.nc.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Pure-Java kernel on the full 64 KiB product table ({@link GfTables#MUL}): one table load per byte and
 * coefficient, no vector instructions, runs on any JVM.
 * <p>
 * Bytes are read and written eight at a time as little-endian longs (a byte-array view {@link VarHandle}), the eight
 * products assembled in a register; a product of several sources accumulates in registers too, four outputs per
 * pass so each source word is read once for four of them. Lengths that are not a multiple of 8 finish byte by
 * byte.
 */
public final class PortableKernel implements GfKernel
{
    /** The single instance. */
    public static final PortableKernel INSTANCE = new PortableKernel();

    private static final byte[] MUL = GfTables.MUL;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private PortableKernel()
    {
    }

    @Override
    public String name()
    {
        return "portable";
    }

    private static long product(final byte[] t, final int row, final long x)
    {
        return (t[row | ((int)x & 0xFF)] & 0xFFL)
                | (t[row | ((int)(x >>> 8) & 0xFF)] & 0xFFL) << 8
                | (t[row | ((int)(x >>> 16) & 0xFF)] & 0xFFL) << 16
                | (t[row | ((int)(x >>> 24) & 0xFF)] & 0xFFL) << 24
                | (t[row | ((int)(x >>> 32) & 0xFF)] & 0xFFL) << 32
                | (t[row | ((int)(x >>> 40) & 0xFF)] & 0xFFL) << 40
                | (t[row | ((int)(x >>> 48) & 0xFF)] & 0xFFL) << 48
                | (t[row | ((int)(x >>> 56))] & 0xFFL) << 56;
    }

    @Override
    public void mulAdd(final byte[] dst, final int dstOff, final byte[] src, final int srcOff, final int len,
        final int c)
    {
        final int factor = c & 0xFF;
        if (factor == 0)
        {
            return;
        }
        final int words = len & ~7;
        int i = 0;
        if (factor == 1)
        {
            for (; i < words; i += 8)
            {
                LONGS.set(dst, dstOff + i, (long)LONGS.get(dst, dstOff + i) ^ (long)LONGS.get(src, srcOff + i));
            }
            for (; i < len; i++)
            {
                dst[dstOff + i] ^= src[srcOff + i];
            }
            return;
        }
        final int row = factor << 8;
        final byte[] t = MUL;
        for (; i < words; i += 8)
        {
            LONGS.set(dst, dstOff + i,
                (long)LONGS.get(dst, dstOff + i) ^ product(t, row, (long)LONGS.get(src, srcOff + i)));
        }
        for (; i < len; i++)
        {
            dst[dstOff + i] ^= t[row | (src[srcOff + i] & 0xFF)];
        }
    }

    @Override
    public void mul(final byte[] dst, final int dstOff, final int len, final int c)
    {
        final int factor = c & 0xFF;
        if (factor == 1)
        {
            return;
        }
        if (factor == 0)
        {
            Arrays.fill(dst, dstOff, dstOff + len, (byte)0);
            return;
        }
        final int row = factor << 8;
        final byte[] t = MUL;
        final int words = len & ~7;
        int i = 0;
        for (; i < words; i += 8)
        {
            LONGS.set(dst, dstOff + i, product(t, row, (long)LONGS.get(dst, dstOff + i)));
        }
        for (; i < len; i++)
        {
            dst[dstOff + i] = t[row | (dst[dstOff + i] & 0xFF)];
        }
    }

    @Override
    public void multiply(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[] dst, final int[] dstOffsets,
        final int len, final boolean accumulate)
    {
        product(coefs, coefOff, coefStride, m, n, src, srcOff, srcStride, null, dst, dstOffsets, len, accumulate);
    }

    @Override
    public void multiplyTo(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[][] dsts, final int[] dstOffsets,
        final int len)
    {
        product(coefs, coefOff, coefStride, m, n, src, srcOff, srcStride, dsts, null, dstOffsets, len, false);
    }

    @Override
    public void dotRows(final byte[] coefs, final int[] srcOffsets, final int n, final byte[] src, final byte[] dst,
        final int dstOff, final int len)
    {
        for (int j = 0; j < n; j++)
        {
            mulAdd(dst, dstOff, src, srcOffsets[j], len, coefs[j]);
        }
    }

    @Override
    public void mulAddTo(final byte[] factors, final int m, final byte[] src, final int srcOff, final byte[] dst,
        final int[] dstOffsets, final int len)
    {
        for (int k = 0; k < m; k++)
        {
            mulAdd(dst, dstOffsets[k], src, srcOff, len, factors[k]);
        }
    }

    /** The product into dsts[k] (when dsts is not null) or dst. */
    private void product(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[][] dsts, final byte[] dst,
        final int[] dstOffsets, final int len, final boolean accumulate)
    {
        final int words = len & ~7;
        int k = 0;
        if (m == 1 && sparse(coefs, coefOff, n))
        {
            // Elimination against a partly filled decoder: only the non-zero coefficients' sources.
            final byte[] d = dsts != null ? dsts[0] : dst;
            final int out = dstOffsets[0];
            if (!accumulate)
            {
                Arrays.fill(d, out, out + len, (byte)0);
            }
            for (int j = 0; j < n; j++)
            {
                mulAdd(d, out, src, srcOff + j * srcStride, len, coefs[coefOff + j]);
            }
            return;
        }
        for (; k + 4 <= m; k += 4)
        {
            multiply4(coefs, coefOff + k * coefStride, coefStride, n, src, srcOff, srcStride,
                dsts != null ? dsts[k] : dst, dstOffsets[k], dsts != null ? dsts[k + 1] : dst, dstOffsets[k + 1],
                dsts != null ? dsts[k + 2] : dst, dstOffsets[k + 2], dsts != null ? dsts[k + 3] : dst,
                dstOffsets[k + 3], words, accumulate);
        }
        for (; k < m; k++)
        {
            multiply1(coefs, coefOff + k * coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k] : dst,
                dstOffsets[k], words, accumulate);
        }
        if (words < len)
        {
            for (k = 0; k < m; k++)
            {
                final byte[] d = dsts != null ? dsts[k] : dst;
                final int out = dstOffsets[k];
                final int row = coefOff + k * coefStride;
                for (int i = words; i < len; i++)
                {
                    int value = accumulate ? d[out + i] & 0xFF : 0;
                    for (int j = 0; j < n; j++)
                    {
                        value ^= MUL[((coefs[row + j] & 0xFF) << 8) | (src[srcOff + j * srcStride + i] & 0xFF)];
                    }
                    d[out + i] = (byte)value;
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
        return nonZero * 2 < n;
    }

    private static void multiply1(final byte[] coefs, final int row, final int n, final byte[] src, final int srcOff,
        final int srcStride, final byte[] dst, final int out, final int words, final boolean accumulate)
    {
        final byte[] t = MUL;
        for (int i = 0; i < words; i += 8)
        {
            long a = accumulate ? (long)LONGS.get(dst, out + i) : 0L;
            for (int j = 0; j < n; j++)
            {
                a ^= product(t, (coefs[row + j] & 0xFF) << 8, (long)LONGS.get(src, srcOff + j * srcStride + i));
            }
            LONGS.set(dst, out + i, a);
        }
    }

    private static void multiply4(final byte[] coefs, final int row, final int coefStride, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[] d0, final int o0, final byte[] d1,
        final int o1, final byte[] d2, final int o2, final byte[] d3, final int o3, final int words,
        final boolean accumulate)
    {
        final byte[] t = MUL;
        for (int i = 0; i < words; i += 8)
        {
            long a0 = accumulate ? (long)LONGS.get(d0, o0 + i) : 0L;
            long a1 = accumulate ? (long)LONGS.get(d1, o1 + i) : 0L;
            long a2 = accumulate ? (long)LONGS.get(d2, o2 + i) : 0L;
            long a3 = accumulate ? (long)LONGS.get(d3, o3 + i) : 0L;
            for (int j = 0; j < n; j++)
            {
                final long x = (long)LONGS.get(src, srcOff + j * srcStride + i);
                final int r0 = (coefs[row + j] & 0xFF) << 8;
                final int r1 = (coefs[row + coefStride + j] & 0xFF) << 8;
                final int r2 = (coefs[row + 2 * coefStride + j] & 0xFF) << 8;
                final int r3 = (coefs[row + 3 * coefStride + j] & 0xFF) << 8;
                a0 ^= (t[r0 | ((int)x & 0xFF)] & 0xFFL)
                    | (t[r0 | ((int)(x >>> 8) & 0xFF)] & 0xFFL) << 8
                    | (t[r0 | ((int)(x >>> 16) & 0xFF)] & 0xFFL) << 16
                    | (t[r0 | ((int)(x >>> 24) & 0xFF)] & 0xFFL) << 24
                    | (t[r0 | ((int)(x >>> 32) & 0xFF)] & 0xFFL) << 32
                    | (t[r0 | ((int)(x >>> 40) & 0xFF)] & 0xFFL) << 40
                    | (t[r0 | ((int)(x >>> 48) & 0xFF)] & 0xFFL) << 48
                    | (t[r0 | ((int)(x >>> 56))] & 0xFFL) << 56;
                a1 ^= (t[r1 | ((int)x & 0xFF)] & 0xFFL)
                    | (t[r1 | ((int)(x >>> 8) & 0xFF)] & 0xFFL) << 8
                    | (t[r1 | ((int)(x >>> 16) & 0xFF)] & 0xFFL) << 16
                    | (t[r1 | ((int)(x >>> 24) & 0xFF)] & 0xFFL) << 24
                    | (t[r1 | ((int)(x >>> 32) & 0xFF)] & 0xFFL) << 32
                    | (t[r1 | ((int)(x >>> 40) & 0xFF)] & 0xFFL) << 40
                    | (t[r1 | ((int)(x >>> 48) & 0xFF)] & 0xFFL) << 48
                    | (t[r1 | ((int)(x >>> 56))] & 0xFFL) << 56;
                a2 ^= (t[r2 | ((int)x & 0xFF)] & 0xFFL)
                    | (t[r2 | ((int)(x >>> 8) & 0xFF)] & 0xFFL) << 8
                    | (t[r2 | ((int)(x >>> 16) & 0xFF)] & 0xFFL) << 16
                    | (t[r2 | ((int)(x >>> 24) & 0xFF)] & 0xFFL) << 24
                    | (t[r2 | ((int)(x >>> 32) & 0xFF)] & 0xFFL) << 32
                    | (t[r2 | ((int)(x >>> 40) & 0xFF)] & 0xFFL) << 40
                    | (t[r2 | ((int)(x >>> 48) & 0xFF)] & 0xFFL) << 48
                    | (t[r2 | ((int)(x >>> 56))] & 0xFFL) << 56;
                a3 ^= (t[r3 | ((int)x & 0xFF)] & 0xFFL)
                    | (t[r3 | ((int)(x >>> 8) & 0xFF)] & 0xFFL) << 8
                    | (t[r3 | ((int)(x >>> 16) & 0xFF)] & 0xFFL) << 16
                    | (t[r3 | ((int)(x >>> 24) & 0xFF)] & 0xFFL) << 24
                    | (t[r3 | ((int)(x >>> 32) & 0xFF)] & 0xFFL) << 32
                    | (t[r3 | ((int)(x >>> 40) & 0xFF)] & 0xFFL) << 40
                    | (t[r3 | ((int)(x >>> 48) & 0xFF)] & 0xFFL) << 48
                    | (t[r3 | ((int)(x >>> 56))] & 0xFFL) << 56;
            }
            LONGS.set(d0, o0 + i, a0);
            LONGS.set(d1, o1 + i, a1);
            LONGS.set(d2, o2 + i, a2);
            LONGS.set(d3, o3 + i, a3);
        }
    }
}
