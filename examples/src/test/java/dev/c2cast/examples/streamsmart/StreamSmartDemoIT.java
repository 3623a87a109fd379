package dev.c2cast.examples.streamsmart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.c2cast.testkit.Environment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-command demo with its defaults, in its own JVM: exit status 0, a report showing the radix's egress copies
 * per packet equal to the receivers in the star and within the fan-out in the tree, and a leaf clone that ffprobe
 * decodes without errors while the tree run streams.
 */
class StreamSmartDemoIT
{
    private static final Pattern LEAF = Pattern.compile("watch leaf clone (\\S+) \\(depth (\\d+)\\) with: ffplay -rtsp_transport tcp (\\S+)");

    @Test
    void demoWithDefaultsShowsTheEgressPropertyAndALeafDecodes(@TempDir final Path dir) throws Exception
    {
        final Path out = dir.resolve("out");
        final boolean probe = Environment.hasCommand("ffprobe");
        final List<String> probeResult = new ArrayList<>();
        try (ChildJvm demo = new ChildJvm("streamsmart-demo", dir, "streamsmart-demo", "--no-ansi", "--out", out.toString()))
        {
            demo.awaitLine(line -> line.startsWith("== tree"), 60_000);
            final String watch = demo.awaitLine(line -> line.contains("watch leaf clone")
                && demo.lines().indexOf(line) > indexOf(demo.lines(), "== tree"), 30_000);
            final Matcher leaf = LEAF.matcher(watch);
            assertTrue(leaf.find(), watch);
            assertTrue(Integer.parseInt(leaf.group(2)) >= 3, "16 clones under fan-out 2 put the last leaf at depth 4: " + watch);
            if (probe)
            {
                final Process ffprobe = new ProcessBuilder("timeout", "-k", "5", "30", "ffprobe", "-v", "error", "-rtsp_transport", "tcp",
                    "-select_streams", "v:0", "-show_entries", "frame=key_frame,pict_type", "-of", "csv=p=0",
                    "-read_intervals", "%+3", leaf.group(3)).redirectError(dir.resolve("ffprobe.err").toFile()).start();
                final String frames = new String(ffprobe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(ffprobe.waitFor(40, TimeUnit.SECONDS));
                probeResult.add(Integer.toString(ffprobe.exitValue()));
                probeResult.add(frames);
                probeResult.add(Files.readString(dir.resolve("ffprobe.err")));
            }
            assertEquals(0, demo.awaitExit(120_000), demo.describe());
            final List<String> lines = demo.lines();
            assertTrue(lines.contains("check star: radix egress copies per packet 16.00 = receivers 16: OK"), demo.describe());
            assertTrue(lines.stream().anyMatch(line -> line.matches(
                "check tree: radix egress copies per packet [0-2]\\.\\d\\d <= fan-out 2: OK")), demo.describe());
            final String frames = lines.stream().filter(line -> line.startsWith("frames per viewer")).findFirst().orElseThrow();
            final Matcher counts = Pattern.compile("(\\d+) / 300\\s+(\\d+) / 300").matcher(frames);
            assertTrue(counts.find(), frames);
            // Every viewer saw (nearly) the whole clip in both runs; exact delivery is SeparateProcessesIT's check.
            assertTrue(Integer.parseInt(counts.group(1)) >= 270 && Integer.parseInt(counts.group(2)) >= 270, frames);
            for (final String file : List.of("streamsmart-summary.csv", "streamsmart-clones.csv", "radix-egress-copies.png",
                "radix-cpu.png", "latency-by-depth.png"))
            {
                assertTrue(Files.size(out.resolve(file)) > 100, file);
            }
            assertEquals(2 * 17 + 1, Files.readAllLines(out.resolve("streamsmart-clones.csv")).size());
        }
        Environment.requireCommand("ffprobe");
        assertEquals("0", probeResult.get(0), "ffprobe exit status; stderr: " + probeResult.get(2));
        assertEquals("", probeResult.get(2).trim(), "ffprobe reported decoding errors");
        final String[] decoded = probeResult.get(1).trim().split("\\R");
        assertTrue(decoded.length >= 30, "ffprobe decoded " + decoded.length + " frames in 3 s of the live stream");
        assertTrue(decoded[0].startsWith("1,I"), "the leaf's RTSP session starts at a keyframe: " + decoded[0]);
    }

    private static int indexOf(final List<String> lines, final String prefix)
    {
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).startsWith(prefix))
            {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }
}
