package dev.c2cast.pseudobroadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engines run unchanged on a real transport: discovery, reliable messaging and flooding over
 * {@link UdpTransport} in multicast mode on loopback, driven by a Netty event loop and {@link EventLoopTimers}.
 */
class UdpEnginesTest
{
    private EventLoopGroup loops;
    private EventLoop loop;
    private final List<UdpTransport> transports = new ArrayList<>();

    @BeforeEach
    void open() throws Exception
    {
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = loops.next();
        final InetSocketAddress group = new InetSocketAddress(InetAddress.getByName("239.77.201.9"),
            UdpMulticastTransportContractTest.freePort());
        final UdpTransportConfig config = UdpTransportConfig.multicast(group, UdpMulticastTransportContractTest.loopback())
            .withGroupId(0x7E570002);
        for (int i = 1; i <= 3; i++)
        {
            transports.add(UdpTransport.open(config, new NodeId(i), loop));
        }
    }

    @AfterEach
    void close() throws Exception
    {
        for (final UdpTransport transport : transports)
        {
            loop.submit(transport::close).get(10, TimeUnit.SECONDS);
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
    }

    @Test
    void discoveryReliableMessagingAndFloodingWorkOverUdp() throws Exception
    {
        final List<String> joins = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> messages = Collections.synchronizedList(new ArrayList<>());
        final List<Long> floods = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Void> allDelivered = new CompletableFuture<>();
        final int count = 500;
        final ReliableMessenger[] reliable = new ReliableMessenger[3];
        final Flooder[] flooders = new Flooder[3];
        final PeerDiscovery[] discovery = new PeerDiscovery[3];
        loop.submit(() ->
        {
            for (int i = 0; i < 3; i++)
            {
                final UdpTransport transport = transports.get(i);
                final long self = transport.localNode().value();
                discovery[i] = new PeerDiscovery(transport, new DiscoveryConfig(50_000_000, 0.1, 5_000_000_000L),
                    new SplittableRandom(i), new PeerListener()
                    {
                        @Override
                        public void onPeerJoined(final NodeId peer)
                        {
                            joins.add(self + "+" + peer.value());
                        }

                        @Override
                        public void onPeerLeft(final NodeId peer)
                        {
                            joins.add(self + "-" + peer.value());
                        }
                    });
                discovery[i].start();
                reliable[i] = new ReliableMessenger(transport, ReliableConfig.defaults(), new SplittableRandom(10 + i),
                    new ReliableListener()
                    {
                        @Override
                        public void onMessage(final long source, final ByteBuf buffer, final int offset, final int length)
                        {
                            messages.add(buffer.getInt(offset));
                            if (messages.size() == count)
                            {
                                allDelivered.complete(null);
                            }
                        }

                        @Override
                        public void onPeerUnreachable(final long peer, final int undelivered)
                        {
                            allDelivered.completeExceptionally(new AssertionError("unreachable " + peer));
                        }
                    });
                flooders[i] = new Flooder(transport, (origin, relay, hops, buffer, offset, length) -> floods.add(self));
            }
        }).get(10, TimeUnit.SECONDS);

        final int[] next = new int[1];
        final ByteBuf message = Unpooled.buffer(8);
        final Runnable pump = new Runnable()
        {
            @Override
            public void run()
            {
                while (next[0] < count)
                {
                    message.clear().writeInt(next[0]);
                    if (!reliable[0].send(new NodeId(2), message))
                    {
                        transports.get(0).timers().schedule(1_000_000, this);
                        return;
                    }
                    next[0]++;
                }
            }
        };
        loop.execute(pump);
        loop.execute(() -> flooders[2].flood(Unpooled.wrappedBuffer(new byte[] {1}), 3));
        allDelivered.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < count; i++)
        {
            assertEquals(i, messages.get(i));
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (joins.size() < 6 && System.nanoTime() < deadline)
        {
            loop.submit(() -> { }).get(1, TimeUnit.SECONDS);
        }
        assertEquals(6, joins.size(), joins.toString());
        assertEquals(List.of(1L, 2L), floods.stream().sorted().toList());
        final int[] peers = loop.submit(() -> new int[] {discovery[0].peers().size(), discovery[1].peers().size()})
            .get(10, TimeUnit.SECONDS);
        assertTrue(peers[0] == 2 && peers[1] == 2);
        loop.submit(() ->
        {
            for (int i = 0; i < 3; i++)
            {
                discovery[i].close();
                reliable[i].close();
                flooders[i].close();
            }
        }).get(10, TimeUnit.SECONDS);
    }
}
