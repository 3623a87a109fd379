package dev.c2cast.streamsmart.tree;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.c2cast.streamsmart.tree.internal.TreeFrame;
import dev.c2cast.streamsmart.tree.wire.Adopt;
import dev.c2cast.streamsmart.tree.wire.Announce;
import dev.c2cast.streamsmart.tree.wire.Assign;
import dev.c2cast.streamsmart.tree.wire.Attach;
import dev.c2cast.streamsmart.tree.wire.AttachAck;
import dev.c2cast.streamsmart.tree.wire.Envelope;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import com.google.protobuf.ByteString;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The forwarding plane of one relay clone, alone: bytes allocated per forwarded RTP packet. Run with
 * {@code -prof gc}; one operation is one media datagram into the relay and its {@code children} copies out, so
 * {@code gc.alloc.rate.norm} is the allocation per packet (the benchmark thread's own sends and receives are plain
 * NIO on direct buffers with one cached peer address each, which allocate nothing; {@code children = 0} shows the
 * receive side alone, the difference to {@code children = 4} divided by four is the cost of one child copy).
 * <p>
 * The relay is a real {@link CloneNode} on its own Netty event loop and loopback UDP. Its parent (a scripted radix)
 * and its children are raw {@link DatagramChannel}s driven by the benchmark thread: the parent announces the
 * stream, assigns the relay under itself and acknowledges its attach, announces each child to it ({@code Adopt}),
 * and each child attaches; then every operation sends one 1250-byte RTP packet (header rewritten in place) from the
 * parent and waits until every child has received its copy. Liveness timers are set to an hour so that no control
 * traffic runs during the measurement.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class RelayForwardBenchmark
{
    private static final long PARENT = 0;
    private static final long RELAY = 100;
    private static final long STREAM = 7;
    private static final int RTP_SIZE = 1250;
    private static final long WAIT_NANOS = 5_000_000_000L;

    /** Children of the relay (each gets one copy of every packet). */
    @Param({"0", "4"})
    public int children;

    private EventLoopGroup loop;
    private CloneNode relay;
    private DatagramChannel parent;
    private DatagramChannel[] childChannels;
    private InetSocketAddress relayAddress;
    private ByteBuffer frame;
    private ByteBuffer sink;
    private long seq;

    /**
     * Builds the relay and drives the control protocol until it forwards to every child.
     *
     * @throws Exception if the set-up fails.
     */
    @Setup
    public void setUp() throws Exception
    {
        final Map<Long, InetSocketAddress> directory = new ConcurrentHashMap<>();
        parent = open();
        directory.put(PARENT, (InetSocketAddress)parent.getLocalAddress());
        childChannels = new DatagramChannel[children];
        for (int i = 0; i < children; i++)
        {
            childChannels[i] = open();
            directory.put(child(i), (InetSocketAddress)childChannels[i].getLocalAddress());
        }
        loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final TreeConfig config = TreeConfig.defaults()
            .withTimings(1_000_000_000L, 3_600_000_000_000L, 1_000_000_000L);
        relay = CloneNode.viewer(new CloneConfig(RELAY, config, loop, new InetSocketAddress("127.0.0.1", 0),
            directory::get, (buffer, offset, length, extSeq) -> { }, System::nanoTime), owner -> Intent.WATCH, false);
        relayAddress = relay.start();
        directory.put(RELAY, relayAddress);

        control(parent, Envelope.newBuilder().setStreamId(STREAM).setFrom(PARENT)
            .setAnnounce(Announce.newBuilder().setOwner(PARENT).setToken(ByteString.copyFromUtf8("scripted"))));
        awaitState(TreeMember.State.JOINING);
        control(parent, Envelope.newBuilder().setStreamId(STREAM).setFrom(PARENT)
            .setAssign(Assign.newBuilder().setParent(PARENT).setDepth(1).setEpoch(1)));
        awaitPending(PARENT);
        control(parent, Envelope.newBuilder().setStreamId(STREAM).setFrom(PARENT)
            .setAttachAck(AttachAck.newBuilder().setGrandparent(Topology.NONE).setDepth(0)));
        awaitState(TreeMember.State.ATTACHED);
        for (int i = 0; i < children; i++)
        {
            control(parent, Envelope.newBuilder().setStreamId(STREAM).setFrom(PARENT)
                .setAdopt(Adopt.newBuilder().setChild(child(i)).setEpoch(2 + i)));
            control(childChannels[i], Envelope.newBuilder().setStreamId(STREAM).setFrom(child(i))
                .setAttach(Attach.newBuilder().setEpoch(2 + i)));
        }
        final long deadline = System.nanoTime() + WAIT_NANOS;
        while (relay.stats().children().length != children)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("children did not attach: " + relay.stats());
            }
            LockSupport.parkNanos(1_000_000L);
        }

        frame = ByteBuffer.allocateDirect(TreeFrame.MEDIA_HEADER_LENGTH + RTP_SIZE);
        frame.put(0, TreeFrame.TYPE_MEDIA);
        frame.putLong(TreeFrame.SENDER_OFFSET, PARENT);
        frame.put(TreeFrame.MEDIA_HEADER_LENGTH, (byte)0x80);
        frame.put(TreeFrame.MEDIA_HEADER_LENGTH + 1, (byte)96);
        frame.put(TreeFrame.MEDIA_HEADER_LENGTH + 12, (byte)0x41);
        sink = ByteBuffer.allocateDirect(2048);
        // Drain the control answers the set-up produced (AttachAcks to the children, heartbeats to the parent).
        for (final DatagramChannel channel : childChannels)
        {
            drain(channel);
        }
        drain(parent);
    }

    /**
     * One RTP packet into the relay, and every child's copy out.
     *
     * @return the sequence number sent.
     * @throws IOException on a socket error.
     */
    @Benchmark
    public long forward() throws IOException
    {
        final long s = seq++;
        frame.putLong(TreeFrame.SEQUENCE_OFFSET, s);
        frame.putLong(TreeFrame.SENT_AT_OFFSET, System.nanoTime());
        frame.putShort(TreeFrame.MEDIA_HEADER_LENGTH + 2, (short)s);
        frame.clear();
        parent.send(frame, relayAddress);
        if (children == 0)
        {
            // A leaf: wait until the relay has taken the packet (its stats are read once per 1024 packets so the
            // query's own allocation stays out of the per-packet figure).
            if ((s & 1023) == 1023)
            {
                awaitNewest(s);
            }
            return s;
        }
        for (final DatagramChannel channel : childChannels)
        {
            receive(channel, s);
        }
        return s;
    }

    /**
     * Stops the relay and closes the sockets.
     *
     * @throws IOException on a socket error.
     */
    @TearDown
    public void tearDown() throws IOException
    {
        relay.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        parent.close();
        for (final DatagramChannel channel : childChannels)
        {
            channel.close();
        }
    }

    private void receive(final DatagramChannel channel, final long expected) throws IOException
    {
        final long deadline = System.nanoTime() + WAIT_NANOS;
        while (true)
        {
            sink.clear();
            if (channel.receive(sink) != null && sink.position() > TreeFrame.MEDIA_HEADER_LENGTH
                && sink.get(0) == TreeFrame.TYPE_MEDIA && sink.getLong(TreeFrame.SEQUENCE_OFFSET) == expected)
            {
                return;
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("packet " + expected + " not forwarded within 5 s");
            }
            Thread.onSpinWait();
        }
    }

    private void awaitNewest(final long s)
    {
        final long deadline = System.nanoTime() + WAIT_NANOS;
        while (relay.stats().newestSequence() < s)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("packet " + s + " not received within 5 s");
            }
            LockSupport.parkNanos(10_000L);
        }
    }

    private void awaitState(final TreeMember.State state)
    {
        final long deadline = System.nanoTime() + WAIT_NANOS;
        while (!state.name().equals(relay.stats().state()))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("relay not " + state + ": " + relay.stats());
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    private void awaitPending(final long target)
    {
        final long deadline = System.nanoTime() + WAIT_NANOS;
        while (relay.stats().pendingParent() != target)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("relay not attaching to " + target + ": " + relay.stats());
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    private void control(final DatagramChannel from, final Envelope.Builder envelope) throws IOException
    {
        final byte[] body = envelope.build().toByteArray();
        final ByteBuffer datagram = ByteBuffer.allocate(1 + body.length);
        datagram.put(TreeFrame.TYPE_CONTROL).put(body).flip();
        from.send(datagram, relayAddress);
    }

    private void drain(final DatagramChannel channel) throws IOException
    {
        while (true)
        {
            sink.clear();
            if (channel.receive(sink) == null)
            {
                return;
            }
        }
    }

    private static DatagramChannel open() throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
        return channel;
    }

    private static long child(final int index)
    {
        return RELAY + 1 + index;
    }
}
