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

    @Test
    void nativeSourcesAreUsedWhereTheBuildAndTheJvmHaveThem()
    {
        final boolean buffered = Kernels.active().newSourceBuffer(0) != null;
        if (Boolean.getBoolean("c2cast.expectNativeSources"))
        {
            assertTrue(buffered, "JDK " + Runtime.version().feature() + " with SimdSegments must give native " +
                "source buffers: " + Kernels.selectionReason());
            assertTrue(Kernels.selectionReason().contains("native memory"), Kernels.selectionReason());
        }
        if (Runtime.version().feature() < 25 || Kernels.simd() == null)
        {
            assertTrue(!buffered, "native source buffers only with the SIMD kernel on JDK 25 and later");
        }
    }

    @Property(seeds = 60)
    void sourceBufferProductsMatchThePortableKernel(final Gen gen)
    {
        final SourceBuffer buffer = Kernels.active().newSourceBuffer(0);
        Assumptions.assumeTrue(buffer != null, "no source buffer in this JVM (SIMD kernel on JDK 25 and later)");
        final GfKernel portable = PortableKernel.INSTANCE;
        final int len = gen.size(0, 2100);
        final int m = gen.intBetween(1, 40);
        final int n = gen.intBetween(0, 40);
        final int srcStride = len + gen.intBetween(0, 64);
        final byte[] src = gen.bytes(n * srcStride + gen.intBetween(0, 64));
        final SourceBuffer sources = Kernels.active().newSourceBuffer(src.length + gen.intBetween(0, 100));
        sources.load(src, 0, src.length);
        final int coefStride = n + gen.intBetween(0, 3);
        final byte[] coefs = gen.bytes(m * coefStride + 2);
        final int[] offsets = new int[m];
        final byte[][] dsts = new byte[m][];
        final int[] dstOffsets = new int[m];
        for (int k = 0; k < m; k++)
        {
            offsets[k] = k * (len + 5) + 3;
            dstOffsets[k] = gen.intBetween(0, 9);
            dsts[k] = gen.bytes(dstOffsets[k] + len + gen.intBetween(0, 9));
        }
        final byte[] expected = gen.bytes(m * (len + 5) + 8);
        final byte[] actual = expected.clone();
        portable.multiply(coefs, 2, coefStride, m, n, src, 0, srcStride, expected, offsets, len, false);
        sources.multiply(coefs, 2, coefStride, m, n, srcStride, actual, offsets, len);
        assertArrayEquals(expected, actual, "multiply");
        final byte[][] before = new byte[m][];
        for (int k = 0; k < m; k++)
        {
            before[k] = dsts[k].clone();
        }
        sources.multiplyTo(coefs, 2, coefStride, m, n, srcStride, dsts, dstOffsets, len);
        for (int k = 0; k < m; k++)
        {
            final byte[] want = before[k].clone();
            System.arraycopy(expected, offsets[k], want, dstOffsets[k], len);
            assertArrayEquals(want, dsts[k], "multiplyTo output " + k + " and the bytes around it");
        }
    }

    @Test
    void sourceBufferRejectsReadsOutsideIt()
    {
        final SourceBuffer buffer = Kernels.active().newSourceBuffer(1000);
        Assumptions.assumeTrue(buffer != null, "no source buffer in this JVM (SIMD kernel on JDK 25 and later)");
        final byte[] out = new byte[2000];
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
            () -> buffer.multiply(new byte[4], 0, 2, 1, 2, 600, out, new int[] {0}, 500));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> buffer.load(new byte[1001], 0, 1001));
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

    @Property(seeds = 40)
    void simdAndPortableAgreeOnTheDecoderAndFramingOperations(final Gen gen)
    {
        final GfKernel simd = Kernels.simd();
        Assumptions.assumeTrue(simd != null, "SIMD kernel not loaded in this JVM");
        final GfKernel portable = PortableKernel.INSTANCE;
        final int len = gen.size(0, 2100);
        final int n = gen.intBetween(0, 40);
        final int m = gen.intBetween(1, 24);
        final byte[] src = gen.bytes(n * (len + 7) + 64);
        final byte[] coefs = gen.bytes(Math.max(n, m) * (n + 1) + 1);
        final int[] srcOffsets = new int[Math.max(n, 1)];
        for (int j = 0; j < n; j++)
        {
            srcOffsets[j] = gen.intBetween(0, n * (len + 7) + 64 - len);
        }

        final byte[] a = gen.bytes(len + 9);
        final byte[] b = a.clone();
        portable.dotRows(coefs, srcOffsets, n, src, a, 9, len);
        simd.dotRows(coefs, srcOffsets, n, src, b, 9, len);
        assertArrayEquals(a, b, "dotRows");

        final int[] offsets = new int[m];
        for (int k = 0; k < m; k++)
        {
            offsets[k] = k * (len + 3) + 1;
        }
        final byte[] x = gen.bytes(m * (len + 3) + 4);
        final byte[] y = x.clone();
        portable.mulAddTo(coefs, m, src, 3, x, offsets, Math.min(len, src.length - 3));
        simd.mulAddTo(coefs, m, src, 3, y, offsets, Math.min(len, src.length - 3));
        assertArrayEquals(x, y, "mulAddTo");

        final byte[][] p = new byte[m][];
        final byte[][] q = new byte[m][];
        final int[] at = new int[m];
        for (int k = 0; k < m; k++)
        {
            at[k] = gen.intBetween(0, 70);
            p[k] = gen.bytes(at[k] + len + gen.intBetween(0, 5));
            q[k] = p[k].clone();
        }
        final int sources = Math.min(n, 12);
        portable.multiplyTo(coefs, 0, sources + 1, m, sources, src, 2, len + 5, p, at, len);
        simd.multiplyTo(coefs, 0, sources + 1, m, sources, src, 2, len + 5, q, at, len);
        for (int k = 0; k < m; k++)
        {
            assertArrayEquals(p[k], q[k], "multiplyTo output " + k);
        }
        final byte[] z = new byte[m * (len + 5)];
        final int[] zo = new int[m];
        for (int k = 0; k < m; k++)
        {
            zo[k] = k * (len + 5);
        }
        portable.multiply(coefs, 0, sources + 1, m, sources, src, 2, len + 5, z, zo, len, false);
        for (int k = 0; k < m; k++)
        {
            assertArrayEquals(java.util.Arrays.copyOfRange(z, zo[k], zo[k] + len),
                java.util.Arrays.copyOfRange(p[k], at[k], at[k] + len), "multiplyTo against multiply, output " + k);
        }
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
