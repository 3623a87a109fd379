package dev.c2cast.microcast.nc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.c2cast.microcast.nc.internal.GfTables;
import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;
import org.junit.jupiter.api.Test;

class Gf256Test
{
    @Test
    void fieldAxiomsOverAllPairs()
    {
        for (int a = 0; a < 256; a++)
        {
            assertEquals(a, Gf256.mul(a, 1), "identity");
            assertEquals(0, Gf256.mul(a, 0), "zero");
            assertEquals(0, Gf256.add(a, a), "characteristic 2");
            for (int b = 0; b < 256; b++)
            {
                assertEquals(Gf256.mul(a, b), Gf256.mul(b, a), "commutative");
                assertEquals(GfTables.slowMultiply(a, b), Gf256.mul(a, b));
                if (b != 0)
                {
                    assertEquals(a, Gf256.mul(Gf256.div(a, b), b), "division");
                }
            }
        }
    }

    @Test
    void associativeAndDistributiveOverAllTriples()
    {
        for (int a = 0; a < 256; a++)
        {
            for (int b = 0; b < 256; b++)
            {
                final int ab = Gf256.mul(a, b);
                for (int c = 0; c < 256; c++)
                {
                    if (Gf256.mul(ab, c) != Gf256.mul(a, Gf256.mul(b, c)))
                    {
                        throw new AssertionError("associativity " + a + " " + b + " " + c);
                    }
                    if (Gf256.mul(a, b ^ c) != (ab ^ Gf256.mul(a, c)))
                    {
                        throw new AssertionError("distributivity " + a + " " + b + " " + c);
                    }
                }
            }
        }
    }

    @Test
    void expLogAndInverse()
    {
        assertThrows(ArithmeticException.class, () -> Gf256.inv(0));
        assertThrows(ArithmeticException.class, () -> Gf256.log(0));
        assertThrows(ArithmeticException.class, () -> Gf256.div(1, 0));
        for (int a = 1; a < 256; a++)
        {
            assertEquals(a, Gf256.exp(Gf256.log(a)));
            assertEquals(1, Gf256.mul(a, Gf256.inv(a)));
        }
        assertEquals(Gf256.exp(3), Gf256.exp(258));
        assertEquals(Gf256.exp(254), Gf256.exp(-1));
    }

    @Property(seeds = 50)
    void regionOperationsMatchScalarArithmetic(final Gen gen)
    {
        final int len = gen.size(0, 3000);
        final int c = gen.intBetween(0, 255);
        final byte[] src = gen.bytes(len + 7);
        final byte[] dst = gen.bytes(len + 5);
        final byte[] expected = dst.clone();
        for (int i = 0; i < len; i++)
        {
            expected[5 + i] ^= (byte)GfTables.slowMultiply(c, src[7 + i] & 0xFF);
        }
        Gf256.mulAdd(dst, 5, src, 7, len, c);
        assertArrayEquals(expected, dst);

        for (int i = 0; i < len; i++)
        {
            expected[5 + i] = (byte)GfTables.slowMultiply(c, expected[5 + i] & 0xFF);
        }
        Gf256.mul(dst, 5, len, c);
        assertArrayEquals(expected, dst);

        final int n = gen.intBetween(0, 20);
        final int stride = len + gen.intBetween(0, 70);
        final byte[] sources = gen.bytes(n * stride + 3);
        final byte[] coefs = gen.bytes(n + 1);
        final byte[] out = gen.bytes(len + 2);
        final byte[] reference = out.clone();
        for (int i = 0; i < len; i++)
        {
            int value = 0;
            for (int j = 0; j < n; j++)
            {
                value ^= GfTables.slowMultiply(coefs[1 + j] & 0xFF, sources[3 + j * stride + i] & 0xFF);
            }
            reference[2 + i] = (byte)value;
        }
        Gf256.dotProduct(coefs, 1, n, sources, 3, stride, out, 2, len);
        assertArrayEquals(reference, out);
    }

    @Test
    void regionOperationsCheckBounds()
    {
        assertThrows(IndexOutOfBoundsException.class, () -> Gf256.mulAdd(new byte[4], 1, new byte[8], 0, 4, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> Gf256.mul(new byte[4], 1, 4, 3));
    }
}
