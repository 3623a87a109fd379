package dev.c2cast.examples.streamsmart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Six JVMs on loopback, as on six hosts: a radix clone, three clones joining it, a sending phone pushing to the radix
 * with RTSP ANNOUNCE/RECORD, and a viewing phone at the last clone; the viewer receives the whole clip, bit-exact at
 * the NAL unit level. (Plain RTP/UDP from the phone is StreamSmartPathIT's and the demo's path.)
 */
class SeparateProcessesIT
{
    private static final Pattern RTSP_URL = Pattern.compile("(rtsp://\\S+)");
    private static final Pattern PUSH_URL = Pattern.compile("RTSP push to (rtsp://[^\\s,]+)");

    private static int freeTcpPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    @Test
    void radixThreeMembersSenderAndViewerAsSeparateProcesses(@TempDir final Path dir) throws Exception
    {
        final int controlPort = freeTcpPort();
        final int dataPort = freeUdpPort();
        final List<ChildJvm> children = new ArrayList<>();
        try
        {
            final ChildJvm radix = new ChildJvm("radix", dir, "clone", "--name", "radix", "--bind", "127.0.0.1",
                "--control-port", Integer.toString(controlPort), "--data-port", Integer.toString(dataPort), "--rtsp-port", "0",
                "--fanout", "2", "--stats-interval", "0", "--duration", "90");
            children.add(radix);
            final Matcher push = PUSH_URL.matcher(radix.awaitLine(line -> line.contains(": radix"), 30_000));
            assertTrue(push.find());
            final List<ChildJvm> members = new ArrayList<>();
            for (int i = 1; i <= 3; i++)
            {
                final ChildJvm member = new ChildJvm("c" + i, dir, "clone", "--name", "c" + i, "--bind", "127.0.0.1",
                    "--join", "127.0.0.1:" + controlPort, "--rtsp-port", "0", "--stats-interval", "0", "--duration", "90");
                children.add(member);
                members.add(member);
            }
            for (final ChildJvm member : members)
            {
                member.awaitLine(line -> line.contains("member at depth"), 30_000);
            }
            final ChildJvm leaf = members.get(2);
            final Matcher url = RTSP_URL.matcher(leaf.awaitLine(line -> line.contains("viewers at rtsp://"), 1_000));
            assertTrue(url.find());
            final Path received = dir.resolve("received.h264");
            final ChildJvm viewer = new ChildJvm("phone-view", dir, "phone-view", "--url", url.group(1), "--out",
                received.toString(), "--frames", "300", "--idle", "10", "--duration", "60");
            children.add(viewer);
            viewer.awaitLine(line -> line.startsWith("phone-view: playing"), 30_000);

            final ChildJvm sender = new ChildJvm("phone-send", dir, "phone-send", "--push", push.group(1), "--fps", "60",
                "--ssrc", "4242");
            children.add(sender);
            assertEquals(0, sender.awaitExit(60_000), sender.describe());
            assertEquals(0, viewer.awaitExit(30_000), viewer.describe());
            final String summary = viewer.awaitLine(line -> line.contains(" frames ("), 1_000);
            assertTrue(summary.startsWith("phone-view: 300 frames (10 keyframes"), summary);
            assertTrue(summary.contains(" 0 incomplete, 0 loss bursts"), summary);
            assertEquals(Media.nalUnits(AccessUnitsTest.clip()), Media.nalUnits(Files.readAllBytes(received)),
                "the viewer's file holds the whole clip");
            // Ctrl-C (here SIGTERM, the same shutdown hook) stops a clone promptly: 128 + 15.
            assertEquals(143, members.get(0).terminate(10_000), members.get(0).describe());
            assertEquals(143, radix.terminate(10_000), radix.describe());
        }
        finally
        {
            for (int i = children.size() - 1; i >= 0; i--)
            {
                children.get(i).close();
            }
        }
    }
}
