package dev.c2cast.microcast.nc.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the {@link GfKernel} for this JVM, once, at class initialisation.
 * <p>
 * The choice:
 * <ol>
 * <li>If the system property {@value #KERNEL_PROPERTY} is {@code portable}, the {@link PortableKernel}. This is the
 * only place the property is read; it is read once.</li>
 * <li>Otherwise, if the module {@code jdk.incubator.vector} is in the boot layer (the JVM was started with
 * {@code --add-modules jdk.incubator.vector}), the class {@code SimdKernel} is loaded reflectively. Any
 * {@link LinkageError} (the Vector API missing or changed) or reflective failure falls back to portable.</li>
 * <li>The SIMD kernel must then pass a known-answer self-test against the product table over every operation,
 * several lengths (with and without tails) and every coefficient; if it fails it is not used.</li>
 * </ol>
 * Nothing else in the library refers to the Vector API, so the library runs on a plain Java 17 with no flags.
 */
public final class Kernels
{
    /** System property that forces a kernel: {@code portable}, or {@code auto} (the default). */
    public static final String KERNEL_PROPERTY = "dev.c2cast.microcast.nc.kernel";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String SIMD_CLASS = "dev.c2cast.microcast.nc.internal.SimdKernel";

    private static final GfKernel SIMD;
    private static final GfKernel ACTIVE;
    private static final String REASON;

    static
    {
        final String requested = System.getProperty(KERNEL_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        final String[] why = new String[1];
        final GfKernel simd = loadSimd(why);
        SIMD = simd;
        if ("portable".equals(requested))
        {
            ACTIVE = PortableKernel.INSTANCE;
            REASON = "forced by -D" + KERNEL_PROPERTY + "=portable";
        }
        else if (simd != null)
        {
            ACTIVE = simd;
            REASON = "jdk.incubator.vector present, self-test passed" + (simd.newSourceBuffer(0) != null
                ? "; encoder sources in 64-byte-aligned native memory" : "");
        }
        else
        {
            ACTIVE = PortableKernel.INSTANCE;
            REASON = why[0];
        }
    }

    private Kernels()
    {
    }

    /**
     * The kernel the library uses in this JVM.
     *
     * @return the active kernel.
     */
    public static GfKernel active()
    {
        return ACTIVE;
    }

    /**
     * The SIMD kernel if it could be loaded and passed its self-test, whether or not it is active (tests compare
     * it with the portable one).
     *
     * @return the SIMD kernel or null.
     */
    public static GfKernel simd()
    {
        return SIMD;
    }

    /**
     * Why {@link #active()} was chosen, for logs.
     *
     * @return a one-line explanation.
     */
    public static String selectionReason()
    {
        return REASON;
    }

    private static GfKernel loadSimd(final String[] why)
    {
        final Optional<Module> vector = ModuleLayer.boot().findModule(VECTOR_MODULE);
        if (vector.isEmpty())
        {
            why[0] = "module " + VECTOR_MODULE + " not in the boot layer (start with --add-modules " + VECTOR_MODULE +
                " for the SIMD kernel)";
            return null;
        }
        final GfKernel kernel;
        try
        {
            final Module self = Kernels.class.getModule();
            if (self.isNamed())
            {
                // The module descriptor cannot name an incubator module without making every build warn; read it
                // here instead, only when it is present.
                self.addReads(vector.get());
            }
            final Class<?> type = Class.forName(SIMD_CLASS, true, Kernels.class.getClassLoader());
            kernel = (GfKernel)type.getMethod("create").invoke(null);
        }
        catch (final LinkageError | ReflectiveOperationException | RuntimeException ex)
        {
            why[0] = "SIMD kernel unavailable: " + ex;
            return null;
        }
        if (kernel == null)
        {
            why[0] = "preferred vector species too narrow for the SIMD kernel";
            return null;
        }
        final String failure = selfTest(kernel);
        if (failure != null)
        {
            why[0] = "SIMD kernel failed its self-test: " + failure;
            return null;
        }
        return kernel;
    }

    /**
     * Known-answer test of a kernel against the product table (itself built from the bit-by-bit multiply): every
     * coefficient through {@code mulAdd} and {@code mul}, {@code multiply} with 1 to 9 outputs, with and without
     * accumulation, {@code multiplyTo}, {@code dotRows} and {@code mulAddTo}, over lengths that do and do not fill
     * whole vectors (and that reach every step width of the SIMD kernel's loops).
     *
     * @param kernel the kernel to test.
     * @return null if it passed, otherwise a description of the first mismatch.
     */
    public static String selfTest(final GfKernel kernel)
    {
        try
        {
            final int[] lengths = {1, 15, 64, 100, 256 + 17, 384 + 17};
            final byte[] src = pattern(3 * 512, 0x9E3779B9);
            for (final int len : lengths)
            {
                for (int c = 0; c < 256; c++)
                {
                    final byte[] expected = pattern(len, c + 7);
                    final byte[] actual = expected.clone();
                    for (int i = 0; i < len; i++)
                    {
                        expected[i] ^= GfTables.MUL[(c << 8) | (src[i + 5] & 0xFF)];
                    }
                    kernel.mulAdd(actual, 0, src, 5, len, c);
                    if (!Arrays.equals(expected, actual))
                    {
                        return "mulAdd c=" + c + " len=" + len;
                    }
                    final byte[] scaled = pattern(len + 3, c + 11);
                    final byte[] reference = scaled.clone();
                    for (int i = 3; i < len + 3; i++)
                    {
                        reference[i] = GfTables.MUL[(c << 8) | (reference[i] & 0xFF)];
                    }
                    kernel.mul(scaled, 3, len, c);
                    if (!Arrays.equals(reference, scaled))
                    {
                        return "mul c=" + c + " len=" + len;
                    }
                }
                for (int m = 1; m <= 9; m++)
                {
                    final int n = 3;
                    final byte[] coefs = pattern(m * n, m * 31 + len);
                    final int[] offsets = new int[m];
                    for (int k = 0; k < m; k++)
                    {
                        offsets[k] = k * (len + 1);
                    }
                    for (final boolean accumulate : new boolean[] {false, true})
                    {
                        final byte[] expected = pattern(m * (len + 1), len);
                        final byte[] actual = expected.clone();
                        for (int k = 0; k < m; k++)
                        {
                            for (int i = 0; i < len; i++)
                            {
                                int value = accumulate ? expected[offsets[k] + i] & 0xFF : 0;
                                for (int j = 0; j < n; j++)
                                {
                                    value ^= GfTables.MUL[((coefs[k * n + j] & 0xFF) << 8) | (src[j * 512 + i] & 0xFF)];
                                }
                                expected[offsets[k] + i] = (byte)value;
                            }
                        }
                        kernel.multiply(coefs, 0, n, m, n, src, 0, 512, actual, offsets, len, accumulate);
                        if (!Arrays.equals(expected, actual))
                        {
                            return "multiply m=" + m + " len=" + len + " accumulate=" + accumulate;
                        }
                        if (!accumulate)
                        {
                            final byte[][] separate = new byte[m][];
                            final int[] at = new int[m];
                            for (int k = 0; k < m; k++)
                            {
                                separate[k] = pattern(len + 5, k);
                                at[k] = 5;
                            }
                            kernel.multiplyTo(coefs, 0, n, m, n, src, 0, 512, separate, at, len);
                            for (int k = 0; k < m; k++)
                            {
                                if (!Arrays.equals(expected, offsets[k], offsets[k] + len, separate[k], 5, len + 5))
                                {
                                    return "multiplyTo m=" + m + " len=" + len;
                                }
                            }
                            final String buffered = checkSourceBuffer(kernel, coefs, m, n, src, expected, offsets, len);
                            if (buffered != null)
                            {
                                return buffered;
                            }
                        }
                    }
                    final byte[] row = pattern(m * (len + 1), m + len);
                    final byte[] dotExpected = pattern(len + 2, m);
                    final byte[] dotActual = dotExpected.clone();
                    final int[] rowOffsets = new int[m];
                    for (int k = 0; k < m; k++)
                    {
                        rowOffsets[k] = (m - 1 - k) * (len + 1);
                        for (int i = 0; i < len; i++)
                        {
                            dotExpected[2 + i] ^=
                                GfTables.MUL[((coefs[k] & 0xFF) << 8) | (row[rowOffsets[k] + i] & 0xFF)];
                        }
                    }
                    kernel.dotRows(coefs, rowOffsets, m, row, dotActual, 2, len);
                    if (!Arrays.equals(dotExpected, dotActual))
                    {
                        return "dotRows n=" + m + " len=" + len;
                    }
                    final byte[] scatterExpected = pattern(m * (len + 1), len + 3);
                    final byte[] scatterActual = scatterExpected.clone();
                    for (int k = 0; k < m; k++)
                    {
                        for (int i = 0; i < len; i++)
                        {
                            scatterExpected[offsets[k] + i] ^=
                                GfTables.MUL[((coefs[k] & 0xFF) << 8) | (src[7 + i] & 0xFF)];
                        }
                    }
                    kernel.mulAddTo(coefs, m, src, 7, scatterActual, offsets, len);
                    if (!Arrays.equals(scatterExpected, scatterActual))
                    {
                        return "mulAddTo m=" + m + " len=" + len;
                    }
                }
            }
            return null;
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return ex.toString();
        }
    }

    /** The kernel's source buffer, if it has one, against the expected product of three sources at stride 512. */
    private static String checkSourceBuffer(final GfKernel kernel, final byte[] coefs, final int m, final int n,
        final byte[] src, final byte[] expected, final int[] offsets, final int len)
    {
        final SourceBuffer buffer = kernel.newSourceBuffer(src.length);
        if (buffer == null)
        {
            return null;
        }
        buffer.load(src, 0, src.length);
        final byte[][] separate = new byte[m][];
        final int[] at = new int[m];
        for (int k = 0; k < m; k++)
        {
            separate[k] = pattern(len + 3, k + 1);
            at[k] = 3;
        }
        buffer.multiplyTo(coefs, 0, n, m, n, 512, separate, at, len);
        final byte[] together = pattern(expected.length, len + 1);
        buffer.multiply(coefs, 0, n, m, n, 512, together, offsets, len);
        for (int k = 0; k < m; k++)
        {
            if (!Arrays.equals(expected, offsets[k], offsets[k] + len, separate[k], 3, len + 3))
            {
                return "source buffer multiplyTo m=" + m + " len=" + len;
            }
            if (!Arrays.equals(expected, offsets[k], offsets[k] + len, together, offsets[k], offsets[k] + len))
            {
                return "source buffer multiply m=" + m + " len=" + len;
            }
        }
        return null;
    }

    private static byte[] pattern(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        int x = seed | 1;
        for (int i = 0; i < length; i++)
        {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            bytes[i] = (byte)(x >>> 24);
        }
        return bytes;
    }
}
