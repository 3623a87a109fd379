package dev.c2cast.examples.microcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.c2cast.examples.streamsmart.ChildJvmAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An origin and three {@code device} processes on a loopback multicast group: the initiator and one more device have
 * cellular links, the third has none; MicroDownload's leases and reports travel over the library's reliable control
 * plane, segments are checked against the origin's manifest, and all three end with the origin's file.
 */
class DeviceProcessesIT
{
    @Test
    void threeDeviceProcessesShareTheDownloadAndEndWithTheOriginFile(@TempDir final Path dir) throws Exception
    {
        final byte[] video;
        try (InputStream in = DeviceProcessesIT.class.getResourceAsStream("/dev/c2cast/examples/media/video.mp4"))
        {
            video = in.readAllBytes();
        }
        final String sha = MicroCastDemo.sha256(video);
        final int httpPort;
        try (ServerSocket socket = new ServerSocket(0))
        {
            httpPort = socket.getLocalPort();
        }
        final int groupPort;
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            groupPort = socket.getLocalPort();
        }
        final String group = "239.255.67." + ThreadLocalRandom.current().nextInt(2, 250) + ":" + groupPort;
        final String url = "http://127.0.0.1:" + httpPort + "/video.mp4";
        final List<AutoCloseable> processes = new ArrayList<>();
        try
        {
            final Path manifest = dir.resolve("video.manifest");
            final AutoCloseable origin = ChildJvmAccess.start("origin", dir, "origin", "--port", Integer.toString(httpPort),
                "--dir", dir.resolve("origin").toString(), "--duration", "120", "--manifest", manifest.toString());
            processes.add(origin);
            ChildJvmAccess.awaitLine(origin, line -> line.startsWith("origin: http://"), 30_000);
            final String[][] devices = {
                {"2", "4"},
                {"3", "0"},
                {"1", "8"},
            };
            for (final String[] device : devices)
            {
                final List<String> args = new ArrayList<>(List.of("device", "--id", device[0], "--url", url, "--rate", device[1],
                    "--group", group, "--interface", "lo", "--dir", dir.resolve("d" + device[0]).toString(), "--peers", "1,2,3",
                    "--exit-when-complete", "--linger", "4", "--timeout", "90", "--manifest", manifest.toString()));
                if ("1".equals(device[0]))
                {
                    // Devices 2 (a cellular link) and 3 (none) start first; 2 joins the initiator's scheduler by itself.
                    args.add("--initiate");
                }
                final AutoCloseable process = ChildJvmAccess.start("device-" + device[0], dir, args.toArray(new String[0]));
                processes.add(process);
                final String started = ChildJvmAccess.awaitLine(process, line -> line.startsWith("device " + device[0] + ": microcast"),
                    30_000);
                assertTrue(started.contains("checked by SHA-256 manifest"), started);
            }
            for (int i = 1; i < processes.size(); i++)
            {
                final AutoCloseable device = processes.get(i);
                assertEquals(0, ChildJvmAccess.awaitExit(device, 120_000), ChildJvmAccess.describe(device));
                final String done = ChildJvmAccess.awaitLine(device, line -> line.contains("file complete"), 1_000);
                assertTrue(done.contains("SHA-256 " + sha), done);
            }
            // Device 2 joined the initiator's scheduler by itself over the control plane and was leased segments.
            final String joined = ChildJvmAccess.awaitLine(processes.get(1), line -> line.startsWith("device 2: 30/30"), 1_000);
            assertTrue(!joined.contains("(0 over cellular"), joined);
            final String cellularless = ChildJvmAccess.awaitLine(processes.get(2), line -> line.startsWith("device 3: 30/30"), 1_000);
            assertTrue(cellularless.contains("(0 over cellular, 30 from the group)"), cellularless);
        }
        finally
        {
            for (int i = processes.size() - 1; i >= 0; i--)
            {
                processes.get(i).close();
            }
        }
    }

}
