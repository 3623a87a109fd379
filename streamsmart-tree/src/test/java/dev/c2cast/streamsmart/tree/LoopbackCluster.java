package dev.c2cast.streamsmart.tree;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * A radix and many viewer clones on loopback UDP in one JVM, with a synthetic RTP source at the radix and a record
 * of every sequence number each viewer's phone received. Test-only.
 */
final class LoopbackCluster implements AutoCloseable
{
    static final long RADIX = 0;
    static final long STREAM = 7;
    static final byte[] KEY = "loopback-cluster-owner-key-01234".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    final EventLoopGroup group;
    final EventLoopGroup radixGroup;
    final Map<Long, InetSocketAddress> directory = new ConcurrentHashMap<>();
    final Map<Long, CloneNode> clones = new LinkedHashMap<>();
    final Map<Long, BitSet> received = new ConcurrentHashMap<>();
    final TreeConfig config;
    private final List<Long> accessList;
    private final java.util.function.LongFunction<CloneSecurity> security;
    private io.netty.util.concurrent.ScheduledFuture<?> source;
    private int nextSeq;
    private volatile int lastSeqSent = -1;

    LoopbackCluster(final TreeConfig config, final int viewers, final int threads, final boolean radixOwnThread)
        throws InterruptedException
    {
        this(config, viewers, threads, radixOwnThread, id -> null);
    }

    /** As above, each clone with {@code security.apply(id)} (null: plain UDP). */
    LoopbackCluster(final TreeConfig config, final int viewers, final int threads, final boolean radixOwnThread,
        final java.util.function.LongFunction<CloneSecurity> security) throws InterruptedException
    {
        this.config = config;
        this.security = security;
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.radixGroup = radixOwnThread ? new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) : group;
        this.accessList = ids(viewers);
        final CloneNode radix = CloneNode.radix(configFor(RADIX, radixGroup), STREAM, KEY, accessList);
        directory.put(RADIX, radix.start());
        clones.put(RADIX, radix);
        for (long id = 1; id <= viewers; id++)
        {
            addViewer(id);
        }
    }

    /**
     * Member ids 1 to n, the viewers of a cluster of n, in a list the caller may change.
     *
     * @param n how many.
     * @return the ids.
     */
    static List<Long> ids(final int n)
    {
        final List<Long> ids = new ArrayList<>(n);
        for (long id = 1; id <= n; id++)
        {
            ids.add(id);
        }
        return ids;
    }

        CloneNode addViewer(final long id) throws InterruptedException
    {
        final CloneNode viewer = CloneNode.viewer(configFor(id, group), owner -> Intent.WATCH, false);
        directory.put(id, viewer.start());
        clones.put(id, viewer);
        return viewer;
    }

    private CloneConfig configFor(final long id, final EventLoopGroup loops)
    {
        final BitSet seen = new BitSet();
        received.put(id, seen);
        final MediaListener listener = (buffer, offset, length, extSeq) ->
        {
            synchronized (seen)
            {
                seen.set((int)extSeq);
            }
        };
        return new CloneConfig(id, config, loops, new InetSocketAddress("127.0.0.1", 0), directory::get, listener,
            System::nanoTime).withSecurity(security.apply(id));
    }

    CloneNode radix()
    {
        return clones.get(RADIX);
    }

    /** Starts a constant-bit-rate source: one packet of {@code size} bytes every {@code periodMicros}. */
    void startSource(final int size, final long periodMicros, final int keyframeEvery)
    {
        source = radixGroup.next().scheduleAtFixedRate(() ->
        {
            final int seq = nextSeq++;
            final ByteBuf rtp = PooledByteBufAllocator.DEFAULT.directBuffer(size);
            rtp.writeByte(0x80);
            rtp.writeByte(96);
            rtp.writeShort(seq & 0xFFFF);
            rtp.writeInt(seq * 3000);
            rtp.writeInt(0x1234_5678);
            rtp.writeByte(seq % keyframeEvery == 0 ? 0x65 : 0x41);
            rtp.writeZero(size - rtp.writerIndex());
            radix().publish(rtp);
            lastSeqSent = seq;
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    void stopSource() throws InterruptedException
    {
        source.cancel(false);
        // Let the cancellation land on the loop before reading lastSeqSent.
        radixGroup.next().submit(() -> { }).await(5, TimeUnit.SECONDS);
    }

    int lastSeqSent()
    {
        return lastSeqSent;
    }

    int gaps(final long id, final int upTo)
    {
        final BitSet seen = received.get(id);
        synchronized (seen)
        {
            final int first = seen.nextSetBit(0);
            if (first < 0 || first > upTo)
            {
                return first < 0 ? upTo + 1 : 0;
            }
            return (upTo - first + 1) - seen.get(first, upTo + 1).cardinality();
        }
    }

    /** Per live clone: {state ordinal, parent, pending}, gathered with one task per event loop. */
    Map<Long, long[]> views(final java.util.Collection<Long> ids) throws InterruptedException
    {
        final Map<io.netty.channel.EventLoop, List<CloneNode>> byLoop = new java.util.HashMap<>();
        for (final long id : ids)
        {
            final CloneNode clone = clones.get(id);
            byLoop.computeIfAbsent(clone.loop(), k -> new ArrayList<>()).add(clone);
        }
        final Map<Long, long[]> views = new ConcurrentHashMap<>();
        final List<io.netty.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (final Map.Entry<io.netty.channel.EventLoop, List<CloneNode>> entry : byLoop.entrySet())
        {
            futures.add(entry.getKey().submit(() ->
            {
                for (final CloneNode clone : entry.getValue())
                {
                    final TreeMember m = clone.engine();
                    views.put(clone.memberId(), new long[] {m.state().ordinal(), m.parent(), m.pendingParent()});
                }
            }));
        }
        for (final io.netty.util.concurrent.Future<?> future : futures)
        {
            future.await(5, TimeUnit.SECONDS);
        }
        return views;
    }

    static boolean await(final BooleanSupplier condition, final long timeoutMillis, final long pollMillis)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            Thread.sleep(pollMillis);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close()
    {
        for (final CloneNode clone : clones.values())
        {
            try
            {
                clone.close();
            }
            catch (final RuntimeException ex)
            {
                // already closed
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        if (radixGroup != group)
        {
            radixGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
