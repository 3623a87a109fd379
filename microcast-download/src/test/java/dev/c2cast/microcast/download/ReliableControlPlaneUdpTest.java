package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.c2cast.pseudobroadcast.NodeId;
import dev.c2cast.pseudobroadcast.ReliableConfig;
import dev.c2cast.pseudobroadcast.UdpTransport;
import dev.c2cast.pseudobroadcast.UdpTransportConfig;
import dev.c2cast.testkit.Gen;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * The control plane on real UDP: three nodes on a loopback multicast group, each on its own Netty event loop with
 * the real clock. Nodes 1 (the initiator) and 2 download from a local file; node 3 has no cellular link.
 */
class ReliableControlPlaneUdpTest
{
    @TempDir
    Path dir;

    @Test
    void twoDevicesDownloadAFileTogetherOverUdpLoopback() throws Exception
    {
        final int segment = 32 * 1024;
        final byte[] file = new Gen(21).bytes(64 * segment + 1000);
        final Path source = Files.write(dir.resolve("source"), file);
        final int port;
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            port = socket.getLocalPort();
        }
        final InetSocketAddress group = new InetSocketAddress(InetAddress.getByName("239.77.203.11"), port);
        final UdpTransportConfig udp = UdpTransportConfig.multicast(group,
            NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress())).withGroupId(0x7E570006);
        final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(3, NioIoHandler.newFactory());
        final List<ExecutorService> requesterThreads = new ArrayList<>();
        final List<UdpTransport> transports = new ArrayList<>();
        final List<ReliableControlPlane> planes = new ArrayList<>();
        final List<SegmentStore> stores = new ArrayList<>();
        final List<Requester> requesters = new ArrayList<>();
        try
        {
            for (int id = 1; id <= 3; id++)
            {
                final EventLoop loop = loops.next();
                final UdpTransport transport = UdpTransport.open(udp, new NodeId(id), loop);
                transports.add(transport);
                final int node = id;
                final ReliableControlPlane plane = loop.submit(() -> ReliableControlPlane.open(transport,
                    ReliableConfig.defaults(), new SplittableRandom(node), loop)).get(10, TimeUnit.SECONDS);
                planes.add(plane);
                if (id <= 2)
                {
                    final SegmentStore store = SegmentStore.open(dir.resolve("device-" + id), file.length, segment, "");
                    stores.add(store);
                    final ExecutorService requesterThread = Executors.newSingleThreadExecutor();
                    requesterThreads.add(requesterThread);
                    final Requester requester = new Requester(id, FileProducer.of(source, ByteBufAllocator.DEFAULT),
                        store, plane.reports(), requesterThread);
                    requesters.add(requester);
                    // Device 2 joins before the initiator exists: its join is kept until the scheduler starts.
                    plane.attach(requester, 1);
                }
            }
            final CompletableFuture<Void> done = planes.get(0).initiate(
                MicroDownloadConfig.defaults().withSegmentSize(segment).withInitialBacklog(2), file.length,
                new SplittableRandom(8), TimeUnit.MILLISECONDS.toNanos(20));
            done.get(60, TimeUnit.SECONDS);
            final List<DeviceStatistics> statistics = planes.get(0).statistics().get(10, TimeUnit.SECONDS);
            assertEquals(2, statistics.size(), statistics.toString());
            assertTrue(requesters.get(1).segmentsStored() > 0, "device 2 downloaded over assignments sent by UDP");
            assertTrue(planes.get(1).messagesReceived() > 0);
            assertEquals(0, planes.get(2).messagesReceived(), "node 3 has no link and is sent nothing");
            final int segments = SegmentRange.count(file.length, segment);
            int stored = 0;
            for (final Requester requester : requesters)
            {
                stored += requester.segmentsStored();
            }
            assertTrue(stored >= segments);
            assertTrue(stored - segments <= statistics.stream().mapToInt(DeviceStatistics::endgameDuplicates).sum(),
                "downloaded " + stored + " segments for " + segments);
            assertArrayEquals(file, ReliableControlPlaneTest.assemble(stores, file.length, segments));
            System.out.printf("UDP loopback: %d segments, device 1 stored %d, device 2 stored %d, %d control " +
                "messages sent%n", segments, requesters.get(0).segmentsStored(), requesters.get(1).segmentsStored(),
                planes.stream().mapToLong(ReliableControlPlane::messagesSent).sum());
        }
        finally
        {
            for (int i = 0; i < planes.size(); i++)
            {
                final UdpTransport transport = transports.get(i);
                planes.get(i).close();
                transport.eventLoop().submit(transport::close).get(10, TimeUnit.SECONDS);
            }
            requesterThreads.forEach(ExecutorService::shutdownNow);
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }
}
