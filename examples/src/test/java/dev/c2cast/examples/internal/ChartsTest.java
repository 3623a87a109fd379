package dev.c2cast.examples.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest
{
    @BeforeAll
    static void headless()
    {
        System.setProperty("java.awt.headless", "true");
    }

    private static int columnHeight(final BufferedImage image, final int rgb)
    {
        int best = 0;
        for (int x = 0; x < image.getWidth(); x++)
        {
            int count = 0;
            for (int y = 0; y < image.getHeight(); y++)
            {
                if ((image.getRGB(x, y) & 0xffffff) == rgb)
                {
                    count++;
                }
            }
            best = Math.max(best, count);
        }
        return best;
    }

    @Test
    void barHeightsAreProportionalToValues(@TempDir final Path dir) throws Exception
    {
        final Map<String, double[]> series = new LinkedHashMap<>();
        series.put("star", new double[] {16});
        series.put("tree", new double[] {2});
        final Path file = dir.resolve("bars.png");
        Charts.bar(file, "Radix egress copies per packet", "copies", List.of("radix"), series);
        final BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
        final int star = columnHeight(image, Charts.PALETTE.get(0).getRGB() & 0xffffff);
        final int tree = columnHeight(image, Charts.PALETTE.get(1).getRGB() & 0xffffff);
        assertTrue(tree > 0, "tree bar drawn");
        final double ratio = (double)star / tree;
        assertTrue(ratio > 6 && ratio < 10, "bar height ratio " + ratio + " for values 16 and 2 (legend swatch adds a little)");
    }

    @Test
    void lineChartDrawsEverySeries(@TempDir final Path dir) throws Exception
    {
        final Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("a", new double[][] {{0, 1}, {1, 3}, {2, 2}});
        series.put("b", new double[][] {{0, 0}, {2, 4}});
        final Path file = dir.resolve("lines.png");
        Charts.line(file, "Latency", "depth", "ms", series);
        final BufferedImage image = ImageIO.read(file.toFile());
        for (final Color color : Charts.PALETTE.subList(0, 2))
        {
            assertTrue(columnHeight(image, color.getRGB() & 0xffffff) > 5, "series drawn in " + color);
        }
    }

    @Test
    void niceCeilingRoundsUpToOneTwoOrFive()
    {
        assertEquals(1, Charts.niceCeiling(0));
        assertEquals(20, Charts.niceCeiling(16));
        assertEquals(2, Charts.niceCeiling(2));
        assertEquals(5, Charts.niceCeiling(2.1));
        assertEquals(0.5, Charts.niceCeiling(0.31), 1e-12);
    }
}
