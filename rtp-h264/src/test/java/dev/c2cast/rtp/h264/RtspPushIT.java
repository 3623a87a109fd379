package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FFmpeg pushes a clip to our server with ANNOUNCE/RECORD over UDP and over interleaved TCP, and as plain RTP/UDP; the
 * application's {@link PushListener} gets the source's NAL units byte for byte, and an FFmpeg player of the re-served
 * path decodes every frame it gets identical to the reference, starting at the cached keyframe when it joins
 * mid-GOP.
 */
class RtspPushIT
{
    private static final int LOOPS = 3;
    private static RtspServer server;

    @BeforeAll
    static void start() throws InterruptedException
    {
        server = RtspServer.start(RtspServerConfig.defaults(), new SplittableRandom(17));
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

    /** Everything the application hears of one path, appended on the event loop. */
    private static final class Collector implements PushListener
    {
        final String path;
        final ByteArrayOutputStream annexB = new ByteArrayOutputStream();
        final AtomicInteger accessUnits = new AtomicInteger();
        final AtomicInteger ends = new AtomicInteger();

        Collector(final String path)
        {
            this.path = path;
        }

        @Override
        public void onAccessUnit(final LiveStream stream, final ByteBuf accessUnit, final long rtpTimestamp, final boolean keyframe)
        {
            if (stream.path().equals(path))
            {
                final byte[] bytes = new byte[accessUnit.readableBytes()];
                accessUnit.getBytes(accessUnit.readerIndex(), bytes);
                annexB.writeBytes(bytes);
                accessUnits.incrementAndGet();
            }
        }

        @Override
        public void onPushEnd(final LiveStream stream)
        {
            if (stream.path().equals(path))
            {
                ends.incrementAndGet();
            }
        }

        byte[] bytes()
        {
            return server.call(annexB::toByteArray);
        }
    }

    private static Process player(final String path, final String transport, final Path out, final String log)
    {
        return Media.start(60, List.of("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-rtsp_transport", transport, "-i", url(path),
            "-fps_mode", "passthrough", "-f", "framemd5", out.toString()), Media.DIR.resolve(log));
    }

    @ParameterizedTest(name = "push over {0}, play over {1}")
    @CsvSource({"udp,tcp", "tcp,udp"})
    void ffmpegPushesWithAnnounceRecordAndALatePlayerStartsAtTheCachedKeyframe(final String pushTransport, final String playTransport)
        throws IOException
    {
        Media.requireTools();
        final Media.Clip clip = Media.clip("nob");
        final int gop = 30;
        final String path = "/phone-" + pushTransport;
        final Collector app = new Collector(path);
        server.pushListener(app);
        final Path out = Media.DIR.resolve("push-" + pushTransport + ".md5");
        Files.deleteIfExists(out);
        final Process pusher = Media.start(60, List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-re", "-stream_loop",
            Integer.toString(LOOPS - 1), "-i", clip.mp4().toString(), "-map", "0:v", "-c:v", "copy", "-f", "rtsp", "-rtsp_transport",
            pushTransport, url(path)), Media.DIR.resolve("push-" + pushTransport + ".log"));
        Process player = null;
        final LiveStream stream;
        try
        {
            // join in the middle of the second GOP of the second loop
            final int frames = clip.refMd5().size();
            Media.await(() -> app.accessUnits.get() >= frames + gop + gop / 2, 20_000, "the push to pass mid-GOP");
            stream = server.stream(path);
            player = player(path, playTransport, out, "push-" + pushTransport + "-play.log");
            final Process p = player;
            Media.await(() -> stream.playingSessions() > 0 || !p.isAlive(), 15_000, "player to PLAY");
            assertEquals(0, Media.waitFor(pusher, 30), "pusher exit");
            Media.await(() -> app.ends.get() == 1, 5_000, "the push to end (TEARDOWN)");
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
        final ByteArrayOutputStream looped = new ByteArrayOutputStream();
        final List<String> loopedMd5 = new ArrayList<>();
        for (int loop = 0; loop < LOOPS; loop++)
        {
            looped.writeBytes(clip.annexB());
            loopedMd5.addAll(clip.refMd5());
        }
        Captures.assertSameNalSequence(looped.toByteArray(), app.bytes(), "pushed over " + pushTransport + ", as the application got it");
        final List<String> played = Media.framemd5(out);
        assertTrue(played.size() >= gop && played.size() % gop == 0, "the player starts at a keyframe: " + played.size() + " frames");
        assertEquals(loopedMd5.subList(loopedMd5.size() - played.size(), loopedMd5.size()), played, "every frame played is intact");
        assertEquals(1, stream.joins()[0], "the player joined from the GOP cache");
        System.out.println("[RtspPushIT] ANNOUNCE/RECORD over " + pushTransport + ": application got " + app.accessUnits.get() + " of "
            + loopedMd5.size() + " access units byte for byte; late player over " + playTransport + " got " + played.size()
            + " frames from the cached IDR on, all intact");
    }

    @Test
    void plainRtpFromFfmpegIsReServedIntact() throws IOException, InterruptedException
    {
        Media.requireTools();
        final Media.Clip clip = Media.clip("slices");
        final String path = "/rtp-in";
        final Collector app = new Collector(path);
        server.pushListener(app);
        final LiveStream stream = server.receiveRtp(path, new H264MediaDescription(96, 1, null, List.of(), null), 0);
        final Path out = Media.DIR.resolve("rtp-in.md5");
        Files.deleteIfExists(out);
        final Process player = player(path, "udp", out, "rtp-in-play.log");
        Process sender = null;
        try
        {
            Media.await(() -> stream.playingSessions() > 0 || !player.isAlive(), 15_000, "player to PLAY");
            sender = Media.start(60, List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-re", "-i", clip.mp4().toString(),
                "-map", "0:v", "-c:v", "copy", "-f", "rtp", "rtp://127.0.0.1:" + stream.receivePort() + "?pkt_size=1200"),
                Media.DIR.resolve("rtp-in-send.log"));
            assertEquals(0, Media.waitFor(sender, 30), "sender exit");
            Media.await(() -> app.accessUnits.get() == clip.refMd5().size(), 5_000, "every access unit");
            stream.end();
            Media.waitFor(player, 20);
        }
        finally
        {
            player.destroyForcibly();
            if (sender != null)
            {
                sender.destroyForcibly();
            }
        }
        Captures.assertSameNalSequence(clip.annexB(), app.bytes(), "plain RTP, as the application got it");
        assertEquals(clip.refMd5(), Media.framemd5(out), "every frame played is intact");
        System.out.println("[RtspPushIT] plain RTP/UDP from FFmpeg: " + app.accessUnits.get() + " access units byte for byte, "
            + clip.refMd5().size() + " frames played intact");
    }
}
