package dev.c2cast.examples.streamsmart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.c2cast.examples.internal.Await;
import dev.c2cast.examples.internal.Threads;
import dev.c2cast.streamsmart.tree.TopologyKind;
import dev.c2cast.testkit.Environment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live source instead of a clip: FFmpeg encodes its test pattern in real time and pushes it with RTSP
 * ANNOUNCE/RECORD to the radix's {@code /phone}, as any RTSP publisher (a phone's camera app) would; the stream crosses
 * two tree hops and a viewing phone at the deepest clone gets every frame intact.
 */
class LiveSourceIT
{
    private static final int FRAMES = 100;

    @Test
    void ffmpegPushingALiveEncodeReachesAViewerTwoHopsDown(@TempDir final Path dir) throws Exception
    {
        Environment.requireCommand("ffmpeg");
        final List<AutoCloseable> resources = new ArrayList<>();
        try
        {
            final CloudClone radix = new CloudClone(CloneSettings.radix("radix", TopologyKind.BALANCED_TREE, 1));
            resources.add(radix);
            final List<CloudClone> members = new ArrayList<>();
            for (int i = 1; i <= 2; i++)
            {
                final CloudClone member = new CloudClone(CloneSettings.member("c" + i, radix.controlAddress()));
                resources.add(member);
                members.add(member);
                Await.until(member::joined, 10_000, "c" + i + " joined");
            }
            final CloudClone leaf = members.get(1);
            Await.until(() -> leaf.stats().depth() == 2, 10_000, "c2 at depth 2");
            final PhoneViewer viewer = new PhoneViewer(URI.create(leaf.rtspUrl()), dir.resolve("received.h264"));
            resources.add(viewer);
            viewer.connect();
            final Thread viewing = Threads.start("viewer", () ->
            {
                try
                {
                    viewer.run(FRAMES, 3_000, 40_000);
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            final Process ffmpeg = new ProcessBuilder("timeout", "-k", "5", "40", "ffmpeg", "-hide_banner", "-nostdin", "-v", "error",
                "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-frames:v", Integer.toString(FRAMES),
                "-c:v", "libx264", "-profile:v", "baseline", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p",
                "-f", "rtsp", "-rtsp_transport", "tcp", radix.pushUrl())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
            assertTrue(ffmpeg.waitFor(45, TimeUnit.SECONDS), "ffmpeg still running");
            final String log = Files.readString(dir.resolve("ffmpeg.log"));
            assertEquals(0, ffmpeg.exitValue(), log);
            viewing.join(30_000);
            assertTrue(radix.pushedPackets() > FRAMES, "packets pushed: " + radix.pushedPackets());
            assertEquals(FRAMES, viewer.frames(), "frames at the viewer of the clone two hops down; ffmpeg: " + log);
            assertEquals(0, viewer.incompleteFrames());
            assertEquals(0, viewer.lossBursts());
        }
        finally
        {
            for (int i = resources.size() - 1; i >= 0; i--)
            {
                resources.get(i).close();
            }
        }
    }
}
