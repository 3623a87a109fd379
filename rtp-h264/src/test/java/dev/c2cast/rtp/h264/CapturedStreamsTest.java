package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import dev.c2cast.testkit.FakeClock;
import dev.c2cast.testkit.Impairment;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays RTP captured from FFmpeg ({@code -c copy -f rtp}) and GStreamer ({@code rtph264pay}) by
 * {@code ReceiverInteropIT}: clean, and through the jitter buffer behind a seeded impaired link (5 % reordering,
 * 2 % duplicates, 5 ms jitter), the depacketized NAL units must equal the source's byte for byte.
 */
class CapturedStreamsTest
{
    private static byte[] fixture(final String name) throws IOException
    {
        try (InputStream in = CapturedStreamsTest.class.getResourceAsStream("fixtures/" + name))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing fixture " + name);
            }
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "nob.h264,nob-ffmpeg.cap,nob-ffmpeg.sdp",
        "nob.h264,nob-gst-none.cap,",
        "nob.h264,nob-gst-zero-latency.cap,",
        "slices8.h264,slices8-ffmpeg.cap,slices-ffmpeg.sdp",
        "slices8.h264,slices8-gst-zero-latency.cap,"})
    void cleanAndImpairedReplaysGiveTheSourceNalUnits(final String source, final String capture, final String sdp) throws IOException
    {
        final List<byte[]> packets = Captures.read(new java.io.ByteArrayInputStream(fixture(capture)));
        final H264MediaDescription media = sdp == null ? null : H264MediaDescription.parse(new String(fixture(sdp), StandardCharsets.US_ASCII));
        final byte[] annexB = fixture(source);
        Captures.assertSameNalSequence(annexB, Captures.depacketize(packets, media, new int[1]), capture + " clean");
        for (long seed = 1; seed <= 5; seed++)
        {
            final List<byte[]> ordered = throughJitterBuffer(packets, new Impairment(0, 0.02, 0.05, 1_000_000, 5_000_000), seed, 50_000_000);
            Captures.assertSameNalSequence(annexB, Captures.depacketize(ordered, media, new int[1]), capture + " impaired, seed " + seed);
        }
    }

    /**
     * Sends packets 1 ms apart over a seeded impaired link into a jitter buffer driven by a virtual clock; returns what
     * the jitter buffer released, in order.
     */
    static List<byte[]> throughJitterBuffer(final List<byte[]> packets, final Impairment link, final long seed, final long latencyNanos)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final PriorityQueue<long[]> arrivals = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[2], b[2]));
        long order = 0;
        for (int i = 0; i < packets.size(); i++)
        {
            final long sent = i * 1_000_000L;
            final int copies = link.copies(random);
            final long held = link.reorder(random) ? 2_000_000L : 0;
            for (int c = 0; c < copies; c++)
            {
                arrivals.add(new long[] {sent + held + link.delayNanos(random), i, order++});
            }
        }
        final FakeClock clock = new FakeClock();
        final List<byte[]> out = new ArrayList<>();
        final JitterBuffer jb = new JitterBuffer(1024, latencyNanos, clock, new JitterBufferListener()
        {
            @Override
            public void onPacket(final ByteBuf packet, final long extendedSequence)
            {
                final byte[] p = new byte[packet.readableBytes()];
                packet.getBytes(packet.readerIndex(), p);
                out.add(p);
                packet.release();
            }

            @Override
            public void onLoss(final long first, final long count)
            {
                out.add(null);
            }
        });
        while (!arrivals.isEmpty())
        {
            final long[] a = arrivals.poll();
            while (jb.nextDeadlineNanos() <= a[0])
            {
                clock.advanceTo(Math.max(clock.nanoTime(), jb.nextDeadlineNanos()));
                jb.poll();
            }
            clock.advanceTo(a[0]);
            jb.offer(Unpooled.wrappedBuffer(packets.get((int)a[1])));
            jb.poll();
        }
        clock.advanceNanos(latencyNanos);
        jb.poll();
        jb.flush();
        if (link.lossProbability() == 0)
        {
            assertEquals(0, jb.late(), "late packets");
            assertEquals(0, jb.lost(), "lost packets");
        }
        out.removeIf(p -> p == null);
        return out;
    }
}
