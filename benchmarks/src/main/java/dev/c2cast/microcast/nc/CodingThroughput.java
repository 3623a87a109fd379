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
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final CodingBenchmark bench;
    private final String op;
    private long sink;

    /**
     * Sets up the benchmark state for one operation.
     *
     * @param op {@code encode}, {@code encodeRaw}, {@code decode} or {@code recode}.
     * @param g  generation size.
     * @param s  symbol size.
     */
    public CodingThroughput(final String op, final int g, final int s)
    {
        switch (op)
        {
            case "encode":
            case "encodeRaw":
            case "decode":
            case "recode":
                break;
            default:
                throw new IllegalArgumentException("op must be encode, encodeRaw, decode or recode: " + op);
        }
        this.op = op;
        this.bench = new CodingBenchmark();
        bench.g = g;
        bench.s = s;
        bench.setUp();
    }

    /**
     * Runs the operation for about {@code nanos} of this thread's CPU time.
     *
     * @param nanos CPU time to spend.
     * @return MB/s of source data (g * s bytes per operation).
     */
    public double trial(final long nanos)
    {
        final long start = THREADS.getCurrentThreadCpuTime();
        long ops = 0;
        long used;
        do
        {
            for (int k = 0; k < 4; k++)
            {
                sink += once();
            }
            ops += 4;
            used = THREADS.getCurrentThreadCpuTime() - start;
        }
        while (used < nanos);
        return ops * (double)bench.g * bench.s / (used / 1e9) / 1e6;
    }

    private int once()
    {
        switch (op)
        {
            case "encode":
                return bench.encode();
            case "encodeRaw":
                return bench.encodeRaw();
            case "decode":
                return bench.decode();
            default:
                return bench.recode();
        }
    }

    /**
     * A value of the results, so the JIT cannot drop the work.
     *
     * @return the sum of what the operations returned.
     */
    public long sink()
    {
        return sink;
    }

    /**
     * Runs one measurement.
     *
     * @param args op, g, s, optional trials and milliseconds of CPU time per trial.
     */
    public static void main(final String[] args)
    {
        final String op = args[0];
        final int g = Integer.parseInt(args[1]);
        final int s = Integer.parseInt(args[2]);
        final int trials = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        final long nanos = (args.length > 4 ? Long.parseLong(args[4]) : 500) * 1_000_000L;
        final CodingThroughput throughput = new CodingThroughput(op, g, s);
        double best = 0;
        for (int t = 0; t < trials + 2; t++)
        {
            final double mbps = throughput.trial(nanos);
            System.err.printf(Locale.ROOT, "trial %d: %.1f MB/s%n", t, mbps);
            if (t >= 2)
            {
                best = Math.max(best, mbps);
            }
        }
        System.out.printf(Locale.ROOT, "java %s %s g=%d s=%d %.1f%n", Gf256.kernelName(), op, g, s, best);
        if (throughput.sink() == 42)
        {
            System.out.println();
        }
    }
}
