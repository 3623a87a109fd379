package dev.c2cast.microcast.nc.internal;

import java.util.Arrays;

/**
 * Pure-Java kernel on the full 64 KiB product table ({@link GfTables#MUL}): one table load per byte and
 * coefficient, no vector instructions, runs on any JVM.
 */
public final class PortableKernel implements GfKernel
{
    /** The single instance. */
    public static final PortableKernel INSTANCE = new PortableKernel();

    private static final byte[] MUL = GfTables.MUL;

    private PortableKernel()
    {
    }

    @Override
    public String name()
    {
        return "portable";
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
        if (factor == 1)
        {
            for (int i = 0; i < len; i++)
            {
                dst[dstOff + i] ^= src[srcOff + i];
            }
            return;
        }
        final int row = factor << 8;
        final byte[] table = MUL;
        for (int i = 0; i < len; i++)
        {
            dst[dstOff + i] ^= table[row | (src[srcOff + i] & 0xFF)];
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
        final byte[] table = MUL;
        for (int i = 0; i < len; i++)
        {
            dst[dstOff + i] = table[row | (dst[dstOff + i] & 0xFF)];
        }
    }

    @Override
    public void multiply(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[] dst, final int[] dstOffsets,
        final int len, final boolean accumulate)
    {
        for (int k = 0; k < m; k++)
        {
            final int out = dstOffsets[k];
            if (!accumulate)
            {
                Arrays.fill(dst, out, out + len, (byte)0);
            }
            final int row = coefOff + k * coefStride;
            for (int j = 0; j < n; j++)
            {
                mulAdd(dst, out, src, srcOff + j * srcStride, len, coefs[row + j]);
            }
        }
    }
}
