package dev.c2cast.examples.streamsmart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tree run of the demo with two internal clones killed halfway: streamsmart-tree re-attaches their children (the
 * radix's ring replays what they missed), every surviving viewer keeps receiving, and the radix keeps at most fan-out
 * children and forwarded at most fan-out first copies of each packet (its replays are counted apart).
 */
class TreeRepairIT
{
    @Test
    void killingInternalClonesMidwayIsRepaired(@TempDir final Path dir) throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            status = new StreamSmartDemo().run(new String[] {"--shapes", "tree", "--clones", "8", "--kill", "2", "--fps", "60",
                "--no-ansi", "--refresh", "1000", "--out", dir.toString()}, out, System.err);
        }
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        assertTrue(text.contains("check tree: radix egress copies per packet 2.00 <= fan-out 2: OK"), text);
        final Matcher killed = Pattern.compile("killed \\[(c\\d+), (c\\d+)\\]").matcher(text);
        assertTrue(killed.find(), text);
        final Matcher frames = Pattern.compile("frames per viewer \\(min / sent\\)\\s+(\\d+) / 300").matcher(text);
        assertTrue(frames.find(), text);
        // Orphaned viewers lose at most the rest of the GOP in flight (one IDR per 30 frames) plus the repair gap.
        assertTrue(Integer.parseInt(frames.group(1)) >= 240, text);
        final Matcher gap = Pattern.compile("longest stream gap at a clone \\(ms\\)\\s+(\\d+)").matcher(text);
        assertTrue(gap.find(), text);
        assertTrue(Integer.parseInt(gap.group(1)) < 2_000, "repair took " + gap.group(1) + " ms");
        final List<String> rows = Files.readAllLines(dir.resolve("streamsmart-clones.csv"));
        assertEquals(2, rows.stream().filter(row -> row.contains(",killed,")).count(), rows.toString());
        // After the repair the radix still has at most fan-out children (the tree, not the radix, took the orphans).
        final String radixRow = rows.stream().filter(row -> row.startsWith("tree,radix,")).findFirst().orElseThrow();
        assertTrue(Integer.parseInt(radixRow.split(",")[4]) <= 2, radixRow);
    }
}
