package dev.c2cast.microcast.nc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class KernelsTest
{
    private static boolean expectSimd()
    {
        return Boolean.getBoolean("c2cast.expectSimd");
    }

    @Test
    void portableKernelPassesTheKnownAnswerTest()
    {
        assertNull(Kernels.selfTest(PortableKernel.INSTANCE));
    }

    @Test
    void selectionMatchesTheJvm()
    {
        final boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        final boolean forcedPortable = "portable".equals(System.getProperty(Kernels.KERNEL_PROPERTY));
        System.out.println("[microcast-nc] kernel " + Kernels.active().name() + ": " + Kernels.selectionReason());
        if (!vectorModule)
        {
            assertNull(Kernels.simd(), "no vector module, so no SIMD kernel may load");
            assertEquals("portable", Kernels.active().name());
        }
        if (expectSimd())
        {
            assertTrue(vectorModule, "this run must have --add-modules jdk.incubator.vector");
            assertNotNull(Kernels.simd(), Kernels.selectionReason());
            assertNull(Kernels.selfTest(Kernels.simd()));
            if (!forcedPortable)
            {
                assertTrue(Kernels.active().name().startsWith("simd-"), Kernels.active().name());
            }
        }
    }

    @Property(seeds = 60)
    void simdAndPortableGiveIdenticalBytes(final Gen gen)
    {
        final GfKernel simd = Kernels.simd();
        Assumptions.assumeTrue(simd != null, "SIMD kernel not loaded in this JVM");
        final GfKernel portable = PortableKernel.INSTANCE;
        final int len = gen.size(0, 2100);
        final int m = gen.intBetween(1, 11);
        final int n = gen.intBetween(0, 40);
        final int srcStride = len + gen.intBetween(0, 64);
        final byte[] src = gen.bytes(n * srcStride + 64);
        final byte[] coefs = gen.bytes(m * (n + 3) + 1);
        if (gen.bool())
        {
            for (int i = 0; i < coefs.length; i++)
            {
                if (gen.chance(0.3))
                {
                    coefs[i] = (byte)(int)gen.pick(java.util.List.of(0, 1, 255));
                }
            }
        }
        final int[] offsets = new int[m];
        for (int k = 0; k < m; k++)
        {
            offsets[k] = k * (len + 5) + 3;
        }
        final byte[] a = gen.bytes(m * (len + 5) + 8);
        final byte[] b = a.clone();
        final boolean accumulate = gen.bool();
        portable.multiply(coefs, 1, n + 3, m, n, src, 17, srcStride, a, offsets, len, accumulate);
        simd.multiply(coefs, 1, n + 3, m, n, src, 17, srcStride, b, offsets, len, accumulate);
        assertArrayEquals(a, b, "multiply");

        final int c = gen.intBetween(0, 255);
        portable.mulAdd(a, 2, src, 5, Math.min(len, a.length - 2), c);
        simd.mulAdd(b, 2, src, 5, Math.min(len, b.length - 2), c);
        assertArrayEquals(a, b, "mulAdd");
        portable.mul(a, 1, len, c);
        simd.mul(b, 1, len, c);
        assertArrayEquals(a, b, "mul");
    }

    @Test
    void splitMixIsSplittableRandom()
    {
        for (long seed : new long[] {0, 1, -1, 42, Long.MIN_VALUE, 0x123456789ABCDEFL})
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final byte[] expected = new byte[300];
            for (int i = 0; i < expected.length; i += 8)
            {
                long bits = random.nextLong();
                for (int b = 0; b < 8 && i + b < expected.length; b++)
                {
                    expected[i + b] = (byte)bits;
                    bits >>>= 8;
                }
            }
            for (int len : new int[] {0, 1, 7, 8, 9, 255, 256, 300})
            {
                final byte[] actual = new byte[len];
                SplitMix.expand(seed, actual, 0, len);
                assertArrayEquals(java.util.Arrays.copyOf(expected, len), actual, "seed " + seed + " len " + len);
                boolean zero = true;
                for (byte x : actual)
                {
                    zero &= x == 0;
                }
                assertEquals(zero, SplitMix.expandsToZero(seed, len));
            }
        }
    }
}
