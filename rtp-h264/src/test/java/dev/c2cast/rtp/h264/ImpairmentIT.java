package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

import dev.c2cast.testkit.FakeClock;
import dev.c2cast.testkit.Impairment;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our receiver (jitter buffer at 50 ms, then depacketizer) behind a seeded impaired link, its Annex B output decoded by
 * FFmpeg and compared frame by frame with the reference decode; under loss, the same trace replayed in real time to
 * GStreamer ({@code rtpjitterbuffer ! rtph264depay ! h264parse ! avdec_h264}) for comparison.
 */
class ImpairmentIT
{
    /** A seeded trace: arrival time and packet index of every copy that arrives, in arrival order. */
    record Trace(List<long[]> arrivals, boolean[] dropped)
    {
        static Trace of(final int packets, final Impairment link, final long seed)
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final List<long[]> arrivals = new ArrayList<>();
            final boolean[] dropped = new boolean[packets];
            long order = 0;
            for (int i = 0; i < packets; i++)
            {
                // 30 frames/s with ~10 packets a frame: send one packet every 3 ms
                final long sent = i * 3_000_000L;
                final int copies = link.copies(random);
                dropped[i] = copies == 0;
                final long held = link.reorder(random) ? 4_000_000L : 0;
                for (int c = 0; c < copies; c++)
                {
                    arrivals.add(new long[] {sent + held + link.delayNanos(random), i, order++});
                }
            }
            arrivals.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[2], b[2]));
            return new Trace(arrivals, dropped);
        }
    }

    private static List<byte[]> packetize(final Media.Clip clip)
    {
        final H264Packetizer packetizer = new H264Packetizer(PacketizerConfig.defaults(0x10ad, 1000));
        final List<byte[]> packets = new ArrayList<>();
        final List<ByteBuf> aus = clip.accessUnits();
        for (int k = 0; k < aus.size(); k++)
        {
            packets.addAll(TestStreams.packetize(packetizer, aus.get(k), clip.pts90k().get(k)));
        }
        return packets;
    }

    /** Runs our receiver over the trace in virtual time; returns the Annex B output and the access-unit count. */
    private static byte[] receive(final List<byte[]> packets, final Trace trace, final int[] accessUnits)
    {
        final FakeClock clock = new FakeClock();
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        final H264Depacketizer depacketizer = new H264Depacketizer((au, ts, key, complete) ->
        {
            accessUnits[0]++;
            final byte[] b = new byte[au.readableBytes()];
            au.getBytes(au.readerIndex(), b);
            out.writeBytes(b);
        });
        depacketizer.expectSequenceNumber(1000);
        final JitterBuffer jb = new JitterBuffer(1024, 50_000_000L, clock, new JitterBufferListener()
        {
            @Override
            public void onPacket(final ByteBuf packet, final long extendedSequence)
            {
                depacketizer.onPacket(packet);
                packet.release();
            }

            @Override
            public void onLoss(final long first, final long count)
            {
                depacketizer.onLoss();
            }
        });
        for (final long[] a : trace.arrivals())
        {
            while (jb.nextDeadlineNanos() <= a[0])
            {
                clock.advanceTo(Math.max(clock.nanoTime(), jb.nextDeadlineNanos()));
                jb.poll();
            }
            clock.advanceTo(a[0]);
            jb.offer(Unpooled.wrappedBuffer(packets.get((int)a[1])));
            jb.poll();
        }
        clock.advanceNanos(50_000_000L);
        jb.poll();
        jb.flush();
        depacketizer.flush();
        assertEquals(0, jb.late(), "no packet later than the 50 ms latency");
        return out.toByteArray();
    }

    private static List<String> decode(final byte[] annexB, final String name) throws IOException
    {
        final Path in = Media.DIR.resolve(name + ".h264");
        final Path md5 = Media.DIR.resolve(name + ".md5");
        Files.write(in, annexB);
        Media.run(60, List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", in.toString(),
            "-fps_mode", "passthrough", "-f", "framemd5", md5.toString()));
        return Media.framemd5(md5);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void reorderDuplicatesAndJitterAreFullyRecovered(final long seed) throws IOException
    {
        Media.requireTools();
        final Media.Clip clip = Media.clip("slices");
        final List<byte[]> packets = packetize(clip);
        final Trace trace = Trace.of(packets.size(), new Impairment(0, 0.02, 0.05, 1_000_000, 5_000_000), seed);
        final int[] aus = {0};
        final byte[] out = receive(packets, trace, aus);
        Captures.assertSameNalSequence(clip.annexB(), out, "impaired seed " + seed);
        assertEquals(clip.refMd5(), decode(out, "impaired-" + seed), "every frame intact");
    }

    @Test
    void lossNeverEmitsDamageRecoversAtTheNextIdrAndBeatsGstreamer() throws IOException
    {
        Media.requireTools();
        final Media.Clip clip = Media.clip("lossy");
        final List<byte[]> packets = packetize(clip);
        final int[] auOfPacket = new int[packets.size()];
        final Set<Integer> idr = new HashSet<>();
        int au = -1;
        long lastTs = -1;
        for (int i = 0; i < packets.size(); i++)
        {
            final RtpHeader h = new RtpHeader().wrap(Unpooled.wrappedBuffer(packets.get(i)));
            if (h.timestamp() != lastTs)
            {
                au++;
                lastTs = h.timestamp();
            }
            auOfPacket[i] = au;
            final int type = packets.get(i)[12] & 0x1F;
            if (type == NalUnitType.IDR || (type == NalUnitType.FU_A && (packets.get(i)[13] & 0x1F) == NalUnitType.IDR))
            {
                idr.add(au);
            }
        }
        final StringBuilder summary = new StringBuilder();
        for (final double loss : new double[] {0.01, 0.05})
        {
            final Trace trace = Trace.of(packets.size(), new Impairment(loss, 0, 0, 1_000_000, 5_000_000), 7);
            final int[] emitted = {0};
            final byte[] out = receive(packets, trace, emitted);
            final List<String> frames = decode(out, "loss-" + loss);
            // every frame we let through decodes exactly as the source, in order
            int r = 0;
            for (final String md5 : frames)
            {
                while (r < clip.refMd5().size() && !clip.refMd5().get(r).equals(md5))
                {
                    r++;
                }
                assertTrue(r < clip.refMd5().size(), "loss " + loss + ": an output frame is not an intact source frame in order");
                r++;
            }
            // every access unit from an IDR whose packets (and the one before) all arrived, until the next loss, is emitted
            int decodable = 0;
            boolean chain = false;
            for (int k = 0; k <= au; k++)
            {
                boolean clean = true;
                for (int i = 0; i < packets.size(); i++)
                {
                    if (trace.dropped()[i] && (auOfPacket[i] == k || (i + 1 < packets.size() && auOfPacket[i + 1] == k && auOfPacket[i] != k)))
                    {
                        clean = false;
                    }
                }
                chain = clean && (chain || idr.contains(k));
                decodable += chain ? 1 : 0;
            }
            assertTrue(frames.size() >= decodable, "loss " + loss + ": " + frames.size() + " frames >= " + decodable + " recoverable");
            final int[] gst = gstreamerIntact(clip, packets, trace, "loss-" + loss);
            final int gstIntact = gst[0];
            summary.append(String.format("loss %.0f%%: ours %d frames, all intact (of %d; %d recoverable), GStreamer %d frames, %d intact; ",
                loss * 100, frames.size(), clip.refMd5().size(), decodable, gst[1], gstIntact));
            assertTrue(frames.size() >= gstIntact, "no worse than GStreamer: " + summary);
        }
        System.out.println("[ImpairmentIT] " + summary);
    }

    /** Replays the trace in real time to GStreamer; returns output frames identical to some reference frame, and all. */
    private static int[] gstreamerIntact(final Media.Clip clip, final List<byte[]> packets, final Trace trace, final String name)
        throws IOException
    {
        final int port = Media.freePortPair();
        final Path yuv = Media.DIR.resolve(name + ".gst.yuv");
        Files.deleteIfExists(yuv);
        final Process gst = Media.start(Media.PROCESS_SECONDS, List.of("gst-launch-1.0", "-e", "-q",
            "udpsrc", "address=127.0.0.1", "port=" + port, "buffer-size=8388608",
            "caps=application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,payload=96",
            "!", "rtpjitterbuffer", "latency=50", "!", "rtph264depay", "!", "h264parse", "!", "avdec_h264",
            "!", "videoconvert", "!", "video/x-raw,format=I420", "!", "filesink", "location=" + yuv), Media.DIR.resolve(name + ".gst.log"));
        try (Media.UdpSender sender = new Media.UdpSender(port))
        {
            Media.await(() -> Media.udpBound(port), 15_000, "GStreamer to bind");
            final long start = System.nanoTime();
            for (final long[] a : trace.arrivals())
            {
                LockSupport.parkNanos(start + a[0] - System.nanoTime());
                sender.send(packets.get((int)a[1]), 0);
            }
            Media.awaitQuiet(yuv, 0, Media.GST_QUIET_MILLIS, 10_000, "GStreamer to drain");
            Media.interrupt(gst);
            Media.waitFor(gst, 20);
        }
        finally
        {
            gst.destroyForcibly();
        }
        final Set<String> ref = new HashSet<>(clip.refYuvMd5());
        int intact = 0;
        final List<String> frames = Media.yuvMd5(yuv, clip.width(), clip.height());
        for (final String md5 : frames)
        {
            intact += ref.contains(md5) ? 1 : 0;
        }
        return new int[] {intact, frames.size()};
    }
}
