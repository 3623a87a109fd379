package dev.c2cast.examples.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * Bar and line charts drawn with Java2D and written as PNG, for the demos' reports (no charting library). Runs
 * headless; the JVM needs at least one font installed.
 */
public final class Charts
{
    /** Width of every chart in pixels. */
    public static final int WIDTH = 800;
    /** Height of every chart in pixels. */
    public static final int HEIGHT = 480;
    /** Colours given to series in order. */
    public static final List<Color> PALETTE = List.of(
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b));

    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;

    private Charts()
    {
    }

    /**
     * Draws grouped bars: one group per category, one bar per series in each group.
     *
     * @param file       the PNG file, replaced.
     * @param title      the chart title.
     * @param yLabel     the value axis label.
     * @param categories the group labels.
     * @param series     series name to one value per category (insertion order gives the colours).
     * @throws IOException if writing fails.
     */
    public static void bar(
        final Path file, final String title, final String yLabel, final List<String> categories,
        final Map<String, double[]> series) throws IOException
    {
        double max = 0;
        for (final double[] values : series.values())
        {
            if (values.length != categories.size())
            {
                throw new IllegalArgumentException("series of " + values.length + " values for " + categories.size() + " categories");
            }
            for (final double value : values)
            {
                max = Math.max(max, value);
            }
        }
        final double top = niceCeiling(max);
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = frame(image, title, yLabel, 0, top);
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int plotHeight = HEIGHT - TOP - BOTTOM;
        final double groupWidth = (double)plotWidth / Math.max(1, categories.size());
        final double barWidth = groupWidth * 0.8 / Math.max(1, series.size());
        final FontMetrics metrics = g.getFontMetrics();
        for (int c = 0; c < categories.size(); c++)
        {
            final double groupLeft = LEFT + c * groupWidth + groupWidth * 0.1;
            int s = 0;
            for (final double[] values : series.values())
            {
                final int barHeight = (int)Math.round(values[c] / top * plotHeight);
                final int x = (int)Math.round(groupLeft + s * barWidth);
                g.setColor(PALETTE.get(s % PALETTE.size()));
                g.fillRect(x, TOP + plotHeight - barHeight, Math.max(1, (int)Math.floor(barWidth) - 2), barHeight);
                g.setColor(Color.DARK_GRAY);
                final String label = format(values[c]);
                g.drawString(label, x + (int)(barWidth - metrics.stringWidth(label)) / 2, TOP + plotHeight - barHeight - 4);
                s++;
            }
            g.setColor(Color.BLACK);
            final String category = categories.get(c);
            g.drawString(category, (int)(LEFT + c * groupWidth + (groupWidth - metrics.stringWidth(category)) / 2),
                TOP + plotHeight + 20);
        }
        legend(g, series.keySet().toArray(new String[0]));
        write(image, g, file);
    }

    /**
     * Draws lines through points.
     *
     * @param file   the PNG file, replaced.
     * @param title  the chart title.
     * @param xLabel the horizontal axis label.
     * @param yLabel the vertical axis label.
     * @param series series name to points {@code {x, y}} in increasing x (insertion order gives the colours).
     * @throws IOException if writing fails.
     */
    public static void line(
        final Path file, final String title, final String xLabel, final String yLabel, final Map<String, double[][]> series)
        throws IOException
    {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = 0;
        for (final double[][] points : series.values())
        {
            for (final double[] point : points)
            {
                minX = Math.min(minX, point[0]);
                maxX = Math.max(maxX, point[0]);
                maxY = Math.max(maxY, point[1]);
            }
        }
        if (minX > maxX)
        {
            minX = 0;
            maxX = 1;
        }
        if (maxX == minX)
        {
            maxX = minX + 1;
        }
        final double top = niceCeiling(maxY);
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = frame(image, title, yLabel, 0, top);
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int plotHeight = HEIGHT - TOP - BOTTOM;
        g.setColor(Color.BLACK);
        final FontMetrics metrics = g.getFontMetrics();
        for (int i = 0; i <= 4; i++)
        {
            final double x = minX + (maxX - minX) * i / 4;
            final String label = format(x);
            g.drawString(label, LEFT + plotWidth * i / 4 - metrics.stringWidth(label) / 2, TOP + plotHeight + 20);
        }
        g.drawString(xLabel, LEFT + (plotWidth - metrics.stringWidth(xLabel)) / 2, TOP + plotHeight + 45);
        g.setStroke(new BasicStroke(2f));
        int s = 0;
        for (final double[][] points : series.values())
        {
            g.setColor(PALETTE.get(s % PALETTE.size()));
            for (int i = 0; i < points.length; i++)
            {
                final int x = LEFT + (int)Math.round((points[i][0] - minX) / (maxX - minX) * plotWidth);
                final int y = TOP + plotHeight - (int)Math.round(points[i][1] / top * plotHeight);
                if (i > 0)
                {
                    final int px = LEFT + (int)Math.round((points[i - 1][0] - minX) / (maxX - minX) * plotWidth);
                    final int py = TOP + plotHeight - (int)Math.round(points[i - 1][1] / top * plotHeight);
                    g.drawLine(px, py, x, y);
                }
                g.fillOval(x - 3, y - 3, 6, 6);
            }
            s++;
        }
        legend(g, series.keySet().toArray(new String[0]));
        write(image, g, file);
    }

    private static Graphics2D frame(final BufferedImage image, final String title, final String yLabel, final double min, final double top)
    {
        final Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int plotHeight = HEIGHT - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        final FontMetrics metrics = g.getFontMetrics();
        for (int i = 0; i <= 4; i++)
        {
            final int y = TOP + plotHeight - plotHeight * i / 4;
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, y, LEFT + plotWidth, y);
            g.setColor(Color.BLACK);
            final String label = format(min + (top - min) * i / 4);
            g.drawString(label, LEFT - 8 - metrics.stringWidth(label), y + 4);
        }
        g.drawLine(LEFT, TOP, LEFT, TOP + plotHeight);
        g.drawLine(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight);
        g.drawString(yLabel, LEFT, TOP - 8);
        return g;
    }

    private static void legend(final Graphics2D g, final String[] names)
    {
        final FontMetrics metrics = g.getFontMetrics();
        int x = WIDTH - RIGHT;
        for (int i = names.length - 1; i >= 0; i--)
        {
            x -= metrics.stringWidth(names[i]) + 30;
            g.setColor(PALETTE.get(i % PALETTE.size()));
            g.fillRect(x, 18, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(names[i], x + 16, 29);
        }
    }

    private static void write(final BufferedImage image, final Graphics2D g, final Path file) throws IOException
    {
        g.dispose();
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile()))
        {
            throw new IOException("no PNG writer");
        }
    }

    /**
     * The smallest 1, 2 or 5 times a power of ten at or above a value (1 for values at or below 0).
     *
     * @param value the largest value to show.
     * @return the axis top.
     */
    public static double niceCeiling(final double value)
    {
        if (!(value > 0))
        {
            return 1;
        }
        final double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (final double step : new double[] {1, 2, 5, 10})
        {
            if (step * power >= value * (1 - 1e-12))
            {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String format(final double value)
    {
        if (value == Math.rint(value) && Math.abs(value) < 1e9)
        {
            return Long.toString((long)value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }
}
