package dev.c2cast.microcast.nc.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Where the simulation tests write their plots and CSVs: target/figures under the module.
 */
final class Figures
{
    static final Path DIR = Path.of("target", "figures");

    static
    {
        System.setProperty("java.awt.headless", "true");
    }

    private Figures()
    {
    }

    static void write(final Chart chart, final String name)
    {
        try
        {
            chart.write(DIR.resolve(name));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static double[] range(final int from, final int to)
    {
        final double[] xs = new double[to - from + 1];
        for (int i = 0; i < xs.length; i++)
        {
            xs[i] = from + i;
        }
        return xs;
    }
}
