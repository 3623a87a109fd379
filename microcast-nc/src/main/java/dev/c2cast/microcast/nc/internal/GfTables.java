package dev.c2cast.microcast.nc.internal;

/**
 * Lookup tables of GF(2^8) with the reducing polynomial x^8 + x^4 + x^3 + x^2 + 1 ({@code 0x11D}) and generator
 * {@code 2}: the field ISA-L, Reed-Solomon codecs and most network coding libraries use.
 * <p>
 * Built once at class initialisation from a bit-by-bit (carry-less, reduce-as-you-go) multiply, so every table is
 * derived from one definition. All arrays are shared and must be treated as read-only.
 */
public final class GfTables
{
    /** The reducing polynomial, including the x^8 term. */
    public static final int POLYNOMIAL = 0x11D;

    /** {@code EXP[i] = 2^i} for {@code i} in [0, 510): doubled so {@code EXP[LOG[a] + LOG[b]]} needs no modulo. */
    public static final byte[] EXP = new byte[510];
    /** {@code LOG[a]} for a in [1, 255]; {@code LOG[0]} is unused (0). */
    public static final int[] LOG = new int[256];
    /** {@code INV[a] = a^-1}; {@code INV[0] = 0}. */
    public static final byte[] INV = new byte[256];
    /** Full product table: {@code MUL[(a << 8) | b] = a * b}. 64 KiB. */
    public static final byte[] MUL = new byte[256 * 256];
    /** Split-nibble tables: {@code LOW[(c << 4) | n] = c * n}, {@code HIGH[(c << 4) | n] = c * (n << 4)}. */
    public static final byte[] LOW = new byte[256 * 16];
    /** See {@link #LOW}. */
    public static final byte[] HIGH = new byte[256 * 16];

    static
    {
        int x = 1;
        for (int i = 0; i < 255; i++)
        {
            EXP[i] = (byte)x;
            EXP[i + 255] = (byte)x;
            LOG[x] = i;
            x = slowMultiply(x, 2);
        }
        for (int a = 0; a < 256; a++)
        {
            for (int b = 0; b < 256; b++)
            {
                MUL[(a << 8) | b] = (byte)(a == 0 || b == 0 ? 0 : EXP[LOG[a] + LOG[b]] & 0xFF);
            }
            INV[a] = (byte)(a == 0 ? 0 : EXP[255 - LOG[a]] & 0xFF);
            for (int n = 0; n < 16; n++)
            {
                LOW[(a << 4) | n] = MUL[(a << 8) | n];
                HIGH[(a << 4) | n] = MUL[(a << 8) | (n << 4)];
            }
        }
    }

    private GfTables()
    {
    }

    /**
     * Reference multiply, bit by bit (Russian peasant with reduction by {@link #POLYNOMIAL}); slow, used to build
     * the tables and by tests to check them.
     *
     * @param a first factor, 0..255.
     * @param b second factor, 0..255.
     * @return a * b in GF(2^8).
     */
    public static int slowMultiply(final int a, final int b)
    {
        int product = 0;
        int x = a & 0xFF;
        int y = b & 0xFF;
        while (y != 0)
        {
            if ((y & 1) != 0)
            {
                product ^= x;
            }
            x <<= 1;
            if ((x & 0x100) != 0)
            {
                x ^= POLYNOMIAL;
            }
            y >>>= 1;
        }
        return product;
    }
}
