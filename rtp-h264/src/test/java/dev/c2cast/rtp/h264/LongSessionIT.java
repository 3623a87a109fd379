package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.c2cast.testkit.Environment;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

/**
 * A 120 s session with {@code Session: ...;timeout=60} stays up with the real clients: FFmpeg and GStreamer
 * {@code rtspsrc}, each over UDP and over TCP, play one looping live path at the same time for 120 s. The server must
 * never expire a session (its UDP sessions live only on the clients' RTCP and keep-alive requests), all four sessions
 * must be alive throughout, and every client must get intact frames until the end.
 */
class LongSessionIT
{
    private static final int SECONDS = 120;
    private static final long FRAME_NANOS = 33_333_333L;

    @Test
    void fourRealClientsStayUpForTwoMinutesWithASixtySecondTimeout() throws InterruptedException, IOException
    {
        Media.requireTools();
        Environment.require(gstElement("checksumsink"), "GStreamer checksumsink (gstreamer1.0-plugins-bad) is needed");
        final Media.Clip clip = Media.clip("nob");
        final List<ByteBuf> aus = clip.accessUnits();
        final byte[][] params = SenderInteropIT.parameterSets(aus.get(0));
        final long clipTicks = aus.size() * 3000L;
        try (RtspServer server = RtspServer.start(RtspServerConfig.defaults().withSessionTimeoutSeconds(60), new SplittableRandom(23)))
        {
            final LiveStream stream = server.publish("/loop", H264MediaDescription.of(96, 1, params[0], params[1], null));
            final String url = "rtsp://127.0.0.1:" + server.port() + "/loop";
            final List<String> names = List.of("ffmpeg-udp", "ffmpeg-tcp", "gst-udp", "gst-tcp");
            final List<Process> clients = new ArrayList<>();
            final List<Path> outputs = new ArrayList<>();
            for (final String name : names)
            {
                final String transport = name.substring(name.indexOf('-') + 1);
                final Path out = Media.DIR.resolve("long-" + name + ".txt");
                Files.deleteIfExists(out);
                outputs.add(out);
                clients.add(name.startsWith("ffmpeg")
                    ? Media.start(SECONDS + 20, List.of("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-rtsp_transport", transport,
                        "-i", url, "-t", Integer.toString(SECONDS), "-fps_mode", "passthrough", "-f", "framemd5", out.toString()),
                        Media.DIR.resolve("long-" + name + ".log"))
                    : Media.start(SECONDS + 20, List.of("gst-launch-1.0", "-e", "-q", "rtspsrc", "location=" + url, "protocols=" + transport,
                        "latency=200", "!", "rtph264depay", "!", "h264parse", "!", "avdec_h264", "!", "videoconvert", "!",
                        "video/x-raw,format=I420", "!", "checksumsink", "hash=md5"), out));
            }
            try
            {
                Media.await(() -> stream.playingSessions() == names.size(), 20_000, "all four clients to PLAY");
                final long start = System.nanoTime();
                final long end = start + TimeUnit.SECONDS.toNanos(SECONDS + 5);
                int minSessions = Integer.MAX_VALUE;
                long nextSample = start + TimeUnit.SECONDS.toNanos(1);
                for (long k = 0; System.nanoTime() < end && (clients.get(0).isAlive() || clients.get(1).isAlive()); k++)
                {
                    LockSupport.parkNanos(start + k * FRAME_NANOS - System.nanoTime());
                    final int index = (int)(k % aus.size());
                    stream.send(aus.get(index), (k / aus.size()) * clipTicks + clip.pts90k().get(index));
                    if (System.nanoTime() >= nextSample && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(SECONDS - 2))
                    {
                        nextSample += TimeUnit.SECONDS.toNanos(1);
                        minSessions = Math.min(minSessions, server.sessions());
                    }
                }
                assertEquals(0, server.expiredSessions(), "sessions expired by the server");
                assertEquals(names.size(), minSessions, "sessions alive at every sample during " + (SECONDS - 2) + " s");
                for (int c = 2; c < clients.size(); c++)
                {
                    if (clients.get(c).isAlive())
                    {
                        Media.interrupt(clients.get(c));
                    }
                }
                for (final Process client : clients)
                {
                    Media.waitFor(client, 15);
                }
            }
            finally
            {
                clients.forEach(Process::destroyForcibly);
            }
            final Set<String> refFfmpeg = new HashSet<>(clip.refMd5());
            final Set<String> refYuv = new HashSet<>(clip.refYuvMd5());
            final StringBuilder summary = new StringBuilder("[LongSessionIT] timeout=60, expired=0;");
            for (int c = 0; c < names.size(); c++)
            {
                final boolean ffmpeg = names.get(c).startsWith("ffmpeg");
                final List<Double> frames = ffmpeg ? ffmpegFrames(outputs.get(c)) : gstFrames(outputs.get(c));
                final List<String> hashes = ffmpeg ? Media.framemd5(outputs.get(c)) : gstHashes(outputs.get(c));
                for (final String h : hashes)
                {
                    assertTrue((ffmpeg ? refFfmpeg : refYuv).contains(h), names.get(c) + ": a frame differs from every reference frame: " + h);
                }
                final double span = frames.get(frames.size() - 1) - frames.get(0);
                assertTrue(frames.size() >= (SECONDS - 3) * 30, names.get(c) + ": only " + frames.size() + " frames");
                assertTrue(span >= SECONDS - 3, names.get(c) + ": frames span only " + span + " s");
                summary.append(' ').append(names.get(c)).append(' ').append(frames.size()).append(" intact frames over ")
                    .append(String.format("%.1f", span)).append(" s;");
            }
            System.out.println(summary);
        }
    }

    private static boolean gstElement(final String name)
    {
        try
        {
            final Process p = new ProcessBuilder("timeout", "-k", "5", "20", "gst-inspect-1.0", name).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Per frame, its pts in seconds, from a framemd5 file and its {@code #tb} line. */
    private static List<Double> ffmpegFrames(final Path file) throws IOException
    {
        double timeBase = 1.0 / 90_000;
        final List<Double> frames = new ArrayList<>();
        for (final String line : Files.readAllLines(file))
        {
            if (line.startsWith("#tb 0:"))
            {
                final String[] tb = line.substring(6).trim().split("/");
                timeBase = Double.parseDouble(tb[0]) / Double.parseDouble(tb[1]);
            }
            else if (!line.isBlank() && !line.startsWith("#"))
            {
                frames.add(Long.parseLong(line.split(",")[2].trim()) * timeBase);
            }
        }
        return frames;
    }

    /** Per frame, its pts in seconds, from checksumsink lines {@code H:MM:SS.nnnnnnnnn md5}. */
    private static List<Double> gstFrames(final Path file)
    {
        final List<Double> frames = new ArrayList<>();
        for (final String line : lines(file))
        {
            final String[] hms = line.split(" ")[0].split(":");
            frames.add(Integer.parseInt(hms[0]) * 3600 + Integer.parseInt(hms[1]) * 60 + Double.parseDouble(hms[2]));
        }
        return frames;
    }

    private static List<String> gstHashes(final Path file)
    {
        final List<String> hashes = new ArrayList<>();
        for (final String line : lines(file))
        {
            hashes.add(line.split(" ")[1]);
        }
        return hashes;
    }

    private static List<String> lines(final Path file)
    {
        try
        {
            final List<String> lines = new ArrayList<>();
            for (final String line : Files.readAllLines(file))
            {
                if (line.matches("\\d+:\\d\\d:\\d\\d\\.\\d+ [0-9a-f]{32}"))
                {
                    lines.add(line);
                }
            }
            return lines;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
