package dev.c2cast.microcast.nc;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import dev.c2cast.microcast.nc.internal.GfKernel;
import dev.c2cast.microcast.nc.internal.Kernels;

/**
 * Two diagnostics of the encoder's cost that JMH cannot separate from the spread between JVMs, both timed by this
 * thread's CPU time like {@link CodingThroughput} (g = 32, the active kernel):
 * <ul>
 * <li>{@code framing s [rounds] [millis]}: framed encode ({@link CodingBenchmark#encode}) and the raw matrix product
 * ({@link CodingBenchmark#encodeRaw}) alternately in one JVM, on the same generation, so both see the same memory
 * layout and JIT; prints both (best trial) and the framing cost in nanoseconds per coded packet.</li>
 * <li>{@code alignment s shifts [rounds] [millis]}: the kernel's matrix product with its 32 sources placed at
 * {@code shift} bytes past a 64-byte boundary (shifts comma-separated, multiples of 8), all in one array of this JVM,
 * each shift measured once per round. Heap arrays start wherever the collector put them; this shows what the
 * position costs. The array's address is read through {@code sun.misc.Unsafe}, found reflectively: a diagnostic of
 * the benchmarks only, never done by the library.</li>
 * </ul>
 * Usage: {@code java [--add-modules jdk.incubator.vector] -cp benchmarks.jar dev.c2cast.microcast.nc.CodingLayout
 * framing 1400} or {@code ... CodingLayout alignment 1400 0,8,16,32,48}.
 */
public final class CodingLayout
{
    private static final int G = 32;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CodingLayout()
    {
    }

    /**
     * Runs one diagnostic.
     *
     * @param args mode and its arguments, see the class comment.
     * @throws ReflectiveOperationException if {@code sun.misc.Unsafe} is not there (alignment mode).
     */
    public static void main(final String[] args) throws ReflectiveOperationException
    {
        final int s = Integer.parseInt(args[1]);
        if ("framing".equals(args[0]))
        {
            framing(s, args.length > 2 ? Integer.parseInt(args[2]) : 6, args.length > 3 ? Long.parseLong(args[3]) : 200);
        }
        else if ("alignment".equals(args[0]))
        {
            final int[] shifts = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
            alignment(s, shifts, args.length > 3 ? Integer.parseInt(args[3]) : 4,
                args.length > 4 ? Long.parseLong(args[4]) : 150);
        }
        else
        {
            throw new IllegalArgumentException("mode must be framing or alignment: " + args[0]);
        }
    }

    private static void framing(final int s, final int rounds, final long millis)
    {
        final CodingBenchmark bench = new CodingBenchmark();
        bench.g = G;
        bench.s = s;
        bench.setUp();
        final double[] best = new double[2];
        long sink = 0;
        for (int trial = 0; trial < 2 * (rounds + 2); trial++)
        {
            final boolean framed = (trial & 1) == 0;
            final long start = THREADS.getCurrentThreadCpuTime();
            long ops = 0;
            long used;
            do
            {
                for (int k = 0; k < 4; k++)
                {
                    sink += framed ? bench.encode() : bench.encodeRaw();
                }
                ops += 4;
                used = THREADS.getCurrentThreadCpuTime() - start;
            }
            while (used < millis * 1_000_000L);
            if (trial >= 4)
            {
                final int i = framed ? 0 : 1;
                best[i] = Math.max(best[i], ops * (double)G * s / (used / 1e9) / 1e6);
            }
        }
        final double extraNanos = (G * (double)s / best[0] - G * (double)s / best[1]) * 1000 / G;
        System.out.printf(Locale.ROOT, "java %s framing s=%d framed %.1f raw %.1f framed/raw %.3f extra %.1f ns/packet%n",
            Gf256.kernelName(), s, best[0], best[1], best[0] / best[1], extraNanos);
        if (sink == 42)
        {
            System.out.println();
        }
    }

    private static void alignment(final int s, final int[] shifts, final int rounds, final long millis)
        throws ReflectiveOperationException
    {
        final GfKernel kernel = Kernels.active();
        final int stride = (s + GfKernel.PADDING - 1) & -GfKernel.PADDING;
        final byte[] big = new byte[16 << 20];
        final SplittableRandom random = new SplittableRandom(1);
        random.nextBytes(big);
        final byte[] coefs = new byte[G * G];
        random.nextBytes(coefs);
        final long address = address(big);
        final int toBoundary = (int)((64 - address % 64) % 64);
        System.out.printf(Locale.ROOT, "java %s alignment s=%d: array data at %d mod 64%n", kernel.name(), s,
            address % 64);
        final int[] outs = new int[G];
        for (int round = 0; round < rounds; round++)
        {
            final StringBuilder line = new StringBuilder("round ").append(round).append(':');
            for (final int shift : shifts)
            {
                final int srcOff = toBoundary + 4096 + shift;
                for (int i = 0; i < G; i++)
                {
                    outs[i] = toBoundary + (1 << 20) + i * stride;
                }
                final long start = THREADS.getCurrentThreadCpuTime();
                long ops = 0;
                long used;
                do
                {
                    for (int r = 0; r < 8; r++)
                    {
                        kernel.multiply(coefs, 0, G, G, G, big, srcOff, stride, big, outs, stride, false);
                    }
                    ops += 8;
                    used = THREADS.getCurrentThreadCpuTime() - start;
                }
                while (used < millis * 1_000_000L);
                line.append(String.format(Locale.ROOT, " +%d=%.0f", shift, ops * (double)G * s / (used / 1e9) / 1e6));
            }
            System.out.println(line);
        }
    }

    /**
     * Address of the first element of a byte array, through sun.misc.Unsafe. A compressed reference is taken as
     * shifted by 3 (the default 8-byte object alignment); with a heap-based encoding the result is off by the heap
     * base, which is far coarser aligned than 64 bytes, so the address mod 64 printed is still right.
     */
    private static long address(final byte[] array) throws ReflectiveOperationException
    {
        final Class<?> type = Class.forName("sun.misc.Unsafe");
        final Field field = type.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        final Object unsafe = field.get(null);
        final Method baseOffset = type.getMethod("arrayBaseOffset", Class.class);
        final Method addressSize = type.getMethod("addressSize");
        final Method getInt = type.getMethod("getInt", Object.class, long.class);
        final Method getLong = type.getMethod("getLong", Object.class, long.class);
        final Object[] holder = {array};
        final long slot = (int)baseOffset.invoke(unsafe, Object[].class);
        final int scale = (int)type.getMethod("arrayIndexScale", Class.class).invoke(unsafe, Object[].class);
        final long reference = scale == 4
            ? ((int)getInt.invoke(unsafe, holder, slot) & 0xFFFF_FFFFL) << 3
            : (long)getLong.invoke(unsafe, holder, slot);
        if ((int)addressSize.invoke(unsafe) != 8)
        {
            throw new IllegalStateException("expected a 64-bit JVM");
        }
        return reference + (int)baseOffset.invoke(unsafe, byte[].class);
    }
}
