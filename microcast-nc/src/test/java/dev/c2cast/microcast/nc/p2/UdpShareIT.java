package dev.c2cast.microcast.nc.p2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.c2cast.microcast.nc.CodingParameters;
import dev.c2cast.pseudobroadcast.EventLoopTimers;
import dev.c2cast.pseudobroadcast.NodeId;
import dev.c2cast.pseudobroadcast.UdpTransport;
import dev.c2cast.pseudobroadcast.UdpTransportConfig;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import org.junit.jupiter.api.Test;

/**
 * Four MicroNC-P2 nodes on pseudobroadcast's UDP transport (multicast on loopback, one event loop) share a 4 MB
 * file that node 1 "downloads"; every node's reassembled file must have the source's SHA-256.
 */
class UdpShareIT
{
    static final int NODES = 4;
    static final int FILE_LENGTH = 4 * 1024 * 1024;
    static final CodingParameters PARAMETERS = new CodingParameters(32, 1024);
    static final byte[] KEY = "c2cast-udp-share-it-group-key-01".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void fourNodesShareAFourMegabyteFileOverUdp() throws Exception
    {
        final byte[] file = new byte[FILE_LENGTH];
        new SplittableRandom(2024).nextBytes(file);
        final SegmentManifest manifest = SegmentManifest.of(file, PARAMETERS);
        final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final EventLoop loop = loops.next();
        final NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        final int port;
        try (DatagramSocket probe = new DatagramSocket(0))
        {
            port = probe.getLocalPort();
        }
        final SplittableRandom pick = new SplittableRandom();
        final InetSocketAddress group = new InetSocketAddress(InetAddress.getByAddress(
            new byte[] {(byte)239, 78, (byte)pick.nextInt(1, 255), (byte)pick.nextInt(1, 255)}), port);
        final UdpTransportConfig config = UdpTransportConfig.multicast(group, lo);
        final List<UdpTransport> transports = new ArrayList<>();
        final CodedSegmentStore[] stores = new CodedSegmentStore[NODES];
        final MicroNcP2[] engines = new MicroNcP2[NODES];
        final CountDownLatch complete = new CountDownLatch(NODES);
        try
        {
            loop.submit(() ->
            {
                for (int i = 0; i < NODES; i++)
                {
                    final UdpTransport transport = UdpTransport.open(config, new NodeId(i + 1), loop);
                    transports.add(transport);
                    final EventLoopTimers clock = transport.timers();
                    final EngineTimers timers = EngineTimers.of(clock);
                    final GroupAuthenticator authenticator = new GroupAuthenticator(KEY);
                    stores[i] = new CodedSegmentStore(manifest, i);
                    final int node = i;
                    engines[i] = new MicroNcP2(i + 1, DisseminationConfig.defaults(), stores[i],
                        authenticator.sender(i + 1, transport::send), timers, new SplittableRandom(i), segment ->
                        {
                            if (engines[node].isComplete())
                            {
                                complete.countDown();
                            }
                        });
                    for (final int type : new int[] {
                        DisseminationEngine.CONTROL_FRAME_TYPE, DisseminationEngine.DATA_FRAME_TYPE})
                    {
                        transport.listener(type, (source, destination, overheard, buffer, offset, length) ->
                        {
                            final int n = authenticator.open(type, source, buffer, offset, length);
                            if (n >= 0)
                            {
                                engines[node].onFrame(type, source, destination, overheard, buffer, offset, n);
                            }
                        });
                    }
                }
                for (int i = 0; i < NODES; i++)
                {
                    for (int j = 0; j < NODES; j++)
                    {
                        if (i != j)
                        {
                            engines[i].addPeer(j + 1);
                        }
                    }
                    engines[i].start();
                }
                // Node 1 "downloads" one 32 KiB segment every 20 ms (about 13 Mbit/s).
                final EventLoopTimers clock = transports.get(0).timers();
                for (int s = 0; s < manifest.segmentCount(); s++)
                {
                    final int segment = s;
                    clock.scheduleAt(clock.nanoTime() + 20_000_000L * (s + 1), () ->
                    {
                        stores[0].supply(segment, file, segment * PARAMETERS.capacity(), manifest.segmentLength(segment));
                        engines[0].onSegmentDownloaded(segment);
                    });
                }
                return null;
            }).get(10, TimeUnit.SECONDS);

            assertTrue(complete.await(90, TimeUnit.SECONDS), "all four nodes complete within 90 s");
            final byte[] expected = MessageDigest.getInstance("SHA-256").digest(file);
            for (int i = 0; i < NODES; i++)
            {
                final int node = i;
                final byte[] copy = loop.submit(() ->
                {
                    final byte[] whole = new byte[FILE_LENGTH];
                    for (int s = 0; s < manifest.segmentCount(); s++)
                    {
                        final byte[] bytes = stores[node].segment(s);
                        System.arraycopy(bytes, 0, whole, s * PARAMETERS.capacity(), bytes.length);
                    }
                    return whole;
                }).get(10, TimeUnit.SECONDS);
                assertArrayEquals(expected, MessageDigest.getInstance("SHA-256").digest(copy), "node " + (i + 1));
            }
        }
        finally
        {
            loop.submit(() ->
            {
                for (final MicroNcP2 engine : engines)
                {
                    if (engine != null)
                    {
                        engine.stop();
                    }
                }
                transports.forEach(UdpTransport::close);
            }).get(10, TimeUnit.SECONDS);
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }
}
