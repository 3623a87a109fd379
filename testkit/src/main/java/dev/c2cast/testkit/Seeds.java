package dev.c2cast.testkit;

/**
 * Seed derivation: a stable string hash and the SplitMix64 finaliser, so neighbouring inputs give unrelated seeds.
 */
final class Seeds
{
    private Seeds()
    {
    }

    static long hash(final String text)
    {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++)
        {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    static long mix(final long value)
    {
        long z = value + 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
