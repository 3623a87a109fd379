package dev.c2cast.microcast.nc.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * A minimal chart writer (plain Java2D and ImageIO): named series of (x, y) points drawn as lines, or as grouped
 * bars over categories, saved as PNG together with a CSV of the same numbers. Not thread-safe; build, then
 * {@link #write(Path)}.
 */
public final class Chart
{
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd)};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    private static final int LEFT = 90;
    private static final int RIGHT = 250;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean bars;
    private final List<String> names = new ArrayList<>();
    private final List<double[][]> series = new ArrayList<>();
    private List<String> categories = List.of();

    private Chart(final String title, final String xLabel, final String yLabel, final boolean bars)
    {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.bars = bars;
    }

    /**
     * A line chart.
     *
     * @param title  title.
     * @param xLabel x axis label.
     * @param yLabel y axis label.
     * @return the chart.
     */
    public static Chart lines(final String title, final String xLabel, final String yLabel)
    {
        return new Chart(title, xLabel, yLabel, false);
    }

    /**
     * A grouped bar chart: x values of the series index {@code categories}.
     *
     * @param title      title.
     * @param categories category labels, in x order 0, 1, ...
     * @param yLabel     y axis label.
     * @return the chart.
     */
    public static Chart bars(final String title, final List<String> categories, final String yLabel)
    {
        final Chart chart = new Chart(title, "", yLabel, true);
        chart.categories = List.copyOf(categories);
        return chart;
    }

    /**
     * Adds a series.
     *
     * @param name legend name.
     * @param xs   x values.
     * @param ys   y values, as many as {@code xs}.
     * @return this chart.
     */
    public Chart series(final String name, final double[] xs, final double[] ys)
    {
        if (xs.length != ys.length)
        {
            throw new IllegalArgumentException("x and y differ in length");
        }
        names.add(name);
        series.add(new double[][] {xs.clone(), ys.clone()});
        return this;
    }

    /**
     * Writes {@code base.png} and {@code base.csv}.
     *
     * @param base path without extension.
     * @throws IOException if writing fails.
     */
    public void write(final Path base) throws IOException
    {
        final Path parent = base.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        ImageIO.write(render(), "png", base.resolveSibling(base.getFileName() + ".png").toFile());
        Files.writeString(base.resolveSibling(base.getFileName() + ".csv"), csv());
    }

    /**
     * The numbers as CSV: one row per point, {@code series,x,y}.
     *
     * @return the CSV text.
     */
    public String csv()
    {
        final StringBuilder sb = new StringBuilder("series,x,y\n");
        for (int s = 0; s < series.size(); s++)
        {
            final double[][] xy = series.get(s);
            for (int i = 0; i < xy[0].length; i++)
            {
                final String x = bars ? categories.get((int)xy[0][i]) : fmt(xy[0][i]);
                sb.append(names.get(s)).append(',').append(x).append(',').append(fmt(xy[1][i])).append('\n');
            }
        }
        return sb.toString();
    }

    private BufferedImage render()
    {
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            double minX = Double.MAX_VALUE;
            double maxX = -Double.MAX_VALUE;
            double maxY = 0;
            for (final double[][] xy : series)
            {
                for (int i = 0; i < xy[0].length; i++)
                {
                    minX = Math.min(minX, xy[0][i]);
                    maxX = Math.max(maxX, xy[0][i]);
                    maxY = Math.max(maxY, xy[1][i]);
                }
            }
            if (bars)
            {
                minX = -0.5;
                maxX = categories.size() - 0.5;
            }
            if (maxX <= minX)
            {
                maxX = minX + 1;
            }
            maxY = maxY <= 0 ? 1 : maxY * 1.1;
            final int plotW = WIDTH - LEFT - RIGHT;
            final int plotH = HEIGHT - TOP - BOTTOM;
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, LEFT, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawRect(LEFT, TOP, plotW, plotH);
            for (int t = 0; t <= 5; t++)
            {
                final int y = TOP + plotH - plotH * t / 5;
                g.setColor(new Color(0xdddddd));
                g.drawLine(LEFT + 1, y, LEFT + plotW - 1, y);
                g.setColor(Color.BLACK);
                g.drawString(fmt(maxY * t / 5), 5, y + 4);
            }
            if (bars)
            {
                for (int c = 0; c < categories.size(); c++)
                {
                    g.drawString(categories.get(c), LEFT + (int)((c + 0.2) * plotW / categories.size()), TOP + plotH + 20);
                }
            }
            else
            {
                for (int t = 0; t <= 5; t++)
                {
                    final double x = minX + (maxX - minX) * t / 5;
                    g.drawString(fmt(x), LEFT + plotW * t / 5 - 10, TOP + plotH + 20);
                }
            }
            g.drawString(xLabel, LEFT + plotW / 2 - 40, HEIGHT - 15);
            g.drawString(yLabel, 5, TOP - 10);
            for (int s = 0; s < series.size(); s++)
            {
                final double[][] xy = series.get(s);
                g.setColor(PALETTE[s % PALETTE.length]);
                g.setStroke(new BasicStroke(2f));
                for (int i = 0; i < xy[0].length; i++)
                {
                    final int px = LEFT + (int)((xy[0][i] - minX) / (maxX - minX) * plotW);
                    final int py = TOP + plotH - (int)(xy[1][i] / maxY * plotH);
                    if (bars)
                    {
                        final int groupW = plotW / categories.size();
                        final int barW = Math.max(2, groupW * 3 / 4 / series.size());
                        final int bx = px - groupW * 3 / 8 + s * barW;
                        g.fillRect(bx, py, barW - 2, TOP + plotH - py);
                    }
                    else
                    {
                        g.fillOval(px - 3, py - 3, 7, 7);
                        if (i > 0)
                        {
                            final int qx = LEFT + (int)((xy[0][i - 1] - minX) / (maxX - minX) * plotW);
                            final int qy = TOP + plotH - (int)(xy[1][i - 1] / maxY * plotH);
                            g.drawLine(qx, qy, px, py);
                        }
                    }
                }
                g.fillRect(WIDTH - RIGHT + 15, TOP + 10 + s * 20, 12, 12);
                g.setColor(Color.BLACK);
                g.drawString(names.get(s), WIDTH - RIGHT + 32, TOP + 21 + s * 20);
            }
        }
        finally
        {
            g.dispose();
        }
        return image;
    }

    private static String fmt(final double v)
    {
        if (v == Math.rint(v) && Math.abs(v) < 1e15)
        {
            return Long.toString((long)v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
