package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FFmpeg and GStreamer {@code rtspsrc}, over UDP and over TCP, play a clip from our RTSP server and every frame equals
 * the reference decode; FFmpeg pushes a clip with ANNOUNCE/RECORD and a player receives it through the server.
 */
class RtspInteropIT
{
    private static RtspServer server;

    @BeforeAll
    static void start() throws InterruptedException
    {
        server = RtspServer.start(RtspServerConfig.defaults(), new SplittableRandom(7));
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    private static String url(final String path)
    {
        return "rtsp://127.0.0.1:" + server.port() + path;
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"ffmpeg,udp", "ffmpeg,tcp", "gst,udp", "gst,tcp"})
    void playerDecodesEveryFrameIntact(final String player, final String transport) throws IOException
    {
        Media.requireTools();
        final Media.Clip clip = Media.clip("slices");
        final List<ByteBuf> aus = clip.accessUnits();
        final byte[][] params = SenderInteropIT.parameterSets(aus.get(0));
        final String path = "/live-" + player + "-" + transport;
        final LiveStream stream = server.publish(path, H264MediaDescription.of(96, 1, params[0], params[1], null));
        final Path out = Media.DIR.resolve("rtsp-" + player + "-" + transport + (player.equals("gst") ? ".yuv" : ".md5"));
        Files.deleteIfExists(out);
        final Process process = player.equals("ffmpeg")
            ? Media.start(Media.PROCESS_SECONDS, List.of("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-rtsp_transport", transport, "-i", url(path),
                "-fps_mode", "passthrough", "-f", "framemd5", out.toString()), Media.DIR.resolve("rtsp-" + player + "-" + transport + ".log"))
            : Media.start(Media.PROCESS_SECONDS, List.of("gst-launch-1.0", "-e", "-q", "rtspsrc", "location=" + url(path), "protocols=" + transport, "latency=200",
                "!", "rtph264depay", "!", "h264parse", "!", "avdec_h264", "!", "videoconvert", "!", "video/x-raw,format=I420",
                "!", "filesink", "location=" + out), Media.DIR.resolve("rtsp-" + player + "-" + transport + ".log"));
        try
        {
            Media.await(() -> stream.playingSessions() > 0, 15_000, player + " to PLAY");
            final long start = System.nanoTime();
            for (int k = 0; k < aus.size(); k++)
            {
                LockSupport.parkNanos(start + k * 16_666_666L - System.nanoTime());
                stream.send(aus.get(k), clip.pts90k().get(k));
            }
            if (player.equals("gst"))
            {
                // as in SenderInteropIT: IDRs after the clip push every frame GStreamer holds back out before EOS
                // (at EOS its UDP source stops reading, and datagrams still queued on a loaded machine are lost)
                final long lastPts = clip.pts90k().stream().mapToLong(Long::longValue).max().orElseThrow();
                for (int k = 1; k <= SenderInteropIT.FLUSH_IDRS; k++)
                {
                    LockSupport.parkNanos(16_666_666L);
                    stream.send(aus.get(0), lastPts + k * 3000L);
                }
            }
            stream.end();
            if (player.equals("gst"))
            {
                final long frameBytes = clip.width() * clip.height() * 3L / 2;
                Media.awaitQuiet(out, frameBytes * clip.refYuvMd5().size(), Media.GST_QUIET_MILLIS, 30_000, "GStreamer frames");
                if (process.isAlive())
                {
                    Media.interrupt(process);
                }
            }
            Media.waitFor(process, 20);
        }
        finally
        {
            process.destroyForcibly();
        }
        if (player.equals("ffmpeg"))
        {
            assertEquals(clip.refMd5(), Media.framemd5(out), player + "/" + transport + " frames vs reference");
        }
        else
        {
            final List<String> frames = Media.yuvMd5(out, clip.width(), clip.height());
            assertEquals(clip.refYuvMd5(), frames.subList(0, Math.min(clip.refYuvMd5().size(), frames.size())),
                player + "/" + transport + " frames vs reference (the flushing IDRs after the clip not compared)");
        }
    }

    @Test
    void phonePushesWithAnnounceAndRecordAndAPlayerReceivesIt() throws IOException
    {
        Media.requireTools();
        final Media.Clip clip = Media.clip("nob");
        final Path out = Media.DIR.resolve("rtsp-record.md5");
        Files.deleteIfExists(out);
        final Process pusher = Media.start(Media.PROCESS_SECONDS, List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-re", "-i", clip.mp4().toString(),
            "-map", "0:v", "-c:v", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", url("/phone")), Media.DIR.resolve("rtsp-record-push.log"));
        Process player = null;
        try
        {
            Media.await(() -> server.stream("/phone") != null, 15_000, "ANNOUNCE");
            final LiveStream stream = server.stream("/phone");
            assertNotNull(stream);
            player = Media.start(Media.PROCESS_SECONDS, List.of("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-rtsp_transport", "tcp", "-i", url("/phone"),
                "-fps_mode", "passthrough", "-f", "framemd5", out.toString()), Media.DIR.resolve("rtsp-record-play.log"));
            final Process p = player;
            Media.await(() -> stream.playingSessions() > 0 || !p.isAlive(), 15_000, "player to PLAY");
            assertEquals(0, Media.waitFor(pusher, 30), "pusher exit");
            stream.end();
            Media.waitFor(player, 20);
        }
        finally
        {
            pusher.destroyForcibly();
            if (player != null)
            {
                player.destroyForcibly();
            }
        }
        final List<String> frames = Media.framemd5(out);
        int r = 0;
        for (final String md5 : frames)
        {
            while (r < clip.refMd5().size() && !clip.refMd5().get(r).equals(md5))
            {
                r++;
            }
            assertTrue(r < clip.refMd5().size(), "every relayed frame is an intact source frame, in order");
            r++;
        }
        assertTrue(frames.size() >= 30, "at least the GOP after the player joined: " + frames.size() + " frames");
        System.out.println("[RtspInteropIT] ANNOUNCE/RECORD relay: " + frames.size() + " of " + clip.refMd5().size() + " frames, all intact");
    }
}
