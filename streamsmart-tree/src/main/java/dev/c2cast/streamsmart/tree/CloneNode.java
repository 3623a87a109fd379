package dev.c2cast.streamsmart.tree;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.c2cast.streamsmart.tree.internal.DtlsHandler;
import dev.c2cast.streamsmart.tree.internal.LatencyHistogram;
import dev.c2cast.streamsmart.tree.internal.MediaSender;
import dev.c2cast.streamsmart.tree.internal.RtpView;
import dev.c2cast.streamsmart.tree.internal.TreeFrame;
import dev.c2cast.streamsmart.tree.wire.Envelope;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One cloud clone in one stream's relay tree, on UDP: the protocol state machine driven by a Netty event loop,
 * plus the forwarding plane. Media is forwarded without copying and without a message object per child: each
 * child's copy is one {@code sendto} from the one received buffer, on the clone's socket directly (not through the
 * Netty pipeline), and the ring of recent packets holds references, not copies. There is no playout buffer at
 * relays; packets reach the phone's {@link MediaListener} as they arrive.
 * <p>
 * Build the owner's clone with {@link #radix}, a viewer's with {@link #viewer}; {@link #start()} binds it. Every
 * public method may be called from any thread; the work runs on the clone's event loop.
 */
public final class CloneNode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(CloneNode.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final AtomicLong SEEDS = new AtomicLong(0x5EED_C2CAL);

    private final CloneConfig config;
    private final EventLoop loop;
    private final TreeMember engine;
    private final Relay<ByteBuf> relay;
    private final Wire wire = new Wire();
    private final LatencyHistogram hopLatency = new LatencyHistogram();
    private final RtpView.SequenceExtender extender = new RtpView.SequenceExtender();
    private Channel channel;
    private MediaSender media;
    private DtlsHandler dtls;
    private ScheduledFuture<?> ticker;
    private long lastTickEnd;
    private long loopLagMax;
    private long[] childIds = new long[8];
    private InetSocketAddress[] childAddresses = new InetSocketAddress[8];
    private int childCount;
    private boolean flushPending;
    private long mediaPacketsIn;
    private long mediaBytesIn;
    private long mediaPacketsOut;
    private long mediaBytesOut;
    private long published;
    private long delivered;
    private long firstSeq = -1;
    private long droppedControl;
    private volatile long loopThreadId = -1;

    private CloneNode(final CloneConfig config, final boolean radix, final long streamId, final byte[] key,
        final Collection<Long> accessList, final LongFunction<Intent> intentPolicy, final boolean leafOnly,
        final Topology strategy)
    {
        this.config = config;
        this.loop = config.group().next();
        final SplittableRandom random = new SplittableRandom(SEEDS.getAndAdd(0x9E3779B97F4A7C15L) ^ config.memberId());
        this.engine = radix
            ? TreeMember.radix(config.tree(), config.memberId(), streamId, key, accessList, strategy, wire,
                config.clock(), random)
            : TreeMember.member(config.tree(), config.memberId(), intentPolicy, leafOnly, wire, config.clock(), random);
        this.relay = new Relay<>(config.tree().ringCapacity(), wire);
    }

    /**
     * The stream owner's clone: the radix, which checks tokens and shapes the tree.
     *
     * @param config     the clone's configuration.
     * @param streamId   the stream.
     * @param key        the owner's token key (at least 16 bytes).
     * @param accessList members authorized to watch.
     * @return the clone, not yet started.
     */
    public static CloneNode radix(
        final CloneConfig config, final long streamId, final byte[] key, final Collection<Long> accessList)
    {
        return new CloneNode(config, true, streamId, key, accessList, null, false, null);
    }

    /**
     * The stream owner's clone with its own interconnection strategy, for placements {@link TopologyKind} does not
     * offer (a social-graph strategy that seats viewers under their friends, say). The protocol is unchanged: the
     * strategy only decides where joining members go and who moves when one leaves or fails.
     *
     * @param config     the clone's configuration.
     * @param streamId   the stream.
     * @param key        the owner's token key (at least 16 bytes).
     * @param accessList members authorized to watch.
     * @param strategy   an empty topology rooted at {@code config.memberId()}, confined to this clone's loop.
     * @return the clone, not yet started.
     */
    public static CloneNode radix(
        final CloneConfig config, final long streamId, final byte[] key, final Collection<Long> accessList,
        final Topology strategy)
    {
        return new CloneNode(config, true, streamId, key, accessList, null, false,
            java.util.Objects.requireNonNull(strategy, "strategy"));
    }

    /**
     * A viewer's clone.
     *
     * @param config       the clone's configuration.
     * @param intentPolicy answers announcements: watch, record or ignore (argument: the owner's member id).
     * @param leafOnly     whether this clone refuses to relay to others.
     * @return the clone, not yet started.
     */
    public static CloneNode viewer(
        final CloneConfig config, final LongFunction<Intent> intentPolicy, final boolean leafOnly)
    {
        return new CloneNode(config, false, 0, null, null, intentPolicy, leafOnly, null);
    }

    /**
     * Binds the UDP socket (with DTLS under the overlay if the configuration has {@link CloneConfig#security()})
     * and starts the heartbeat tick.
     *
     * @return the bound address.
     * @throws InterruptedException if interrupted while binding.
     */
    public InetSocketAddress start() throws InterruptedException
    {
        // The socket is opened here so that media can be sent on it directly (MediaSender), without a Netty
        // message object per child copy; Netty reads it and sends control datagrams as usual.
        final java.nio.channels.DatagramChannel socket;
        try
        {
            socket = java.nio.channels.DatagramChannel.open();
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException("cannot open a UDP socket", ex);
        }
        // Under DTLS every datagram goes through the pipeline to be encrypted per neighbour.
        media = config.security() == null ? new MediaSender(socket) : null;
        channel = new Bootstrap()
            .group(loop)
            .channelFactory(() -> new NioDatagramChannel(socket))
            .option(ChannelOption.SO_RCVBUF, 4 << 20)
            .option(ChannelOption.SO_SNDBUF, 4 << 20)
            // Received packets stay in the repair ring for seconds: the pooled allocator holds them with one
            // object each, where the adaptive allocator adds a slice per buffer that long retention defeats.
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .handler(config.security() == null ? new Inbound() : secureHandlers())
            .bind(config.bind())
            .sync()
            .channel();
        final long interval = config.tree().heartbeatIntervalNanos();
        loop.execute(() ->
        {
            loopThreadId = Thread.currentThread().getId();
            lastTickEnd = config.clock().getAsLong();
            // Fixed delay, not fixed rate: after a stall, a fixed-rate timer fires every missed tick back to back,
            // a burst of heartbeats from every clone on the loop exactly when the loop is already behind.
            ticker = loop.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.NANOSECONDS);
        });
        return (InetSocketAddress)channel.localAddress();
    }

    /**
     * Radix: announces the stream to every authorized clone.
     */
    public void announce()
    {
        run(engine::announce);
    }

    /**
     * Radix: authorizes one more member after construction (a clone admitted at run time), so its join passes the
     * access-list check. Idempotent; returns once the radix has recorded it.
     *
     * @param member the member id.
     * @throws IllegalStateException on a viewer's clone.
     */
    public void authorize(final long member)
    {
        call(e ->
        {
            e.authorize(member);
            return null;
        });
    }

    /**
     * Radix: issues a join token for out-of-band delivery.
     *
     * @param member      the member.
     * @param expiryNanos expiry, in the configured clock's time base.
     * @return the token.
     */
    public byte[] issueToken(final long member, final long expiryNanos)
    {
        return call(e -> e.issueToken(member, expiryNanos));
    }

    /**
     * Viewer: joins with a token obtained out of band.
     *
     * @param radix    the radix member id.
     * @param streamId the stream.
     * @param token    the token (null to try without one).
     * @param intent   watch, record, or ignore (relay only).
     */
    public void join(final long radix, final long streamId, final byte[] token, final Intent intent)
    {
        run(() -> engine.join(radix, streamId, token, intent));
    }

    /**
     * Leaves gracefully (children are handed over first); on the radix, ends the stream for everyone.
     */
    public void leave()
    {
        run(engine::leave);
    }

    /**
     * Radix: one RTP packet from the phone. Takes ownership of {@code rtp}.
     *
     * @param rtp the RTP packet.
     */
    public void publish(final ByteBuf rtp)
    {
        if (loop.inEventLoop())
        {
            publishOnLoop(rtp);
        }
        else
        {
            loop.execute(() -> publishOnLoop(rtp));
        }
    }

    /**
     * A snapshot of this clone's state and counters.
     *
     * @return the statistics.
     */
    public MemberStats stats()
    {
        return call(e -> snapshot());
    }

    /**
     * A snapshot of this clone's DTLS counters: handshakes completed and failed (a clone refused for want of a
     * trusted certificate shows here), records and bytes on the wire.
     *
     * @return the statistics; {@link SecurityStats#PLAIN} for a clone in plain-UDP mode.
     */
    public SecurityStats securityStats()
    {
        return call(e -> dtls == null ? SecurityStats.PLAIN : dtls.stats());
    }

    /**
     * The member id.
     *
     * @return the id.
     */
    public long memberId()
    {
        return config.memberId();
    }

    /**
     * Stops at once, without leaving: to the others this clone has crashed.
     */
    @Override
    public void close()
    {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() ->
        {
            if (ticker != null)
            {
                ticker.cancel(false);
            }
            relay.clear();
            if (channel != null)
            {
                channel.close();
            }
            done.complete(null);
        });
        if (!loop.inEventLoop())
        {
            try
            {
                done.get(2, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            catch (final ExecutionException | TimeoutException ex)
            {
                LOG.debug("clone {} did not close within 2 s", config.memberId());
            }
        }
    }

    /**
     * Runs a function on the loop with the engine (tests and diagnostics).
     */
    <T> T call(final Function<TreeMember, T> function)
    {
        if (loop.inEventLoop())
        {
            return function.apply(engine);
        }
        final CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() ->
        {
            try
            {
                result.complete(function.apply(engine));
            }
            catch (final RuntimeException ex)
            {
                result.completeExceptionally(ex);
            }
        });
        return await(result);
    }

    private void run(final Runnable action)
    {
        if (loop.inEventLoop())
        {
            action.run();
            flushIfNeeded();
        }
        else
        {
            loop.execute(() ->
            {
                action.run();
                flushIfNeeded();
            });
        }
    }

    private static <T> T await(final CompletableFuture<T> future)
    {
        try
        {
            return future.get(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException("event loop did not answer", ex);
        }
    }

    private void tick()
    {
        // This firing was due one interval after the previous one ended; how late it runs is the event loop's lag
        // (a busy loop, a starved thread, a GC pause), which the engine adds to its silence thresholds and
        // advertises to its neighbours.
        final long now = config.clock().getAsLong();
        final long lag = Math.max(0, now - lastTickEnd - config.tree().heartbeatIntervalNanos());
        loopLagMax = Math.max(loopLagMax, lag);
        engine.onTick(lag);
        flushIfNeeded();
        lastTickEnd = config.clock().getAsLong();
    }

    private void publishOnLoop(final ByteBuf rtp)
    {
        try
        {
            if (engine.state() != TreeMember.State.ATTACHED || !engine.isRadix() || channel == null)
            {
                return;
            }
            final int start = rtp.readerIndex();
            final int length = rtp.readableBytes();
            if (length < RtpView.FIXED_HEADER_LENGTH)
            {
                return;
            }
            final long extSeq = extender.extend(RtpView.sequence(rtp, start));
            final boolean keyframe = RtpView.startsKeyframe(rtp, start, length);
            final ByteBuf frame = channel.alloc().directBuffer(TreeFrame.MEDIA_HEADER_LENGTH + length);
            TreeFrame.writeMediaHeader(frame, config.memberId(), extSeq, keyframe, config.clock().getAsLong());
            frame.writeBytes(rtp, start, length);
            engine.onMediaFrom(config.memberId());
            published++;
            relay.onPacket(extSeq, keyframe, frame);
            frame.release();
            flushIfNeeded();
        }
        finally
        {
            rtp.release();
        }
    }

    private void onMediaFrame(final ByteBuf frame)
    {
        mediaPacketsIn++;
        mediaBytesIn += frame.readableBytes();
        final long sender = TreeFrame.sender(frame);
        final TreeMember.State state = engine.state();
        if ((state != TreeMember.State.ATTACHED && state != TreeMember.State.ATTACHING)
            || (sender != engine.parent() && sender != engine.pendingParent()))
        {
            return;
        }
        final long now = config.clock().getAsLong();
        final long extSeq = TreeFrame.sequence(frame);
        if (sender == engine.parent() && extSeq > relay.newest())
        {
            // Only packets at the live edge: replays from a ring carry the time they were first sent.
            hopLatency.record(now - TreeFrame.sentAt(frame));
        }
        engine.onMediaFrom(sender);
        if (relay.has(extSeq))
        {
            relay.onPacket(extSeq, false, frame);
            return;
        }
        TreeFrame.stampHop(frame, config.memberId(), now);
        relay.onPacket(extSeq, TreeFrame.keyframe(frame), frame);
        flushIfNeeded();
    }

    private void onControlFrame(final ByteBuf frame, final InetSocketAddress sender)
    {
        final Envelope envelope;
        try
        {
            envelope = Envelope.parseFrom(frame.nioBuffer(frame.readerIndex() + 1, frame.readableBytes() - 1));
        }
        catch (final InvalidProtocolBufferException ex)
        {
            droppedControl++;
            LOG.debug("malformed control datagram from {}", sender);
            return;
        }
        final InetSocketAddress claimed = config.directory().addressOf(envelope.getFrom());
        if (!sender.equals(claimed))
        {
            // A datagram claiming a member id it was not sent from is a spoofing attempt or a stale peer.
            droppedControl++;
            return;
        }
        engine.onMessage(envelope.getFrom(), envelope);
        flushIfNeeded();
    }

    private void flushIfNeeded()
    {
        if (flushPending && channel != null)
        {
            flushPending = false;
            channel.flush();
        }
    }

    private MemberStats snapshot()
    {
        final long[] children = new long[engine.children().size()];
        int i = 0;
        for (final long child : engine.children())
        {
            children[i++] = child;
        }
        final long newest = relay.newest();
        final long lost = firstSeq < 0 ? 0 : Math.max(0, newest - firstSeq + 1 - delivered);
        final long tid = loopThreadId;
        final long cpu = tid < 0 ? 0 : THREADS.getThreadCpuTime(tid);
        return new MemberStats(config.memberId(), engine.role(), engine.state().name(), engine.refusal(),
            engine.depth(), engine.parent(), engine.pendingParent(), children, mediaPacketsIn, mediaBytesIn,
            mediaPacketsOut, mediaBytesOut, delivered, relay.duplicates(), lost, newest,
            hopLatency.percentile(50), hopLatency.percentile(99), hopLatency.count(), engine.repairRequests(),
            engine.parentChanges(), cpu, engine.loopLag(), loopLagMax, engine.falseSuspicions(), published,
            relay.replayed());
    }

    /** The bound channel (tests tap its pipeline), null before {@link #start()}. */
    Channel channel()
    {
        return channel;
    }

    private ChannelHandler secureHandlers()
    {
        dtls = new DtlsHandler(config.security(), config.directory(), config.clock());
        return new ChannelInitializer<Channel>()
        {
            @Override
            protected void initChannel(final Channel ch)
            {
                ch.pipeline().addLast(dtls, new Inbound());
            }
        };
    }

    /** The event loop this clone is confined to. */
    EventLoop loop()
    {
        return loop;
    }

    /** The engine; only to be touched on {@link #loop()}. */
    TreeMember engine()
    {
        return engine;
    }

    /** The per-hop latency histogram (tests aggregate it; read on the loop). */
    LatencyHistogram hopLatency()
    {
        return hopLatency;
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet)
        {
            final ByteBuf content = packet.content();
            if (TreeFrame.isMedia(content))
            {
                onMediaFrame(content);
            }
            else if (TreeFrame.isControl(content))
            {
                onControlFrame(content, packet.sender());
            }
            else
            {
                droppedControl++;
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            LOG.debug("clone {} channel error", config.memberId(), cause);
        }
    }

    /** The outbox, relay operations and data-plane address cache, all on the loop. */
    private final class Wire implements Outbox, Relay.Ops<ByteBuf>
    {
        @Override
        public void send(final long to, final Envelope envelope)
        {
            final InetSocketAddress address = config.directory().addressOf(to);
            if (address == null || channel == null)
            {
                return;
            }
            final byte[] bytes = envelope.toByteArray();
            final ByteBuf buffer = channel.alloc().buffer(1 + bytes.length);
            buffer.writeByte(TreeFrame.TYPE_CONTROL);
            buffer.writeBytes(bytes);
            channel.write(new DatagramPacket(buffer, address), channel.voidPromise());
            flushPending = true;
        }

        @Override
        public void attachChild(final long child, final boolean hasResume, final long resumeFrom)
        {
            final InetSocketAddress address = config.directory().addressOf(child);
            if (address == null)
            {
                return;
            }
            removeAddress(child);
            if (childCount == childIds.length)
            {
                childIds = java.util.Arrays.copyOf(childIds, childCount * 2);
                childAddresses = java.util.Arrays.copyOf(childAddresses, childCount * 2);
            }
            childIds[childCount] = child;
            childAddresses[childCount] = address;
            childCount++;
            relay.attach(child, hasResume, resumeFrom);
        }

        @Override
        public void detachChild(final long child)
        {
            relay.detach(child);
            removeAddress(child);
        }

        @Override
        public Relay<ByteBuf> relay()
        {
            return relay;
        }

        @Override
        public void stateChanged(final TreeMember member)
        {
        }

        @Override
        public void forward(final long child, final ByteBuf packet)
        {
            for (int i = 0; i < childCount; i++)
            {
                if (childIds[i] == child)
                {
                    mediaPacketsOut++;
                    mediaBytesOut += packet.readableBytes();
                    if (media != null && MediaSender.canSend(packet))
                    {
                        media.send(packet, childAddresses[i]);
                    }
                    else
                    {
                        channel.write(new DatagramPacket(packet.retainedDuplicate(), childAddresses[i]),
                            channel.voidPromise());
                        flushPending = true;
                    }
                    return;
                }
            }
        }

        @Override
        public void deliver(final ByteBuf packet, final long extSeq)
        {
            delivered++;
            if (firstSeq < 0)
            {
                firstSeq = extSeq;
            }
            config.listener().onMedia(packet, packet.readerIndex() + TreeFrame.MEDIA_HEADER_LENGTH,
                packet.readableBytes() - TreeFrame.MEDIA_HEADER_LENGTH, extSeq);
        }

        @Override
        public ByteBuf retain(final ByteBuf packet)
        {
            return packet.retain();
        }

        @Override
        public void release(final ByteBuf packet)
        {
            packet.release();
        }

        private void removeAddress(final long child)
        {
            for (int i = 0; i < childCount; i++)
            {
                if (childIds[i] == child)
                {
                    childCount--;
                    childIds[i] = childIds[childCount];
                    childAddresses[i] = childAddresses[childCount];
                    childAddresses[childCount] = null;
                    return;
                }
            }
        }
    }
}
