package dev.c2cast.microcast.nc.internal;

/**
 * The generator of {@link java.util.SplittableRandom} (SplitMix64), as static functions so coefficient vectors are
 * drawn without allocating: {@code expand(seed, ...)} yields the bytes of {@code new SplittableRandom(seed)}'s
 * {@code nextLong()} sequence, little-endian, which tests check.
 * <p>
 * Its output function multiplies, so the stream is not linear over GF(2): a xorshift byte stream, which is, gave
 * singular 128x128 coefficient matrices in 199 of 200 trials.
 */
public final class SplitMix
{
    /** The increment of the state per draw ({@code SplittableRandom}'s golden gamma). */
    public static final long GAMMA = 0x9e3779b97f4a7c15L;

    private SplitMix()
    {
    }

    /**
     * The output function.
     *
     * @param state the state after its increment.
     * @return the random long.
     */
    public static long mix64(final long state)
    {
        long z = state;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * Fills {@code len} bytes with the stream of {@code new SplittableRandom(seed)}.
     *
     * @param seed the seed.
     * @param dst  destination.
     * @param off  first byte written.
     * @param len  number of bytes.
     * @return true if at least one byte written is non-zero.
     */
    public static boolean expand(final long seed, final byte[] dst, final int off, final int len)
    {
        long state = seed;
        long any = 0;
        int i = 0;
        while (i < len)
        {
            state += GAMMA;
            long bits = mix64(state);
            final int n = Math.min(8, len - i);
            if (n < 8)
            {
                bits &= (1L << (8 * n)) - 1;
            }
            any |= bits;
            for (int b = 0; b < n; b++)
            {
                dst[off + i++] = (byte)bits;
                bits >>>= 8;
            }
        }
        return any != 0;
    }

    /**
     * Whether {@link #expand} of this seed and length would yield only zero bytes.
     *
     * @param seed the seed.
     * @param len  number of bytes.
     * @return true if every byte is zero.
     */
    public static boolean expandsToZero(final long seed, final int len)
    {
        long state = seed;
        for (int i = 0; i < len; i += 8)
        {
            state += GAMMA;
            long bits = mix64(state);
            final int n = Math.min(8, len - i);
            if (n < 8)
            {
                bits &= (1L << (8 * n)) - 1;
            }
            if (bits != 0)
            {
                return false;
            }
        }
        return true;
    }
}
