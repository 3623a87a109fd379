package dev.c2cast.examples.streamsmart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.c2cast.testkit.Environment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts for real: two network namespaces joined by a veth pair, each with its own address. The radix and a second
 * member run on host A, the first member on host B; with fan-out 1 the stream goes radix (A) -> c1 (B) -> c2 (A), so
 * every hop of streamsmart-tree's protocol crosses the link and each clone must advertise the right address (its
 * datagrams are checked against the directory). A phone on A sends RTP/UDP to the radix; a viewing phone on B plays
 * c2's RTSP stream across the link and receives the whole clip.
 */
class NamespacesIT
{
    private static final Pattern RTSP_URL = Pattern.compile("(rtsp://\\S+)");

    private static void run(final String... command) throws IOException, InterruptedException
    {
        final List<String> bounded = new ArrayList<>(List.of("timeout", "-k", "5", "20"));
        bounded.addAll(List.of(command));
        final Process process = new ProcessBuilder(bounded).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    }

    private static List<String> in(final String namespace)
    {
        return List.of("ip", "netns", "exec", namespace);
    }

    @Test
    void cloneOnAnotherHostRelaysAcrossTheLink(@TempDir final Path dir) throws Exception
    {
        Environment.requireRoot();
        Environment.requireCommand("ip");
        final int net = ThreadLocalRandom.current().nextInt(1, 250);
        final String suffix = Long.toString(ProcessHandle.current().pid());
        final String hostA = "c2ss" + suffix + "a";
        final String hostB = "c2ss" + suffix + "b";
        final String addressA = "10.99." + net + ".1";
        final String addressB = "10.99." + net + ".2";
        final List<ChildJvm> children = new ArrayList<>();
        try
        {
            run("ip", "netns", "add", hostA);
            run("ip", "netns", "add", hostB);
            run("ip", "-n", hostA, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", hostB);
            run("ip", "-n", hostA, "addr", "add", addressA + "/24", "dev", "eth0");
            run("ip", "-n", hostB, "addr", "add", addressB + "/24", "dev", "eth0");
            for (final String host : List.of(hostA, hostB))
            {
                run("ip", "-n", host, "link", "set", "lo", "up");
                run("ip", "-n", host, "link", "set", "eth0", "up");
            }
            final ChildJvm radix = new ChildJvm(in(hostA), "radix", dir, "clone", "--name", "radix", "--advertise", addressA,
                "--fanout", "1", "--stats-interval", "0", "--duration", "90");
            children.add(radix);
            radix.awaitLine(line -> line.contains(": radix"), 30_000);
            final ChildJvm first = new ChildJvm(in(hostB), "c1", dir, "clone", "--name", "c1", "--join", addressA + ":7400",
                "--stats-interval", "0", "--duration", "90");
            children.add(first);
            first.awaitLine(line -> line.contains("member at depth 1 under radix"), 30_000);
            final ChildJvm second = new ChildJvm(in(hostA), "c2", dir, "clone", "--name", "c2", "--join", addressA + ":7400",
                "--rtsp-port", "8555", "--stats-interval", "0", "--duration", "90");
            children.add(second);
            second.awaitLine(line -> line.contains("member at depth 2 under c1"), 30_000);
            final Matcher url = RTSP_URL.matcher(second.awaitLine(line -> line.contains("viewers at rtsp://"), 1_000));
            assertTrue(url.find());
            assertEquals("rtsp://" + addressA + ":8555/live", url.group(1), "c2 advertises host A's address");

            final Path received = dir.resolve("received.h264");
            final ChildJvm viewer = new ChildJvm(in(hostB), "phone-view", dir, "phone-view", "--url", url.group(1), "--out",
                received.toString(), "--frames", "300", "--idle", "10", "--duration", "60");
            children.add(viewer);
            viewer.awaitLine(line -> line.startsWith("phone-view: playing"), 30_000);
            final ChildJvm sender = new ChildJvm(in(hostA), "phone-send", dir, "phone-send", "--to", addressA + ":7401",
                "--fps", "60", "--ssrc", "4243");
            children.add(sender);
            assertEquals(0, sender.awaitExit(60_000), sender.describe());
            assertEquals(0, viewer.awaitExit(30_000), viewer.describe());
            final String summary = viewer.awaitLine(line -> line.contains(" frames ("), 1_000);
            assertTrue(summary.startsWith("phone-view: 300 frames (10 keyframes"), summary);
            assertEquals(Media.nalUnits(AccessUnitsTest.clip()), Media.nalUnits(Files.readAllBytes(received)),
                "the viewer on host B holds the whole clip");
        }
        finally
        {
            for (int i = children.size() - 1; i >= 0; i--)
            {
                children.get(i).close();
            }
            for (final String host : List.of(hostA, hostB))
            {
                new ProcessBuilder("timeout", "-k", "5", "20", "ip", "netns", "del", host).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
