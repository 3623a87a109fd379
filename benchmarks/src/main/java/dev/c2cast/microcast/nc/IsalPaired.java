package dev.c2cast.microcast.nc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import dev.c2cast.microcast.nc.sim.Chart;

/**
 * Java and ISA-L side by side in time: this JVM drives {@code isal_compare} (microcast-nc/bench) in its serve mode
 * and alternates one ISA-L trial and one Java trial, both timed by their thread's CPU time, so every Java trial is
 * set against the ISA-L trials run just before and just after it. On a shared machine the throughput of both drifts
 * by tens of percent over seconds (other tenants of the host, clock changes); runs taken minutes apart compare one
 * machine state with another, adjacent trials compare the two coders under nearly the same one.
 * <p>
 * Usage: {@code java [--add-modules jdk.incubator.vector] -cp benchmarks.jar dev.c2cast.microcast.nc.IsalPaired op g s
 * pairs millis isal_compare [chart]}, op being {@code encode}, {@code encodeRaw} (both against ISA-L's
 * {@code ec_encode_data}) or {@code decode} (against its {@code gf_vect_mad} progressive decode). After warm-up
 * trials (at least two of each and 1.5 s of Java), prints every pair to stderr and one line to stdout:
 * <pre>
 * paired &lt;kernel&gt; &lt;op&gt; g=&lt;g&gt; s=&lt;s&gt; java_best=&lt;MB/s&gt; isal_best=&lt;MB/s&gt; best_ratio=&lt;r&gt; median_ratio=&lt;r&gt; min_ratio=&lt;r&gt;
 * </pre>
 * where a pair's ratio is the Java trial over the mean of its two neighbouring ISA-L trials, and best_ratio is the
 * best Java trial over the best ISA-L trial. With a chart path (no extension), also writes both series of trials
 * there as PNG and CSV. Each pair line also says how often the scheduler moved or preempted the Java thread during
 * its trial ({@link SchedStats}, Linux).
 */
public final class IsalPaired
{
    private IsalPaired()
    {
    }

    /**
     * Runs one paired measurement.
     *
     * @param args op, g, s, pairs, millis, path of isal_compare, optional chart path without extension.
     * @throws IOException          if isal_compare cannot be started or stops answering.
     * @throws InterruptedException if interrupted while waiting for isal_compare to end.
     */
    public static void main(final String[] args) throws IOException, InterruptedException
    {
        if (args.length < 6)
        {
            System.err.println("usage: IsalPaired op g s pairs millis isal_compare [chart]");
            System.exit(2);
        }
        final String op = args[0];
        final int g = Integer.parseInt(args[1]);
        final int s = Integer.parseInt(args[2]);
        final int pairs = Integer.parseInt(args[3]);
        final long millis = Long.parseLong(args[4]);
        final String isalOp = "decode".equals(op) ? "decode" : "encode";
        final ProcessBuilder builder = new ProcessBuilder(args[5], isalOp, Integer.toString(g), Integer.toString(s),
            "1", Long.toString(millis));
        builder.environment().put("ISAL_SERVE", "1");
        builder.environment().put("ISAL_CPU_TIME", "1");
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        final CodingThroughput java = new CodingThroughput(op, g, s);
        final Process isal = builder.start();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(isal.getInputStream(), StandardCharsets.US_ASCII));
            PrintWriter out = new PrintWriter(new OutputStreamWriter(isal.getOutputStream(), StandardCharsets.US_ASCII)))
        {
            expect("ready", in.readLine());
            final long nanos = millis * 1_000_000L;
            // Warm-up: at least two trials of each and 1.5 s of Java (the portable kernel's loops take that long to
            // reach their final compiled form).
            final int warmups = (int)Math.max(2, (1500 + millis - 1) / millis);
            for (int w = 0; w < warmups; w++)
            {
                isalTrial(in, out);
                java.trial(nanos);
            }
            final double[] isalRuns = new double[pairs + 1];
            final double[] javaRuns = new double[pairs];
            final double[] ratios = new double[pairs];
            isalRuns[0] = isalTrial(in, out);
            for (int i = 0; i < pairs; i++)
            {
                final long[] before = SchedStats.ofThisThread();
                javaRuns[i] = java.trial(nanos);
                final long[] after = SchedStats.ofThisThread();
                isalRuns[i + 1] = isalTrial(in, out);
                ratios[i] = javaRuns[i] / ((isalRuns[i] + isalRuns[i + 1]) / 2);
                System.err.printf(Locale.ROOT, "pair %d: java %.1f isal %.1f %.1f ratio %.3f%s%n", i, javaRuns[i],
                    isalRuns[i], isalRuns[i + 1], ratios[i], SchedStats.describe(before, after));
            }
            if (args.length > 6)
            {
                chart(Path.of(args[6]), op, g, s, javaRuns, isalRuns);
            }
            final double javaBest = Arrays.stream(javaRuns).max().orElse(0);
            final double isalBest = Arrays.stream(isalRuns).max().orElse(0);
            final double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            final double median = pairs % 2 == 1 ? sorted[pairs / 2] : (sorted[pairs / 2 - 1] + sorted[pairs / 2]) / 2;
            System.out.printf(Locale.ROOT,
                "paired %s %s g=%d s=%d java_best=%.1f isal_best=%.1f best_ratio=%.3f median_ratio=%.3f " +
                "min_ratio=%.3f%n", Gf256.kernelName(), op, g, s, javaBest, isalBest, javaBest / isalBest, median,
                sorted[0]);
        }
        finally
        {
            isal.destroy();
            isal.waitFor();
        }
        if (java.sink() == 42)
        {
            System.out.println();
        }
    }

    private static double isalTrial(final BufferedReader in, final PrintWriter out) throws IOException
    {
        out.println("trial");
        out.flush();
        final String line = in.readLine();
        if (line == null)
        {
            throw new IOException("isal_compare ended before answering a trial");
        }
        return Double.parseDouble(line.trim());
    }

    private static void expect(final String expected, final String line) throws IOException
    {
        if (!expected.equals(line))
        {
            throw new IOException("isal_compare said " + line + " instead of " + expected);
        }
    }

    private static void chart(final Path base, final String op, final int g, final int s, final double[] java,
        final double[] isal) throws IOException
    {
        final double[] xs = new double[java.length];
        final double[] isalAfter = new double[java.length];
        for (int i = 0; i < java.length; i++)
        {
            xs[i] = i;
            isalAfter[i] = isal[i + 1];
        }
        Chart.lines(String.format(Locale.ROOT, "%s g=%d s=%d, alternating trials (JDK %s)", op, g, s,
                System.getProperty("java.version")), "trial pair", "MB/s of source data")
            .series("java " + Gf256.kernelName(), xs, java)
            .series("ISA-L (trial after)", xs, isalAfter)
            .write(base);
    }
}
