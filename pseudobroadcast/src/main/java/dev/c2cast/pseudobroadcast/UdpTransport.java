package dev.c2cast.pseudobroadcast;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

import dev.c2cast.pseudobroadcast.internal.Long2ObjectHashMap;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} over UDP on a Netty event loop: in {@link UdpTransportConfig.Mode#MULTICAST} and
 * {@link UdpTransportConfig.Mode#BROADCAST} modes every frame reaches every member and the intended destination
 * travels in the {@link FrameHeader}; in {@link UdpTransportConfig.Mode#UNICAST} mode a frame to one peer is a true
 * unicast that the others overhear through the host (MicroCast's pseudo-ad-hoc mode, section V-C).
 * <p>
 * Threading: {@link #open} may be called from any thread; everything else, and every listener, runs on the event
 * loop the channel was registered with ({@link #eventLoop()}). Sending writes the frame into a pooled buffer
 * and a {@link DatagramPacket}; receiving hands the datagram's buffer to the listeners without copying.
 */
public final class UdpTransport implements Transport
{
    private static final Logger LOGGER = LoggerFactory.getLogger(UdpTransport.class);

    private final UdpTransportConfig config;
    private final NodeId node;
    private final DatagramChannel channel;
    private final EventLoopTimers timers;
    private final TransportCounters counters = new TransportCounters();
    private final FrameReceiver receiver;
    private final FrameHeader header = new FrameHeader();
    private final Long2ObjectHashMap<InetSocketAddress> peerAddresses = new Long2ObjectHashMap<>(16);
    private int sequence;
    private boolean closed;

    private UdpTransport(final UdpTransportConfig config, final NodeId node, final DatagramChannel channel)
    {
        this.config = config;
        this.node = node;
        this.channel = channel;
        this.timers = new EventLoopTimers(channel.eventLoop());
        this.receiver = new FrameReceiver(node.value(), config.groupId(), config.maxPayloadLength(), counters);
    }

    /**
     * Binds a socket, joins the group in multicast mode, and returns the transport.
     *
     * @param config    the configuration.
     * @param node      this node.
     * @param eventLoop the loop the transport is confined to.
     * @return the open transport.
     * @throws InterruptedException if interrupted while binding.
     * @throws IOException  if the socket cannot be bound or the group joined.
     */
    public static UdpTransport open(final UdpTransportConfig config, final NodeId node, final EventLoop eventLoop)
        throws InterruptedException, IOException
    {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(node, "node");
        final UdpTransport[] holder = new UdpTransport[1];
        final Bootstrap bootstrap = new Bootstrap()
            .group(eventLoop)
            .channelFactory(() -> new NioDatagramChannel(SocketProtocolFamily.INET))
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BROADCAST, config.mode() != UdpTransportConfig.Mode.MULTICAST)
            .option(ChannelOption.SO_RCVBUF, 4 << 20)
            .option(ChannelOption.RECVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(FrameHeader.HEADER_LENGTH + config.maxPayloadLength() + 1))
            .handler(new SimpleChannelInboundHandler<DatagramPacket>()
            {
                @Override
                protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet)
                {
                    holder[0].onDatagram(packet);
                }
            });
        if (config.mode() == UdpTransportConfig.Mode.MULTICAST)
        {
            bootstrap.option(ChannelOption.IP_MULTICAST_TTL, config.ttl())
                .option(ChannelOption.IP_MULTICAST_LOOP_DISABLED, !config.loopback());
            if (config.networkInterface() != null)
            {
                bootstrap.option(ChannelOption.IP_MULTICAST_IF, config.networkInterface());
            }
        }
        final InetSocketAddress local = config.bindAddress() == null ?
            new InetSocketAddress(config.groupAddress().getPort()) :
            new InetSocketAddress(config.bindAddress(), config.groupAddress().getPort());
        final DatagramChannel channel = (DatagramChannel)bootstrap.register().sync().channel();
        final UdpTransport transport = new UdpTransport(config, node, channel);
        holder[0] = transport;
        try
        {
            channel.bind(local).sync();
            if (config.mode() == UdpTransportConfig.Mode.MULTICAST)
            {
                if (config.networkInterface() != null)
                {
                    channel.joinGroup(config.groupAddress(), config.networkInterface()).sync();
                }
                else
                {
                    channel.joinGroup(config.groupAddress().getAddress()).sync();
                }
            }
        }
        catch (final Exception ex)
        {
            channel.close();
            if (ex instanceof InterruptedException)
            {
                throw (InterruptedException)ex;
            }
            throw new IOException("cannot open " + config.mode() + " transport on " + local, ex);
        }
        LOGGER.debug("{} opened: {} {} on {}", node, config.mode(), config.groupAddress(), local);
        return transport;
    }

    /**
     * The event loop this transport is confined to.
     *
     * @return the loop.
     */
    public EventLoop eventLoop()
    {
        return channel.eventLoop();
    }

    /**
     * The local socket address.
     *
     * @return the bound address.
     */
    public InetSocketAddress localAddress()
    {
        return channel.localAddress();
    }

    /**
     * Sets the unicast address of a peer in {@link UdpTransportConfig.Mode#UNICAST} mode; addresses are otherwise
     * learned from the source of the peer's frames.
     *
     * @param peer    the peer.
     * @param address its socket address.
     */
    public void peerAddress(final NodeId peer, final InetSocketAddress address)
    {
        peerAddresses.put(peer.value(), Objects.requireNonNull(address, "address"));
    }

    @Override
    public NodeId localNode()
    {
        return node;
    }

    @Override
    public int groupId()
    {
        return config.groupId();
    }

    @Override
    public int maxPayloadLength()
    {
        return config.maxPayloadLength();
    }

    @Override
    public boolean send(final int frameType, final long destination, final ByteBuf payload)
    {
        FrameType.validate(frameType);
        final int length = payload.readableBytes();
        if (length > config.maxPayloadLength())
        {
            throw new IllegalArgumentException("payload of " + length + " bytes exceeds " + config.maxPayloadLength());
        }
        if (destination == node.value())
        {
            throw new IllegalArgumentException("cannot send to self: " + node);
        }
        if (closed || !channel.isActive())
        {
            counters.onSendRejected();
            return false;
        }
        InetSocketAddress recipient = config.groupAddress();
        if (config.mode() == UdpTransportConfig.Mode.UNICAST && destination != NodeId.BROADCAST_VALUE)
        {
            final InetSocketAddress known = peerAddresses.get(destination);
            if (known != null)
            {
                recipient = known;
            }
        }
        final ByteBuf frame = channel.alloc().directBuffer(FrameHeader.HEADER_LENGTH + length);
        header.wrap(frame, 0, FrameHeader.HEADER_LENGTH + length)
            .write(frameType, config.groupId(), node.value(), destination, sequence++, length);
        frame.writerIndex(FrameHeader.HEADER_LENGTH);
        frame.writeBytes(payload, payload.readerIndex(), length);
        channel.writeAndFlush(new DatagramPacket(frame, recipient), channel.voidPromise());
        counters.onSent(destination, length);
        return true;
    }

    private void onDatagram(final DatagramPacket packet)
    {
        if (closed)
        {
            return;
        }
        final ByteBuf content = packet.content();
        final int length = content.readableBytes();
        final int offset = content.readerIndex();
        if (receiver.onFrame(content, offset, length) || length >= FrameHeader.HEADER_LENGTH)
        {
            learn(content, offset, length, packet.sender());
        }
    }

    private void learn(final ByteBuf content, final int offset, final int length, final InetSocketAddress sender)
    {
        if (config.mode() != UdpTransportConfig.Mode.UNICAST || length > FrameHeader.HEADER_LENGTH +
            config.maxPayloadLength())
        {
            return;
        }
        header.wrap(content, offset, length);
        if (header.validate() != FrameHeader.VALID || header.groupId() != config.groupId() ||
            header.source() == node.value())
        {
            return;
        }
        final long source = header.source();
        final InetSocketAddress known = peerAddresses.get(source);
        if (!sender.equals(known))
        {
            peerAddresses.put(source, sender);
        }
    }

    @Override
    public void listener(final int frameType, final FrameListener listener)
    {
        receiver.listener(frameType, listener);
    }

    @Override
    public TransportCounters counters()
    {
        return counters;
    }

    @Override
    public EventLoopTimers timers()
    {
        return timers;
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            channel.close();
            LOGGER.debug("{} closed: {}", node, counters);
        }
    }

    @Override
    public String toString()
    {
        return "UdpTransport{" + node + ", " + config.mode() + ' ' + config.groupAddress() + '}';
    }
}
