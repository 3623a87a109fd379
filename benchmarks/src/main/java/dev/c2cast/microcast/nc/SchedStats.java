package dev.c2cast.microcast.nc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the Linux scheduler did to the calling thread ({@code /proc/thread-self/sched}): migrations between CPUs
 * and involuntary context switches, the two events that cost a CPU-bound benchmark its caches. A diagnostic of the
 * benchmarks; on other systems it reports nothing.
 */
final class SchedStats
{
    private static final Path SCHED = Path.of("/proc/thread-self/sched");

    private SchedStats()
    {
    }

    /**
     * Reads the counters now.
     *
     * @return {migrations, involuntary switches}, or null where the file is not there.
     */
    static long[] ofThisThread()
    {
        try
        {
            final List<String> lines = Files.readAllLines(SCHED);
            final long[] counts = {-1, -1};
            for (final String line : lines)
            {
                if (line.startsWith("se.nr_migrations"))
                {
                    counts[0] = value(line);
                }
                else if (line.startsWith("nr_involuntary_switches"))
                {
                    counts[1] = value(line);
                }
            }
            return counts[0] < 0 || counts[1] < 0 ? null : counts;
        }
        catch (final IOException | RuntimeException e)
        {
            return null;
        }
    }

    /**
     * The difference between two readings, for a log line.
     *
     * @param before reading before, or null.
     * @param after  reading after, or null.
     * @return {@code " migrations=m preempted=p"}, or an empty string without readings.
     */
    static String describe(final long[] before, final long[] after)
    {
        if (before == null || after == null)
        {
            return "";
        }
        return String.format(Locale.ROOT, " migrations=%d preempted=%d", after[0] - before[0], after[1] - before[1]);
    }

    private static long value(final String line)
    {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
    }
}
