package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import dev.c2cast.testkit.Environment;

/**
 * A player (ffprobe) reads an MP4 from the playback server while only the first half of its segments is stored;
 * then the download finishes and the whole file is served intact.
 */
class FfprobePlaybackIT
{
    private static final int SEGMENT = 16 * 1024;

    @TempDir
    Path dir;

    @Test
    void ffprobeReadsDurationAndStreamsAtHalfDownload() throws Exception
    {
        Environment.requireCommand("ffmpeg");
        Environment.requireCommand("ffprobe");
        final Path mp4 = dir.resolve("clip.mp4");
        final Process ffmpeg = new ProcessBuilder("timeout", "-k", "5", "60", "ffmpeg", "-nostdin", "-v", "error",
            "-f", "lavfi", "-i", "testsrc=duration=10:size=320x240:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=10",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            "-movflags", "+faststart", "-y", mp4.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        assertTrue(ffmpeg.waitFor(70, TimeUnit.SECONDS), "ffmpeg timed out");
        assertEquals(0, ffmpeg.exitValue(), () -> read(dir.resolve("ffmpeg.log")));
        final byte[] video = Files.readAllBytes(mp4);
        final long size = video.length;
        final SegmentStore store = SegmentStore.open(dir.resolve("store"), size, SEGMENT, "");
        final int count = store.segmentCount();
        final int half = count / 2;
        assertTrue(count >= 8, "clip too small to be cut in halves: " + size + " bytes");

        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        final ExecutorService requesterThread = Executors.newSingleThreadExecutor();
        try (FileProducer producer = FileProducer.of(mp4, ByteBufAllocator.DEFAULT);
            PlaybackServer server = PlaybackServer.start(store, "/clip.mp4", "video/mp4", TimeUnit.SECONDS.toNanos(2),
                group, new InetSocketAddress("127.0.0.1", 0)))
        {
            for (int i = 0; i < half; i++)
            {
                final var buf = producer.fetch(store.range(i)).get(10, TimeUnit.SECONDS);
                try
                {
                    store.put(store.range(i), buf);
                }
                finally
                {
                    buf.release();
                }
            }
            final String url = "http://127.0.0.1:" + server.localAddress().getPort() + "/clip.mp4";
            final Process ffprobe = new ProcessBuilder("timeout", "-k", "5", "30", "ffprobe", "-v", "error",
                "-show_entries", "format=duration:stream=codec_type,codec_name,width,height",
                "-of", "default=noprint_wrappers=1", url)
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffprobe.out").toFile()).start();
            assertTrue(ffprobe.waitFor(40, TimeUnit.SECONDS), "ffprobe timed out");
            final String out = read(dir.resolve("ffprobe.out"));
            System.out.println("ffprobe at " + store.presentCount() + "/" + count + " segments:\n" + out);
            assertEquals(0, ffprobe.exitValue(), out);
            assertEquals(half, store.presentCount(), "the download was still at 50% while ffprobe read it");
            final Matcher duration = Pattern.compile("duration=([0-9.]+)").matcher(out);
            assertTrue(duration.find(), out);
            assertEquals(10.0, Double.parseDouble(duration.group(1)), 0.2, out);
            assertTrue(out.contains("codec_name=h264") && out.contains("codec_type=video"), out);
            assertTrue(out.contains("width=320") && out.contains("height=240"), out);
            assertTrue(out.contains("codec_name=aac") && out.contains("codec_type=audio"), out);

            // Finish the download with a session: the requester reuses the stored half, fetches the rest.
            final DownloadSession session = new DownloadSession(
                MicroDownloadConfig.defaults().withSegmentSize(SEGMENT), size, loop, System::nanoTime,
                new SplittableRandom(5), TimeUnit.MILLISECONDS.toNanos(50));
            final Requester requester = new Requester(0, producer, store, session.reports(), requesterThread);
            session.join(requester);
            session.completion().get(60, TimeUnit.SECONDS);
            assertEquals(half, requester.segmentsReused());
            assertEquals(count - half, requester.segmentsStored());
            final List<DeviceStatistics> stats = session.statistics();
            assertEquals(count, stats.get(0).segmentsCompleted());
            session.close();

            final HttpResponse<byte[]> whole = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, whole.statusCode());
            assertArrayEquals(video, whole.body());
        }
        finally
        {
            requesterThread.shutdownNow();
            loop.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static String read(final Path path)
    {
        try
        {
            return Files.readString(path, StandardCharsets.UTF_8);
        }
        catch (final java.io.IOException ex)
        {
            return "(no output: " + ex + ")";
        }
    }
}
