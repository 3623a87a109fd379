package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import dev.c2cast.testkit.Environment;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Test clips made with ffmpeg/libx264, reference decodes, processes with bounded lifetimes, and loopback UDP. */
final class Media
{
    static final Path DIR = Path.of("target", "it-media").toAbsolutePath();
    /**
     * How long a GStreamer receiver's output must stay unchanged before it is told to stop (SIGINT, EOS). On EOS
     * {@code udpsrc} stops reading, so a receiver starved of CPU on a loaded machine must have had time to read the
     * last datagrams.
     */
    static final long GST_QUIET_MILLIS = 2_000;
    /**
     * Lifetime bound of an interop process ({@code timeout -k 5 N}): generous, because a receiver killed by the bound
     * while the machine is loaded leaves a truncated output (a GStreamer filesink cut mid-frame), not a clean failure.
     */
    static final int PROCESS_SECONDS = 90;
    private static final Map<String, Clip> CLIPS = new HashMap<>();

    /** A generated clip: mp4, Annex B, per-frame reference MD5s (ffmpeg framemd5 and raw I420) and timestamps. */
    record Clip(String name, Path mp4, Path h264, byte[] annexB, List<String> refMd5, List<String> refYuvMd5, int width, int height,
                List<Long> pts90k)
    {
        List<ByteBuf> accessUnits()
        {
            return Media.accessUnits(annexB);
        }
    }

    private Media()
    {
    }

    static void requireTools()
    {
        Environment.requireCommand("ffmpeg");
        Environment.requireCommand("ffprobe");
        Environment.requireCommand("gst-launch-1.0");
        Environment.requireCommand("timeout");
    }

    static synchronized Clip clip(final String name)
    {
        final Clip cached = CLIPS.get(name);
        if (cached != null)
        {
            return cached;
        }
        try
        {
            Files.createDirectories(DIR);
            final String noisy = "testsrc2=size=640x480:rate=30,noise=alls=12:allf=t";
            final String[] args;
            switch (name)
            {
                case "nob":
                    args = new String[] {"testsrc=size=320x240:rate=30", "-profile:v", "baseline", "-bf", "0", "-x264-params", "repeat-headers=1"};
                    break;
                case "bf":
                    args = new String[] {noisy, "-profile:v", "high", "-bf", "2", "-b:v", "2M", "-maxrate", "2M", "-bufsize", "1M",
                        "-x264-params", "repeat-headers=1"};
                    break;
                case "slices":
                    args = new String[] {noisy, "-profile:v", "main", "-bf", "0", "-b:v", "2M", "-maxrate", "2M", "-bufsize", "1M",
                        "-x264-params", "repeat-headers=1:aud=1:slices=4"};
                    break;
                case "mode0":
                    args = new String[] {noisy, "-profile:v", "baseline", "-bf", "0", "-b:v", "2M", "-maxrate", "2M", "-bufsize", "1M",
                        "-x264-params", "repeat-headers=1:slice-max-size=1188"};
                    break;
                case "lossy":
                    args = new String[] {"testsrc2=size=320x240:rate=30,noise=alls=12:allf=t", "-profile:v", "main", "-bf", "0", "-b:v", "1M",
                        "-maxrate", "1M", "-bufsize", "500k", "-x264-params", "repeat-headers=1:aud=1:slices=2"};
                    break;
                default:
                    throw new IllegalArgumentException(name);
            }
            final Path mp4 = DIR.resolve(name + ".mp4");
            final Path h264 = DIR.resolve(name + ".h264");
            final Path md5 = DIR.resolve(name + ".ref.md5");
            final Path yuv = DIR.resolve(name + ".ref.yuv");
            // safe if integration tests ever run in several JVMs at once: one generates a clip, the others wait
            try (java.nio.channels.FileChannel lockFile = java.nio.channels.FileChannel.open(DIR.resolve(name + ".lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                 java.nio.channels.FileLock lock = lockFile.lock())
            {
                if (lock.isValid() && !Files.exists(yuv))
                {
                    final List<String> enc = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi",
                        "-i", args[0], "-t", name.equals("lossy") ? "3" : "2", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                        "-g", name.equals("lossy") ? "10" : "30", "-keyint_min", name.equals("lossy") ? "10" : "30",
                        "-sc_threshold", "0"));
                    enc.addAll(List.of(args).subList(1, args.length));
                    enc.add(mp4.toString());
                    run(120, enc);
                    run(60, List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", mp4.toString(), "-c", "copy",
                        "-bsf:v", "h264_mp4toannexb", "-f", "h264", h264.toString()));
                    run(60, List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", h264.toString(),
                        "-fps_mode", "passthrough", "-f", "framemd5", md5.toString()));
                    final Path partial = DIR.resolve(name + ".ref.yuv.partial");
                    run(60, List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", h264.toString(),
                        "-f", "rawvideo", "-pix_fmt", "yuv420p", partial.toString()));
                    Files.move(partial, yuv, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
            final String probe = run(60, List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=width,height,time_base", "-of", "default=noprint_wrappers=1", mp4.toString()));
            final Map<String, String> fields = new HashMap<>();
            for (final String line : probe.split("\n"))
            {
                final int eq = line.indexOf('=');
                if (eq > 0)
                {
                    fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
            final int width = Integer.parseInt(fields.get("width"));
            final int height = Integer.parseInt(fields.get("height"));
            final String[] tb = fields.get("time_base").split("/");
            final long num = Long.parseLong(tb[0]);
            final long den = Long.parseLong(tb[1]);
            final List<Long> pts = new ArrayList<>();
            for (final String line : run(60, List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts",
                "-of", "csv=p=0", mp4.toString())).split("\n"))
            {
                if (!line.isBlank())
                {
                    pts.add(Long.parseLong(line.trim().replace(",", "")) * 90000L * num / den);
                }
            }
            final Clip clip = new Clip(name, mp4, h264, Files.readAllBytes(h264), framemd5(md5), yuvMd5(yuv, width, height), width, height, pts);
            assertEquals(clip.pts90k().size(), clip.accessUnits().size(), "one access unit per mp4 sample");
            assertEquals(clip.refMd5().size(), clip.refYuvMd5().size());
            CLIPS.put(name, clip);
            return clip;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static List<ByteBuf> accessUnits(final byte[] annexB)
    {
        final List<ByteBuf> aus = new ArrayList<>();
        final AccessUnitSplitter splitter = new AccessUnitSplitter();
        final ByteBuf[] current = {Unpooled.buffer()};
        AnnexB.forEachNalUnit(Unpooled.wrappedBuffer(annexB), (b, i, l) ->
        {
            if (splitter.startsAccessUnit(b, i, l))
            {
                aus.add(current[0]);
                current[0] = Unpooled.buffer();
            }
            AnnexB.writeNalUnit(current[0], b, i, l);
        });
        if (current[0].isReadable())
        {
            aus.add(current[0]);
        }
        return aus;
    }

    static String run(final int seconds, final List<String> command)
    {
        final Process process = start(seconds, command, null);
        try
        {
            final byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(seconds + 10L, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                fail("timed out: " + command);
            }
            final String text = new String(out, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), () -> "failed: " + command + "\n" + text);
            return text;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Starts a command under {@code timeout -k 5 N}; output to {@code log} or to a pipe (stderr merged). */
    static Process start(final int seconds, final List<String> command, final Path log)
    {
        final List<String> full = new ArrayList<>(List.of("timeout", "-k", "5", "--preserve-status", Integer.toString(seconds)));
        full.addAll(command);
        final ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        if (log != null)
        {
            pb.redirectOutput(log.toFile());
        }
        try
        {
            return pb.start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static int waitFor(final Process process, final int seconds)
    {
        try
        {
            if (!process.waitFor(seconds, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                fail("process did not end within " + seconds + " s");
            }
            return process.exitValue();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    static void interrupt(final Process process)
    {
        run(10, List.of("kill", "-INT", Long.toString(process.pid())));
    }

    static List<String> framemd5(final Path file)
    {
        try
        {
            final List<String> md5 = new ArrayList<>();
            for (final String line : Files.readAllLines(file))
            {
                if (!line.isBlank() && !line.startsWith("#"))
                {
                    final String[] parts = line.split(",");
                    md5.add(parts[parts.length - 1].trim());
                }
            }
            return md5;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static List<String> yuvMd5(final Path file, final int width, final int height)
    {
        try
        {
            final byte[] data = Files.readAllBytes(file);
            final int frame = width * height * 3 / 2;
            final List<String> md5 = new ArrayList<>();
            final MessageDigest digest = MessageDigest.getInstance("MD5");
            for (int i = 0; i + frame <= data.length; i += frame)
            {
                digest.update(data, i, frame);
                md5.add(HexFormat.of().formatHex(digest.digest()));
            }
            return md5;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static void await(final BooleanSupplier condition, final long timeoutMillis, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out after " + timeoutMillis + " ms waiting for " + what);
            }
            LockSupport.parkNanos(10_000_000L);
        }
    }

    /**
     * Waits until a file has at least {@code minBytes} and has not grown for {@code quietMillis}, so a receiver has
     * drained its pipeline before it is told to stop.
     */
    static void awaitQuiet(final Path file, final long minBytes, final long quietMillis, final long timeoutMillis, final String what)
    {
        final long[] last = {-1, System.nanoTime()};
        await(() ->
        {
            final long size = file.toFile().length();
            if (size != last[0])
            {
                last[0] = size;
                last[1] = System.nanoTime();
                return false;
            }
            return size >= minBytes && System.nanoTime() - last[1] > quietMillis * 1_000_000L;
        }, timeoutMillis, what);
    }

    /** Whether some socket is bound to a local UDP port (from /proc/net/udp). */
    static boolean udpBound(final int port)
    {
        final String hex = String.format(Locale.ROOT, ":%04X ", port);
        try
        {
            for (final String file : List.of("/proc/net/udp", "/proc/net/udp6"))
            {
                final Path p = Path.of(file);
                if (Files.exists(p))
                {
                    for (final String line : Files.readAllLines(p))
                    {
                        final String[] cols = line.trim().split("\\s+");
                        if (cols.length > 1 && (cols[1] + " ").contains(hex))
                        {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT =
        new java.util.concurrent.atomic.AtomicInteger(20000 + 2 * (int)(ProcessHandle.current().pid() % 2000));

    /** An even port below the ephemeral range such that it and the next three ports are free now. */
    static int freePortPair()
    {
        for (int attempt = 0; attempt < 500; attempt++)
        {
            final int port = 20000 + (NEXT_PORT.getAndAdd(4) - 20000) % 12000;
            if (!udpBound(port) && !udpBound(port + 1) && !udpBound(port + 2) && !udpBound(port + 3))
            {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair");
    }

    /** Sends packets from the packetizer to one or more loopback ports. */
    static final class UdpSender implements RtpPacketSink, AutoCloseable
    {
        private final DatagramChannel channel;
        private final List<InetSocketAddress> targets = new ArrayList<>();
        private final ByteBuffer datagram = ByteBuffer.allocateDirect(65536);
        final List<byte[]> sent = new ArrayList<>();

        UdpSender(final int... ports)
        {
            try
            {
                channel = DatagramChannel.open();
                channel.bind(new InetSocketAddress("127.0.0.1", 0));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            for (final int port : ports)
            {
                targets.add(new InetSocketAddress("127.0.0.1", port));
            }
        }

        @Override
        public void onPacket(final ByteBuf header, final ByteBuf payload, final int index, final int length)
        {
            final byte[] packet = packet(header, payload, index, length);
            sent.add(packet);
            send(packet, 0);
        }

        /** A sink that sends each packet to the target at {@code targetIndex} only (not recorded in {@link #sent}). */
        RtpPacketSink onlyTo(final int targetIndex)
        {
            final InetSocketAddress target = targets.get(targetIndex);
            return (header, payload, index, length) -> sendTo(packet(header, payload, index, length), target);
        }

        void send(final byte[] packet, final int portOffset)
        {
            for (final InetSocketAddress target : targets)
            {
                sendTo(packet, new InetSocketAddress(target.getAddress(), target.getPort() + portOffset));
            }
        }

        private static byte[] packet(final ByteBuf header, final ByteBuf payload, final int index, final int length)
        {
            final byte[] packet = new byte[header.readableBytes() + length];
            header.getBytes(header.readerIndex(), packet, 0, header.readableBytes());
            payload.getBytes(index, packet, header.readableBytes(), length);
            return packet;
        }

        private void sendTo(final byte[] packet, final InetSocketAddress target)
        {
            try
            {
                datagram.clear();
                datagram.put(packet).flip();
                channel.send(datagram, target);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public void close() throws IOException
        {
            channel.close();
        }
    }
}
