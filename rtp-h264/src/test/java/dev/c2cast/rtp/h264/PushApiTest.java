package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.c2cast.testkit.Gen;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;

/**
 * The application side of a push: {@link PushListener} gets every access unit and RTP packet a client pushes with
 * ANNOUNCE/RECORD or as plain RTP/UDP, and a player joining the re-served stream mid-GOP starts at the cached IDR
 * access unit with parameter sets in-band.
 */
class PushApiTest
{
    private static final int GOP = 10;

    /** What the application heard, in order. */
    private static final class Recorder implements PushListener
    {
        final List<List<byte[]>> accessUnits = new CopyOnWriteArrayList<>();
        final List<Long> timestamps = new CopyOnWriteArrayList<>();
        final AtomicInteger packets = new AtomicInteger();
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger ends = new AtomicInteger();
        final List<String> refused = new CopyOnWriteArrayList<>();

        @Override
        public boolean acceptPush(final String path, final H264MediaDescription media)
        {
            if (path.startsWith("/private"))
            {
                refused.add(path);
                return false;
            }
            return true;
        }

        @Override
        public void onPushStart(final LiveStream stream)
        {
            starts.incrementAndGet();
        }

        @Override
        public void onRtpPacket(final LiveStream stream, final ByteBuf packet)
        {
            packets.incrementAndGet();
        }

        @Override
        public void onAccessUnit(final LiveStream stream, final ByteBuf accessUnit, final long rtpTimestamp, final boolean keyframe)
        {
            accessUnits.add(TestStreams.nals(PacketizerTest.bytes(accessUnit)));
            timestamps.add(rtpTimestamp);
        }

        @Override
        public void onPushEnd(final LiveStream stream)
        {
            ends.incrementAndGet();
        }
    }

    private static List<List<byte[]>> accessUnits(final long seed, final int count)
    {
        final Gen gen = new Gen(seed);
        final List<List<byte[]>> aus = new ArrayList<>();
        for (int k = 0; k < count; k++)
        {
            aus.add(TestStreams.accessUnit(gen, k % GOP == 0, true, 4000));
        }
        return aus;
    }

    private static void assertSameAccessUnits(final List<List<byte[]>> expected, final List<List<byte[]>> actual, final String what)
    {
        assertEquals(expected.size(), actual.size(), what + ": access units");
        for (int k = 0; k < expected.size(); k++)
        {
            assertEquals(expected.get(k).size(), actual.get(k).size(), what + ": AU " + k);
            for (int n = 0; n < expected.get(k).size(); n++)
            {
                assertArrayEquals(expected.get(k).get(n), actual.get(k).get(n), what + ": AU " + k + " NAL " + n);
            }
        }
    }

    @Test
    void applicationGetsThePushAndALatePlayerStartsAtTheCachedKeyframe() throws InterruptedException
    {
        try (RtspServer server = RtspServer.start(RtspServerConfig.defaults(), new SplittableRandom(3)))
        {
            final Recorder app = new Recorder();
            server.pushListener(app);
            final String url = "rtsp://127.0.0.1:" + server.port() + "/phone1";
            final List<List<byte[]>> sent = accessUnits(11, 40);
            final List<List<byte[]>> viewed = new CopyOnWriteArrayList<>();
            final List<Long> viewedTimestamps = new CopyOnWriteArrayList<>();
            try (RtspClient phone = RtspClient.connect(url, new SplittableRandom(1)))
            {
                phone.record(H264MediaDescription.of(96, 1, TestStreams.SPS_320X240, TestStreams.PPS, null), PacketizerConfig.defaults(0xFACE, 100));
                final int joinAt = 25;
                for (int k = 0; k < joinAt; k++)
                {
                    phone.send(TestStreams.concat(sent.get(k)), 3000L * k);
                }
                // AU joinAt - 1 is closed by its marker bit once it passed the jitter buffer
                Media.await(() -> app.accessUnits.size() == joinAt, 10_000, "the application to get the first access units");
                final LiveStream stream = server.stream("/phone1");
                try (RtspClient viewer = RtspClient.connect(url, new SplittableRandom(2)))
                {
                    viewer.play((au, ts, key, complete) ->
                    {
                        viewed.add(TestStreams.nals(PacketizerTest.bytes(au)));
                        viewedTimestamps.add(ts);
                    });
                    for (int k = joinAt; k < sent.size(); k++)
                    {
                        phone.send(TestStreams.concat(sent.get(k)), 3000L * k);
                    }
                    Media.await(() -> app.accessUnits.size() == sent.size(), 10_000, "the application to get every access unit");
                    final int lastKeyframe = joinAt / GOP * GOP;
                    Media.await(() -> viewed.size() == sent.size() - lastKeyframe, 10_000, "the viewer to get the GOP and the rest");
                    assertSameAccessUnits(sent.subList(lastKeyframe, sent.size()), viewed, "late viewer");
                    assertEquals(3000L * lastKeyframe, viewedTimestamps.get(0), "the viewer starts at the cached IDR");
                    assertEquals(1, stream.joins()[0], "joined from the GOP cache");
                    assertTrue(stream.gopCacheBytes() > 0);
                }
            }
            assertSameAccessUnits(sent, app.accessUnits, "application");
            for (int k = 0; k < sent.size(); k++)
            {
                assertEquals(3000L * k, app.timestamps.get(k));
            }
            assertTrue(app.packets.get() >= sent.size(), "RTP packets handed over: " + app.packets.get());
            assertEquals(1, app.starts.get());
            Media.await(() -> app.ends.get() == 1, 5_000, "push end after TEARDOWN");
            assertEquals(0, server.stream("/phone1").gopCacheBytes(), "a stale GOP is not served after the push ended");
        }
    }

    /**
     * A server on the caller's event loop: pushed packets reach the listener on that loop, a retained slice of each
     * keeps its bytes intact while later packets flow (no copy needed), and closing the server closes its ports but
     * leaves the caller's loop running.
     */
    @Test
    void onTheCallersLoopPushedPacketsAreKeptWithoutACopyAndCloseLeavesTheLoopRunning() throws Exception
    {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try
        {
            final EventLoop loop = group.next();
            final List<ByteBuf> kept = new ArrayList<>();
            final List<byte[]> seen = new CopyOnWriteArrayList<>();
            final AtomicInteger offLoop = new AtomicInteger();
            final AtomicInteger accessUnits = new AtomicInteger();
            final List<List<byte[]>> sent = accessUnits(12, 40);
            final int port;
            try (RtspServer server = RtspServer.start(RtspServerConfig.defaults(), new SplittableRandom(8), group))
            {
                port = server.port();
                server.pushListener(new PushListener()
                {
                    @Override
                    public void onRtpPacket(final LiveStream stream, final ByteBuf packet)
                    {
                        if (!loop.inEventLoop())
                        {
                            offLoop.incrementAndGet();
                        }
                        kept.add(packet.retainedSlice());
                        seen.add(ByteBufUtil.getBytes(packet));
                    }

                    @Override
                    public void onAccessUnit(
                        final LiveStream stream, final ByteBuf accessUnit, final long rtpTimestamp, final boolean keyframe)
                    {
                        accessUnits.incrementAndGet();
                    }
                });
                try (RtspClient phone = RtspClient.connect("rtsp://127.0.0.1:" + port + "/phone2", new SplittableRandom(1)))
                {
                    phone.record(H264MediaDescription.of(96, 1, TestStreams.SPS_320X240, TestStreams.PPS, null),
                        PacketizerConfig.defaults(0xBEEF, 100));
                    for (int k = 0; k < sent.size(); k++)
                    {
                        phone.send(TestStreams.concat(sent.get(k)), 3000L * k);
                    }
                    Media.await(() -> accessUnits.get() == sent.size(), 10_000, "every access unit");
                }
                final boolean intact = loop.submit(() ->
                {
                    boolean same = kept.size() == seen.size();
                    for (int i = 0; same && i < kept.size(); i++)
                    {
                        same = java.util.Arrays.equals(seen.get(i), ByteBufUtil.getBytes(kept.get(i)));
                    }
                    kept.forEach(ByteBuf::release);
                    return same;
                }).get(10, TimeUnit.SECONDS);
                assertTrue(seen.size() > sent.size(), "packets handed over: " + seen.size());
                assertTrue(intact, "a retained slice kept its bytes while later packets flowed");
                assertEquals(0, offLoop.get(), "the listener runs on the caller's loop");
            }
            assertFalse(group.isShuttingDown(), "closing the server leaves the caller's group alone");
            assertEquals(42, loop.submit(() -> 42).get(10, TimeUnit.SECONDS));
            // The RTSP port is released: binding it again succeeds (a listener still open makes this throw). A
            // connect attempt was used before and once succeeded after close, cause not found (a TCP
            // self-connection from the same ephemeral port is one known way).
            try (ServerSocket again = new ServerSocket())
            {
                again.bind(new InetSocketAddress("127.0.0.1", port));
            }
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** The first GOP of a stream published without parameter sets: the cache must hold the SPS and PPS before the IDR. */
    @Test
    void aJoinerInTheFirstGopGetsItsParameterSets() throws InterruptedException
    {
        try (RtspServer server = RtspServer.start(RtspServerConfig.defaults(), new SplittableRandom(7)))
        {
            final LiveStream stream = server.publish("/first", new H264MediaDescription(96, 1, null, List.of(), null));
            final Gen gen = new Gen(15);
            final List<List<byte[]>> sent = new ArrayList<>();
            sent.add(List.of(TestStreams.SPS_320X240, TestStreams.PPS, TestStreams.nal(gen, NalUnitType.IDR, 5000)));
            for (int k = 1; k < 4; k++)
            {
                sent.add(List.of(TestStreams.nal(gen, NalUnitType.SLICE, 2000)));
            }
            for (int k = 0; k < sent.size(); k++)
            {
                stream.send(TestStreams.concat(sent.get(k)), 3000L * k);
            }
            final List<List<byte[]>> viewed = new CopyOnWriteArrayList<>();
            try (RtspClient viewer = RtspClient.connect("rtsp://127.0.0.1:" + server.port() + "/first", new SplittableRandom(2)))
            {
                viewer.play((au, ts, key, complete) -> viewed.add(TestStreams.nals(PacketizerTest.bytes(au))));
                // and one live access unit after the cached ones
                stream.send(TestStreams.concat(List.of(TestStreams.nal(gen, NalUnitType.SLICE, 100))), 3000L * sent.size());
                Media.await(() -> viewed.size() >= sent.size(), 5_000, "the cached GOP");
            }
            assertSameAccessUnits(sent, viewed.subList(0, sent.size()), "first-GOP joiner");
            assertEquals(1, stream.joins()[0]);
        }
    }

    @Test
    void aGopLargerThanTheCacheMakesAJoinerStartLiveAndAsksForAKeyframe() throws InterruptedException
    {
        try (RtspServer server = RtspServer.start(RtspServerConfig.defaults().withGopCacheBytes(6000), new SplittableRandom(6)))
        {
            final LiveStream stream = server.publish("/small", H264MediaDescription.of(96, 1, TestStreams.SPS_320X240, TestStreams.PPS, null));
            final AtomicInteger keyframeRequests = new AtomicInteger();
            stream.onKeyframeRequest(keyframeRequests::incrementAndGet);
            final Gen gen = new Gen(14);
            final List<byte[]> idr = List.of(TestStreams.SPS_320X240, TestStreams.PPS, TestStreams.nal(gen, NalUnitType.IDR, 5000));
            stream.send(TestStreams.concat(idr), 0);
            assertTrue(stream.gopCacheBytes() > 5000, "one IDR access unit fits: " + stream.gopCacheBytes());
            stream.send(TestStreams.concat(List.of(TestStreams.nal(gen, NalUnitType.SLICE, 3000))), 3000);
            assertEquals(0, stream.gopCacheBytes(), "the GOP outgrew 6000 bytes");
            final List<Long> viewed = new CopyOnWriteArrayList<>();
            try (RtspClient viewer = RtspClient.connect("rtsp://127.0.0.1:" + server.port() + "/small", new SplittableRandom(2)))
            {
                viewer.play((au, ts, key, complete) -> viewed.add(ts));
                Media.await(() -> stream.joins()[1] == 1, 5_000, "a live join");
                assertEquals(1, keyframeRequests.get(), "a live join asks the source for an IDR");
                stream.send(TestStreams.concat(List.of(TestStreams.nal(gen, NalUnitType.SLICE, 300))), 6000);
                stream.send(TestStreams.concat(idr), 9000);
                Media.await(() -> viewed.size() == 1, 5_000, "the next IDR");
                assertEquals(List.of(9000L), viewed, "the joiner starts at the next IDR");
            }
        }
    }

    @Test
    void refusedAnnounceIsForbiddenAndASecondPushKeepsThePlayers() throws InterruptedException
    {
        try (RtspServer server = RtspServer.start(RtspServerConfig.defaults(), new SplittableRandom(4)))
        {
            final Recorder app = new Recorder();
            server.pushListener(app);
            try (RtspClient phone = RtspClient.connect("rtsp://127.0.0.1:" + server.port() + "/private/x", new SplittableRandom(1)))
            {
                final RtpH264Exception refused = org.junit.jupiter.api.Assertions.assertThrows(RtpH264Exception.class,
                    () -> phone.record(H264MediaDescription.of(96, 1, TestStreams.SPS_320X240, TestStreams.PPS, null),
                        PacketizerConfig.defaults(1, 1)));
                assertTrue(refused.getMessage().contains("403"), refused.getMessage());
            }
            assertEquals(List.of("/private/x"), app.refused);
            assertEquals(null, server.stream("/private/x"));

            final String url = "rtsp://127.0.0.1:" + server.port() + "/phone2";
            final List<List<byte[]>> sent = accessUnits(12, 20);
            final List<List<byte[]>> viewed = new CopyOnWriteArrayList<>();
            try (RtspClient viewer = RtspClient.connect(url, new SplittableRandom(2)))
            {
                LiveStream first = null;
                for (int push = 0; push < 2; push++)
                {
                    try (RtspClient phone = RtspClient.connect(url, new SplittableRandom(10 + push)))
                    {
                        phone.record(H264MediaDescription.of(96, 1, TestStreams.SPS_320X240, TestStreams.PPS, null),
                            PacketizerConfig.defaults(0x100 + push, 1000 * push));
                        if (push == 0)
                        {
                            first = server.stream("/phone2");
                            viewer.play((au, ts, key, complete) -> viewed.add(TestStreams.nals(PacketizerTest.bytes(au))));
                        }
                        for (int k = 0; k < 10; k++)
                        {
                            phone.send(TestStreams.concat(sent.get(10 * push + k)), 3000L * (10 * push + k));
                        }
                        final int expected = 10 * (push + 1);
                        Media.await(() -> viewed.size() == expected, 10_000, "viewer to get push " + push);
                    }
                    final int ends = push + 1;
                    Media.await(() -> app.ends.get() == ends, 5_000, "push " + push + " to end");
                }
                assertTrue(first == server.stream("/phone2"), "the second ANNOUNCE kept the stream");
            }
            assertSameAccessUnits(sent, viewed, "viewer across two pushes");
        }
    }

    @Test
    void plainRtpOverUdpIsReorderedDepacketizedAndReServed() throws InterruptedException, IOException
    {
        try (RtspServer server = RtspServer.start(RtspServerConfig.defaults(), new SplittableRandom(5)))
        {
            final Recorder app = new Recorder();
            server.pushListener(app);
            final LiveStream stream = server.receiveRtp("/udp", H264MediaDescription.of(96, 1, TestStreams.SPS_320X240, TestStreams.PPS, null), 0);
            assertTrue(stream.receivePort() > 0);
            final List<List<byte[]>> sent = accessUnits(13, 30);
            final List<List<byte[]>> viewed = new CopyOnWriteArrayList<>();
            final H264Packetizer packetizer = new H264Packetizer(PacketizerConfig.defaults(0xBEEF, 65_500));
            final Gen gen = new Gen(21);
            try (Media.UdpSender sender = new Media.UdpSender(stream.receivePort());
                 RtspClient viewer = RtspClient.connect("rtsp://127.0.0.1:" + server.port() + "/udp", new SplittableRandom(2)))
            {
                viewer.play((au, ts, key, complete) -> viewed.add(TestStreams.nals(PacketizerTest.bytes(au))));
                for (int k = 0; k < sent.size(); k++)
                {
                    final List<byte[]> packets = TestStreams.packetize(packetizer, TestStreams.concat(sent.get(k)), 3000L * k);
                    // swap neighbours and repeat some: the receive jitter buffer undoes both
                    for (int i = 0; i + 1 < packets.size(); i += 2)
                    {
                        if (gen.chance(0.3))
                        {
                            packets.set(i, packets.set(i + 1, packets.get(i)));
                        }
                    }
                    for (final byte[] packet : packets)
                    {
                        sender.send(packet, 0);
                        if (gen.chance(0.1))
                        {
                            sender.send(packet, 0);
                        }
                    }
                }
                Media.await(() -> app.accessUnits.size() == sent.size(), 10_000, "every access unit");
                Media.await(() -> viewed.size() == sent.size(), 10_000, "the viewer to get every access unit");
            }
            assertSameAccessUnits(sent, app.accessUnits, "application");
            assertSameAccessUnits(sent, viewed, "viewer");
            assertEquals(1, app.starts.get());
        }
    }
}
