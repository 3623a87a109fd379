package dev.c2cast.microcast.nc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class GfTablesTest
{
    @Test
    void productTableMatchesBitByBitMultiplyForAllPairs()
    {
        for (int a = 0; a < 256; a++)
        {
            for (int b = 0; b < 256; b++)
            {
                final int expected = GfTables.slowMultiply(a, b);
                assertEquals(expected, GfTables.MUL[(a << 8) | b] & 0xFF, a + "*" + b);
                assertEquals(expected, (GfTables.LOW[(a << 4) | (b & 15)] ^ GfTables.HIGH[(a << 4) | (b >>> 4)]) & 0xFF,
                    "split nibbles " + a + "*" + b);
            }
        }
    }

    @Test
    void logAndExpAreInversePermutations()
    {
        final boolean[] seen = new boolean[256];
        for (int i = 0; i < 255; i++)
        {
            final int x = GfTables.EXP[i] & 0xFF;
            assertNotEquals(0, x);
            assertEquals(false, seen[x], "2 generates the group: no repeat before 255");
            seen[x] = true;
            assertEquals(i, GfTables.LOG[x]);
            assertEquals(x, GfTables.EXP[i + 255] & 0xFF);
        }
        assertEquals(1, GfTables.EXP[0]);
        assertEquals(0x1D, GfTables.EXP[8] & 0xFF, "x^8 = x^4 + x^3 + x^2 + 1 under 0x11D");
    }

    @Test
    void inverseTable()
    {
        assertEquals(0, GfTables.INV[0]);
        for (int a = 1; a < 256; a++)
        {
            assertEquals(1, GfTables.slowMultiply(a, GfTables.INV[a] & 0xFF), "a * a^-1 for " + a);
        }
    }

    @Test
    void knownAnswers()
    {
        // Values of the 0x11D field shared with ISA-L's gf_mul.
        assertEquals(0x1D, GfTables.slowMultiply(0x80, 2));
        assertEquals(0x8E, GfTables.INV[2] & 0xFF);
        assertEquals(0x8F, GfTables.slowMultiply(0x53, 0xCA));
    }
}
