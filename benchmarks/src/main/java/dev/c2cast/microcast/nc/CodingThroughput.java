package dev.c2cast.microcast.nc;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The same operations as {@link CodingBenchmark}, timed by this thread's CPU time instead of the wall clock, for a
 * shared machine: time the thread spends descheduled (other engineers' builds) does not count, which is what makes
 * figures taken minutes apart comparable. isal_compare.c has the matching mode ({@code ISAL_CPU_TIME}).
 * <p>
 * Usage: {@code java [--add-modules jdk.incubator.vector] -cp benchmarks.jar dev.c2cast.microcast.nc.CodingThroughput
 * op g s [trials] [millis]}, op being {@code encode}, {@code encodeRaw}, {@code decode} or {@code recode}. Prints
 * {@code java <kernel> <op> g=<g> s=<s> <MB/s>}, the best of the trials after two warm-up trials.
 */
public final class CodingThroughput
{
    private CodingThroughput()
    {
    }

    /**
     * Runs one measurement.
     *
     * @param args op, g, s, optional trials and milliseconds of CPU time per trial.
     */
    public static void main(final String[] args)
    {
        final String op = args[0];
        final CodingBenchmark bench = new CodingBenchmark();
        bench.g = Integer.parseInt(args[1]);
        bench.s = Integer.parseInt(args[2]);
        final int trials = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        final long nanos = (args.length > 4 ? Long.parseLong(args[4]) : 500) * 1_000_000L;
        bench.setUp();
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double best = 0;
        long sink = 0;
        for (int t = 0; t < trials + 2; t++)
        {
            final long start = threads.getCurrentThreadCpuTime();
            long ops = 0;
            long used;
            do
            {
                for (int k = 0; k < 4; k++)
                {
                    switch (op)
                    {
                        case "encode":
                            sink += bench.encode();
                            break;
                        case "encodeRaw":
                            sink += bench.encodeRaw();
                            break;
                        case "decode":
                            sink += bench.decode();
                            break;
                        case "recode":
                            sink += bench.recode();
                            break;
                        default:
                            throw new IllegalArgumentException("unknown op " + op);
                    }
                }
                ops += 4;
                used = threads.getCurrentThreadCpuTime() - start;
            }
            while (used < nanos);
            final double mbps = ops * (double)bench.g * bench.s / (used / 1e9) / 1e6;
            System.err.printf(Locale.ROOT, "trial %d: %.1f MB/s%n", t, mbps);
            if (t >= 2)
            {
                best = Math.max(best, mbps);
            }
        }
        System.out.printf(Locale.ROOT, "java %s %s g=%d s=%d %.1f%n", Gf256.kernelName(), op, bench.g, bench.s, best);
        if (sink == 42)
        {
            System.out.println();
        }
    }
}
