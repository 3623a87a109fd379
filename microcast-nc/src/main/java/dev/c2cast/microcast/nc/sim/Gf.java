package dev.c2cast.microcast.nc.sim;

/**
 * GF(2^8) with the polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D), by log and exp tables. Stateless.
 */
final class Gf
{
    private static final int[] EXP = new int[512];
    private static final int[] LOG = new int[256];

    static
    {
        int x = 1;
        for (int i = 0; i < 255; i++)
        {
            EXP[i] = x;
            LOG[x] = i;
            x <<= 1;
            if ((x & 0x100) != 0)
            {
                x ^= 0x11D;
            }
        }
        for (int i = 255; i < 512; i++)
        {
            EXP[i] = EXP[i - 255];
        }
    }

    private Gf()
    {
    }

    static int mul(final int a, final int b)
    {
        if (a == 0 || b == 0)
        {
            return 0;
        }
        return EXP[LOG[a] + LOG[b]];
    }

    static int inv(final int a)
    {
        if (a == 0)
        {
            throw new ArithmeticException("zero has no inverse");
        }
        return EXP[255 - LOG[a]];
    }

    /**
     * dst[i] ^= c * src[i] for i in [0, len).
     */
    static void mulAdd(final byte[] dst, final byte[] src, final int c, final int len)
    {
        if (c == 0)
        {
            return;
        }
        final int logC = LOG[c];
        for (int i = 0; i < len; i++)
        {
            final int s = src[i] & 0xFF;
            if (s != 0)
            {
                dst[i] ^= (byte)EXP[LOG[s] + logC];
            }
        }
    }
}
