package dev.c2cast.streamsmart.tree;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The paper's star-versus-tree comparison (streamsmart.md, section II) on real sockets: a radix and 16 viewer clones
 * on loopback UDP relay a 2 Mbit/s RTP stream (1250-byte packets every 5 ms), the radix on an event loop of its own,
 * the viewers on another. One invocation streams {@value #PACKETS} packets at that pace, so the primary score is the
 * stream's packet rate (about 200 per second); the figures of the comparison are the auxiliary counters, each a rate
 * per second of streaming:
 * <ul>
 *   <li>{@code radixCpuNanos}: CPU time of the radix's event-loop thread, nanoseconds per second of stream;</li>
 *   <li>{@code egressCopies}: media datagrams the radix sent to its children as packets arrived (ring replays
 *       excluded), per second; divided by {@code published}, the radix's egress copies per packet (16 in the star,
 *       at most d = 4 in the tree);</li>
 *   <li>{@code published}: packets the radix published, per second.</li>
 * </ul>
 * The star/tree ratio of {@code radixCpuNanos} is the paper's result; run both topologies in one JMH run and compare
 * them side by side.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class StarVersusTreeBenchmark
{
    private static final int PACKETS = 20;
    private static final int RECEIVERS = 16;
    private static final int PACKET_SIZE = 1250;
    private static final long PERIOD_NANOS = 5_000_000L;
    private static final long RADIX = 0;
    private static final long STREAM = 7;
    private static final byte[] KEY = "benchmark-owner-key-0123456789ab".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Interconnection of the clones. */
    @Param({"STAR", "BALANCED_TREE"})
    public TopologyKind topology;

    private EventLoopGroup radixLoop;
    private EventLoopGroup viewerLoop;
    private final List<CloneNode> clones = new ArrayList<>();
    private CloneNode radix;
    private int nextSeq;
    private long nextSendAt;
    private MemberStats last;

    /**
     * Per-iteration rates reported next to the primary score.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Radix
    {
        /** CPU time of the radix's event loop, in nanoseconds. */
        public long radixCpuNanos;
        /** Media datagrams the radix forwarded as they arrived. */
        public long egressCopies;
        /** Packets the radix published. */
        public long published;

        /** Resets the counters for an iteration. */
        @Setup(Level.Iteration)
        public void reset()
        {
            radixCpuNanos = 0;
            egressCopies = 0;
            published = 0;
        }
    }

    /**
     * Starts the radix and 16 viewers, announces the stream and waits until every viewer is attached where the
     * topology wants it.
     *
     * @throws InterruptedException if interrupted while binding.
     */
    @Setup(Level.Trial)
    public void setUp() throws InterruptedException
    {
        radixLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        viewerLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final TreeConfig config = TreeConfig.defaults().withTopology(topology).withShape(4, 6, 4)
            .withTimings(50_000_000L, 250_000_000L, 500_000_000L);
        final Map<Long, InetSocketAddress> directory = new ConcurrentHashMap<>();
        final List<Long> viewers = new ArrayList<>();
        for (long id = 1; id <= RECEIVERS; id++)
        {
            viewers.add(id);
        }
        radix = CloneNode.radix(configFor(RADIX, config, radixLoop, directory), STREAM, KEY, viewers);
        directory.put(RADIX, radix.start());
        clones.add(radix);
        for (final long id : viewers)
        {
            final CloneNode viewer = CloneNode.viewer(configFor(id, config, viewerLoop, directory),
                owner -> Intent.WATCH, false);
            directory.put(id, viewer.start());
            clones.add(viewer);
        }
        radix.announce();
        final int radixChildren = topology == TopologyKind.STAR ? RECEIVERS : 4;
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (!formed(radixChildren))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the " + topology + " did not form: " + radix.stats());
            }
            LockSupport.parkNanos(20_000_000L);
        }
        last = radix.stats();
        nextSendAt = System.nanoTime();
    }

    /**
     * Streams {@value #PACKETS} RTP packets at 2 Mbit/s through the radix and accounts its CPU time and egress.
     *
     * @param counters the per-iteration counters.
     * @return the radix's newest sequence number.
     */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long stream(final Radix counters)
    {
        for (int i = 0; i < PACKETS; i++)
        {
            final long wait = nextSendAt - System.nanoTime();
            if (wait > 0)
            {
                LockSupport.parkNanos(wait);
            }
            nextSendAt += PERIOD_NANOS;
            radix.publish(rtp(nextSeq++));
        }
        final MemberStats now = radix.stats();
        counters.radixCpuNanos += now.eventLoopCpuNanos() - last.eventLoopCpuNanos();
        counters.egressCopies += (now.mediaPacketsOut() - now.mediaPacketsReplayed())
            - (last.mediaPacketsOut() - last.mediaPacketsReplayed());
        counters.published += now.published() - last.published();
        last = now;
        return now.newestSequence();
    }

    /** Stops every clone and both event loops. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        for (final CloneNode clone : clones)
        {
            clone.close();
        }
        clones.clear();
        radixLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        viewerLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private boolean formed(final int radixChildren)
    {
        if (radix.stats().children().length != radixChildren)
        {
            return false;
        }
        for (final CloneNode clone : clones)
        {
            final MemberStats stats = clone.stats();
            if (!"ATTACHED".equals(stats.state()) || stats.pendingParent() != Topology.NONE)
            {
                return false;
            }
        }
        return true;
    }

    private static ByteBuf rtp(final int seq)
    {
        final ByteBuf rtp = PooledByteBufAllocator.DEFAULT.directBuffer(PACKET_SIZE);
        rtp.writeByte(0x80);
        rtp.writeByte(96);
        rtp.writeShort(seq & 0xFFFF);
        rtp.writeInt(seq * 3000);
        rtp.writeInt(0x1234_5678);
        rtp.writeByte(seq % 100 == 0 ? 0x65 : 0x41);
        rtp.writeZero(PACKET_SIZE - rtp.writerIndex());
        return rtp;
    }

    private static CloneConfig configFor(
        final long id, final TreeConfig config, final EventLoopGroup loop, final Map<Long, InetSocketAddress> directory)
    {
        final MediaListener listener = (buffer, offset, length, extSeq) ->
        {
        };
        return new CloneConfig(id, config, loop, new InetSocketAddress("127.0.0.1", 0), directory::get, listener,
            System::nanoTime);
    }
}
