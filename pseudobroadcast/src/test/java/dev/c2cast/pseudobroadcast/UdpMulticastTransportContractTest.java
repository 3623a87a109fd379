package dev.c2cast.pseudobroadcast;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * The transport contract on {@link UdpTransport} in multicast mode over the loopback interface (every node a
 * socket in this JVM, all confined to one event loop).
 */
class UdpMulticastTransportContractTest extends TransportContractTest
{
    @Override
    Group createGroup(final int nodes) throws Exception
    {
        return new UdpGroup(nodes);
    }

    static NetworkInterface loopback() throws java.net.SocketException
    {
        return NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
    }

    static int freePort() throws java.io.IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    /** Nodes as UDP multicast sockets on loopback. */
    static final class UdpGroup implements Group
    {
        private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        private final EventLoop loop = loops.next();
        private final List<UdpTransport> transports = new ArrayList<>();
        private final List<List<Received>> received = new ArrayList<>();
        private final InetSocketAddress groupAddress;
        private final NetworkInterface lo;

        UdpGroup(final int nodes) throws Exception
        {
            lo = loopback();
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            groupAddress = new InetSocketAddress(
                InetAddress.getByAddress(new byte[] {(byte)239, 77, (byte)random.nextInt(1, 255), (byte)random.nextInt(1, 255)}),
                freePort());
            final UdpTransportConfig config = UdpTransportConfig.multicast(groupAddress, lo).withGroupId(GROUP_ID);
            try
            {
                for (int i = 0; i < nodes; i++)
                {
                    final UdpTransport transport = UdpTransport.open(config, new NodeId(id(i)), loop);
                    final List<Received> log = java.util.Collections.synchronizedList(new ArrayList<>());
                    transports.add(transport);
                    received.add(log);
                    call(() ->
                    {
                        for (final int type : new int[] {FrameType.DATA, APP_TYPE})
                        {
                            transport.listener(type, (source, destination, overheard, buffer, offset, length) ->
                                log.add(new Received(type, source, destination, overheard,
                                    ByteBufUtil.getBytes(buffer, offset, length))));
                        }
                        return null;
                    });
                }
            }
            catch (final Exception ex)
            {
                close();
                throw ex;
            }
        }

        private <T> T call(final Callable<T> task) throws Exception
        {
            return loop.submit(task).get(10, TimeUnit.SECONDS);
        }

        @Override
        public int send(final int from, final int type, final long destination, final byte[] payload)
        {
            try
            {
                return call(() ->
                {
                    try
                    {
                        return transports.get(from).send(type, destination, Unpooled.wrappedBuffer(payload)) ? SENT :
                            REJECTED;
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        return ILLEGAL;
                    }
                });
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        @Override
        public List<Received> received(final int node)
        {
            synchronized (received.get(node))
            {
                return new ArrayList<>(received.get(node));
            }
        }

        @Override
        public PeerCounters counters(final int node, final long peer)
        {
            try
            {
                return call(() -> transports.get(node).counters().peer(peer));
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        @Override
        public long[] drops(final int node)
        {
            try
            {
                return call(() ->
                {
                    final TransportCounters c = transports.get(node).counters();
                    return new long[] {c.droppedMalformed(), c.droppedOversized(), c.droppedOtherGroup(),
                        c.droppedUnhandled(), c.framesBroadcast(), c.sendsRejected()};
                });
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        @Override
        public void injectRaw(final int node, final byte[] frame) throws Exception
        {
            try (MulticastSocket socket = new MulticastSocket())
            {
                socket.setNetworkInterface(lo);
                socket.send(new DatagramPacket(frame, frame.length, groupAddress));
            }
        }

        @Override
        public boolean await(final BooleanSupplier condition) throws Exception
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!condition.getAsBoolean())
            {
                if (System.nanoTime() > deadline)
                {
                    return false;
                }
                // Bounded poll of state owned by the event loop; the loop itself never waits on the test.
                loop.submit(() -> { }).get(1, TimeUnit.SECONDS);
                Thread.onSpinWait();
            }
            return true;
        }

        @Override
        public int maxPayloadLength()
        {
            return UdpTransportConfig.MAX_PAYLOAD_LENGTH_DEFAULT;
        }

        @Override
        public void closeNode(final int node) throws Exception
        {
            call(() ->
            {
                transports.get(node).close();
                return null;
            });
        }

        @Override
        public void close() throws Exception
        {
            for (final UdpTransport transport : transports)
            {
                loop.submit(transport::close).get(10, TimeUnit.SECONDS);
            }
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }
}
