package dev.c2cast.rtp.h264;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspDecoder;
import io.netty.handler.codec.rtsp.RtspEncoder;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RTSP server (RFC 2326) for H.264 live streams on Netty's RTSP codec: OPTIONS, DESCRIBE, SETUP over UDP
 * ({@code client_port} echoed, {@code server_port} and {@code ssrc} added) or TCP interleaved (channels chosen when
 * the client gives none), PLAY, PAUSE, TEARDOWN, GET_PARAMETER and SET_PARAMETER as keep-alive, and ANNOUNCE/RECORD
 * so a client (a phone) can push a stream that the server then serves to players (its clone's viewers).
 * <p>
 * <b>Receiving pushed streams.</b> A stream pushed with ANNOUNCE/RECORD (over UDP or interleaved TCP), or received as
 * plain RTP/UDP with {@link #receiveRtp(String, H264MediaDescription, int)}, goes through a jitter buffer and the
 * depacketizer, is re-served at its path to any number of RTSP players (starting each at the last keyframe, see
 * {@link LiveStream}), and is handed to the application through {@link #pushListener(PushListener)}: RTP packets in
 * sequence order and whole access units. A new ANNOUNCE at a path already pushed keeps its stream and players.
 * <p>
 * A session carries {@code Session: id;timeout=N} and stays alive on any RTSP request or RTCP packet from its client
 * (interleaved sessions also while their connection is open). Control URLs are accepted with or without a trailing
 * slash and with the track suffix {@code trackID=0}. Interleaved data is sent only after the PLAY response. Several
 * sessions may play one stream.
 * <p>
 * All channels of a server share one event loop, so every piece of state is confined to it; public methods may be
 * called from any thread. The loop is the server's own, or one of a group the caller supplies to
 * {@link #start(RtspServerConfig, SplittableRandom, EventLoopGroup)}: a process that relays pushed RTP to other
 * components on the same loop then hands each packet on with no copy and no thread hop.
 */
public final class RtspServer implements AutoCloseable
{
    static final long BYE_DELAY_MILLIS = 500;
    /** Pace of a joining player's catch-up with the cached GOP: packets per millisecond (about 19 MB/s). */
    static final int BACKLOG_PACKETS_PER_MILLI = 16;
    private static final Logger LOG = LoggerFactory.getLogger(RtspServer.class);
    private static final String PUBLIC = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER, ANNOUNCE, RECORD";
    private static final String TRACK = "trackID=0";

    private final RtspServerConfig config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final EventLoop loop;
    private final ChannelGroup channels;
    private ScheduledFuture<?> ticker;
    private boolean closed;
    private final SplittableRandom random;
    private final Map<String, LiveStream> streams = new HashMap<>();
    private final Map<String, Session> sessions = new HashMap<>();
    private Channel tcp;
    private Channel rtp;
    private Channel rtcp;
    private long requests;
    private long datagrams;
    private long expiredSessions;
    private volatile PushListener pushListener = new PushListener()
    {
    };

    private RtspServer(final RtspServerConfig config, final SplittableRandom random, final EventLoopGroup group)
    {
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        this.ownsGroup = group == null;
        this.group = ownsGroup ? new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) : group;
        this.loop = this.group.next();
        this.channels = new DefaultChannelGroup("rtsp-server", loop);
    }

    /**
     * Starts a server: binds the RTSP port and a UDP port pair for RTP and RTCP.
     *
     * @param config the settings.
     * @param random source of session ids and SSRCs.
     * @return the running server.
     * @throws InterruptedException if interrupted while binding.
     */
    public static RtspServer start(final RtspServerConfig config, final SplittableRandom random) throws InterruptedException
    {
        return start(config, random, null);
    }

    /**
     * Starts a server on one event loop of the caller's group (NIO transport). The group stays the caller's:
     * {@link #close()} closes the server's channels and stops its timers but leaves the group running.
     *
     * @param config the settings.
     * @param random source of session ids and SSRCs.
     * @param group  the event loops to take one from, or null for a loop of the server's own.
     * @return the running server.
     * @throws InterruptedException if interrupted while binding.
     */
    public static RtspServer start(
        final RtspServerConfig config, final SplittableRandom random, final EventLoopGroup group) throws InterruptedException
    {
        final RtspServer server = new RtspServer(config, random, group);
        try
        {
            server.bind();
        }
        catch (final RuntimeException | InterruptedException ex)
        {
            server.close();
            throw ex;
        }
        return server;
    }

    private void bind() throws InterruptedException
    {
        tcp = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 8 << 20))
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    final Connection connection = new Connection();
                    channels.add(ch);
                    ch.pipeline().addLast("framer", new RtspFramer());
                    ch.pipeline().addLast("encoder", new RtspEncoder());
                    ch.pipeline().addLast("decoder", new RtspDecoder());
                    ch.pipeline().addLast("aggregator", new HttpObjectAggregator(RtspFramer.MAX_CONTENT_LENGTH));
                    ch.pipeline().addLast("handler", connection);
                }
            })
            .bind(config.host(), config.port()).sync().channel();
        channels.add(tcp);
        for (int attempt = 0; attempt < 50 && rtcp == null; attempt++)
        {
            final Channel candidate = udp(0);
            final int port = ((InetSocketAddress)candidate.localAddress()).getPort();
            if ((port & 1) != 0 || port > 65534)
            {
                candidate.close();
                continue;
            }
            try
            {
                rtcp = udp(port + 1);
                rtp = candidate;
            }
            catch (final InterruptedException ex)
            {
                candidate.close();
                throw ex;
            }
            catch (final Exception ex)
            {
                // the odd port is taken: try another pair
                candidate.close();
            }
        }
        if (rtcp == null)
        {
            throw new IllegalStateException("could not bind an even/odd UDP port pair");
        }
        ticker = loop.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private Channel udp(final int port) throws InterruptedException
    {
        final Channel channel = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
            .handler(new SimpleChannelInboundHandler<DatagramPacket>()
            {
                @Override
                protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet)
                {
                    onDatagram(packet, port != 0);
                }
            })
            .bind(config.host(), port).sync().channel();
        channels.add(channel);
        return channel;
    }

    /**
     * The RTSP port.
     *
     * @return the bound TCP port.
     */
    public int port()
    {
        return ((InetSocketAddress)tcp.localAddress()).getPort();
    }

    /**
     * The UDP port RTP is sent from ({@code server_port}); RTCP uses the next one.
     *
     * @return the even port.
     */
    public int rtpPort()
    {
        return ((InetSocketAddress)rtp.localAddress()).getPort();
    }

    /**
     * The settings.
     *
     * @return the configuration.
     */
    public RtspServerConfig config()
    {
        return config;
    }

    /**
     * Publishes a stream at a path; players find it at {@code rtsp://host:port/path}.
     *
     * @param path  such as {@code /live}.
     * @param media the stream's SPS and PPS (for DESCRIBE and in-band insertion); its payload type and mode are
     *              replaced by the server's.
     * @return the stream, to which the application gives access units.
     */
    public LiveStream publish(final String path, final H264MediaDescription media)
    {
        return call(() -> publishOnLoop(normalize(path), media));
    }

    /**
     * Sets the listener that gets the streams clients push (ANNOUNCE/RECORD) and plain RTP/UDP received with
     * {@link #receiveRtp(String, H264MediaDescription, int)}; it applies to pushes that start afterwards too.
     *
     * @param listener runs on the server's event loop; not null.
     */
    public void pushListener(final PushListener listener)
    {
        if (listener == null)
        {
            throw new IllegalArgumentException("listener is required");
        }
        pushListener = listener;
    }

    PushListener pushListener()
    {
        return pushListener;
    }

    /**
     * Receives plain RTP/UDP (no RTSP, such as {@code ffmpeg -f rtp rtp://host:port}) on a new UDP port and serves it
     * at a path like a pushed stream: jitter buffer, depacketizer, re-served to RTSP players, and handed to the
     * {@link PushListener}. RTCP arriving on the same port is ignored. Packets of the first SSRC seen are used; a
     * new SSRC counts as a loss burst. Closing the server closes the port.
     *
     * @param path  such as {@code /phone1}.
     * @param media the stream's description (SPS and PPS from its SDP, if known; in-band ones are learnt).
     * @param port  the UDP port on the server's host, 0 for any (see {@link LiveStream#receivePort()}).
     * @return the stream.
     * @throws InterruptedException if interrupted while binding.
     */
    public LiveStream receiveRtp(final String path, final H264MediaDescription media, final int port) throws InterruptedException
    {
        final LiveStream stream = publish(path, media);
        final PushIngest ingest = call(() -> new PushIngest(this, stream, stream::keyframeRequested));
        final Channel channel = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, 4 << 20)
            .handler(new SimpleChannelInboundHandler<DatagramPacket>()
            {
                @Override
                protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet)
                {
                    final ByteBuf content = packet.content();
                    if (!Rtcp.isRtcp(content, content.readerIndex(), content.readableBytes()))
                    {
                        ingest.onPacket(content);
                    }
                }
            })
            .bind(config.host(), port).sync().channel();
        channels.add(channel);
        call(() ->
        {
            stream.receiveChannel(channel, ingest);
            return null;
        });
        return stream;
    }

    /**
     * The stream at a path, such as one a client pushed with ANNOUNCE/RECORD.
     *
     * @param path such as {@code /phone1}.
     * @return the stream, or null.
     */
    public LiveStream stream(final String path)
    {
        return call(() -> streams.get(normalize(path)));
    }

    /**
     * RTSP requests answered so far.
     *
     * @return the count.
     */
    public long requests()
    {
        return call(() -> requests);
    }

    /**
     * UDP datagrams received from clients (RTCP, NAT punches, recorded RTP).
     *
     * @return the count.
     */
    public long rtcpPackets()
    {
        return call(() -> datagrams);
    }

    /**
     * Sessions the server dropped because neither an RTSP request nor RTCP arrived within the session timeout.
     *
     * @return the count.
     */
    public long expiredSessions()
    {
        return call(() -> expiredSessions);
    }

    /**
     * Sessions alive now.
     *
     * @return the count.
     */
    public int sessions()
    {
        return call(sessions::size);
    }

    /**
     * Closes every connection and socket and stops the event loop.
     */
    @Override
    public void close()
    {
        if (!group.isShuttingDown())
        {
            try
            {
                call(() ->
                {
                    if (!closed)
                    {
                        closed = true;
                        if (ticker != null)
                        {
                            ticker.cancel(false);
                        }
                        for (final LiveStream stream : streams.values())
                        {
                            stream.release();
                        }
                    }
                    return null;
                });
            }
            catch (final RuntimeException ex)
            {
                LOG.debug("releasing streams on close failed: {}", ex.toString());
            }
        }
        if (ownsGroup)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        else if (!loop.isShuttingDown())
        {
            // (a loop already shutting down closes its channels itself; on the loop, waiting would deadlock)
            final ChannelGroupFuture closing = channels.close();
            if (!loop.inEventLoop())
            {
                closing.awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Runs the once-a-second session expiry and sender-report pass now, for tests driving a virtual clock. */
    void tickNow()
    {
        call(() ->
        {
            tick();
            return null;
        });
    }

    boolean inEventLoop()
    {
        return loop.inEventLoop();
    }

    void execute(final Runnable task)
    {
        loop.execute(task);
    }

    void schedule(final Runnable task, final long delayMillis)
    {
        loop.schedule(() -> runUnlessClosed(task), delayMillis, TimeUnit.MILLISECONDS);
    }

    /** For a task run often (a push's jitter-buffer timer) that checks {@link #isClosed()} itself: no wrapper. */
    void scheduleNanos(final Runnable task, final long delayNanos)
    {
        loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Whether {@link #close()} has run; on the server's loop. */
    boolean isClosed()
    {
        return closed;
    }

    private void runUnlessClosed(final Runnable task)
    {
        if (!closed)
        {
            task.run();
        }
    }

    ByteBufAllocator alloc()
    {
        return rtp.alloc();
    }

    <T> T call(final java.util.concurrent.Callable<T> task)
    {
        if (loop.inEventLoop())
        {
            try
            {
                return task.call();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }
        final CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() ->
        {
            try
            {
                result.complete(task.call());
            }
            catch (final Exception ex)
            {
                result.completeExceptionally(ex);
            }
        });
        return result.join();
    }

    private LiveStream publishOnLoop(final String path, final H264MediaDescription media)
    {
        final PacketizerConfig pc = LiveStream.packetizerConfig(config, random);
        final LiveStream stream = new LiveStream(this, path, served(pc.packetizationMode(), media), pc);
        final LiveStream previous = streams.put(path, stream);
        if (previous != null)
        {
            for (final Session s : new ArrayList<>(previous.subscribers))
            {
                s.stop();
            }
            previous.release();
        }
        return stream;
    }

    private static H264MediaDescription served(final int packetizationMode, final H264MediaDescription media)
    {
        return media.sequenceParameterSet() != null && media.pictureParameterSet() != null
            ? H264MediaDescription.of(96, packetizationMode, media.sequenceParameterSet(), media.pictureParameterSet(), TRACK)
            : new H264MediaDescription(96, packetizationMode, media.profileLevelId(), media.parameterSets(), TRACK);
    }

    private void tick()
    {
        final long now = config.clock().getAsLong();
        final long timeout = TimeUnit.SECONDS.toNanos(config.sessionTimeoutSeconds());
        for (final Iterator<Session> it = sessions.values().iterator(); it.hasNext(); )
        {
            final Session s = it.next();
            final boolean connected = s.connection != null && s.connection.ctx != null && s.connection.ctx.channel().isActive();
            if ((s.tcp && !connected) || (!s.tcp && now - s.lastActivity > timeout))
            {
                LOG.debug("session {} expired", s.id);
                if (!s.tcp)
                {
                    expiredSessions++;
                }
                s.close();
                it.remove();
            }
        }
        for (final LiveStream stream : streams.values())
        {
            stream.sendSenderReport();
        }
    }

    private void onDatagram(final DatagramPacket packet, final boolean rtcpPort)
    {
        datagrams++;
        final InetSocketAddress from = packet.sender();
        for (final Session s : sessions.values())
        {
            if (s.tcp || !s.client.getAddress().equals(from.getAddress()))
            {
                continue;
            }
            if (from.getPort() == s.transport.clientRtpPort() || from.getPort() == s.transport.clientRtcpPort())
            {
                s.lastActivity = config.clock().getAsLong();
                if (!rtcpPort && s.recording && from.getPort() == s.transport.clientRtpPort())
                {
                    s.onRecordedPacket(packet.content());
                }
                else if (rtcpPort)
                {
                    s.onRtcp(packet.content());
                }
                return;
            }
        }
    }

    static String normalize(final String uriOrPath)
    {
        String p = uriOrPath;
        final int scheme = p.indexOf("://");
        if (scheme >= 0)
        {
            final int slash = p.indexOf('/', scheme + 3);
            p = slash < 0 ? "/" : p.substring(slash);
        }
        final int query = p.indexOf('?');
        if (query >= 0)
        {
            p = p.substring(0, query);
        }
        while (p.contains("//"))
        {
            p = p.replace("//", "/");
        }
        while (p.length() > 1 && p.endsWith("/"))
        {
            p = p.substring(0, p.length() - 1);
        }
        return p.startsWith("/") ? p : "/" + p;
    }

    private LiveStream resolve(final String uri)
    {
        final String path = normalize(uri);
        final LiveStream direct = streams.get(path);
        if (direct != null)
        {
            return direct;
        }
        // a track control URL: <base>/trackID=0 (ours), <base>/streamid=0 (FFmpeg's ANNOUNCE), ...
        final int slash = path.lastIndexOf('/');
        return slash > 0 ? streams.get(path.substring(0, slash)) : null;
    }

    /** One RTSP session: a client playing or recording one stream over UDP or interleaved TCP. */
    final class Session
    {
        final String id;
        final LiveStream stream;
        final RtspTransport transport;
        final boolean tcp;
        final Connection connection;
        final InetSocketAddress client;
        long lastActivity;
        boolean playing;
        boolean recording;
        private PushIngest ingest;
        private int recordedSsrc;
        private boolean pending;
        private ArrayDeque<ByteBuf> backlog;
        private boolean draining;
        private final Runnable drainTask = this::drain;

        Session(final String id, final LiveStream stream, final RtspTransport transport, final Connection connection)
        {
            this.id = id;
            this.stream = stream;
            this.transport = transport;
            this.tcp = transport.tcp();
            this.connection = connection;
            this.client = (InetSocketAddress)connection.ctx.channel().remoteAddress();
            this.lastActivity = config.clock().getAsLong();
        }

        void sendRtp(final ByteBuf packet)
        {
            if (backlog != null && !backlog.isEmpty())
            {
                backlog(packet);
                return;
            }
            send(packet, false);
        }

        /** Queues a packet behind the cached GOP this player is catching up with. */
        void backlog(final ByteBuf packet)
        {
            if (backlog == null)
            {
                backlog = new ArrayDeque<>();
            }
            backlog.addLast(packet.retain());
            if (!draining)
            {
                draining = true;
                loop.execute(drainTask);
            }
        }

        /** Sends the next few backlog packets; paced so a player's socket buffer and a TCP write buffer keep up. */
        private void drain()
        {
            int sent = 0;
            while (sent < BACKLOG_PACKETS_PER_MILLI && playing && !closed && !backlog.isEmpty() && writable())
            {
                final ByteBuf packet = backlog.pollFirst();
                send(packet, false);
                packet.release();
                sent++;
            }
            flush();
            if (playing && !closed && !backlog.isEmpty())
            {
                loop.schedule(drainTask, 1, TimeUnit.MILLISECONDS);
            }
            else
            {
                draining = false;
                releaseBacklog();
            }
        }

        private boolean writable()
        {
            return !tcp || connection.framerCtx == null || connection.framerCtx.channel().isWritable() || !connection.framerCtx.channel().isActive();
        }

        private void releaseBacklog()
        {
            if (backlog != null)
            {
                for (ByteBuf packet = backlog.pollFirst(); packet != null; packet = backlog.pollFirst())
                {
                    packet.release();
                }
            }
        }

        void sendRtcp(final ByteBuf packet)
        {
            send(packet, true);
        }

        private void send(final ByteBuf packet, final boolean control)
        {
            if (tcp)
            {
                final ChannelHandlerContext ctx = connection.framerCtx;
                if (ctx == null || !ctx.channel().isActive() || !ctx.channel().isWritable())
                {
                    return;
                }
                final ByteBuf header = ctx.alloc().buffer(4);
                header.writeByte('$');
                header.writeByte(control ? transport.rtcpChannel() : transport.rtpChannel());
                header.writeShort(packet.readableBytes());
                ctx.write(header, ctx.voidPromise());
                ctx.write(packet.retainedDuplicate(), ctx.voidPromise());
            }
            else
            {
                final int port = control ? transport.clientRtcpPort() : transport.clientRtpPort();
                final Channel channel = control ? rtcp : rtp;
                channel.write(new DatagramPacket(packet.retainedDuplicate(), new InetSocketAddress(client.getAddress(), port)), channel.voidPromise());
            }
            pending = true;
        }

        void flush()
        {
            if (pending)
            {
                pending = false;
                if (tcp)
                {
                    if (connection.framerCtx != null)
                    {
                        connection.framerCtx.flush();
                    }
                }
                else
                {
                    rtp.flush();
                    rtcp.flush();
                }
            }
        }

        void play()
        {
            if (!playing)
            {
                playing = true;
                stream.join(this);
            }
        }

        void stop()
        {
            playing = false;
            stream.subscribers.remove(this);
            // a pending drain finds the backlog empty and stops; a PLAY right after starts a fresh one
            releaseBacklog();
        }

        /** The session is gone: stop playing, and end a push it carried. */
        void close()
        {
            stop();
            if (ingest != null)
            {
                ingest.close();
                if (stream.source == this)
                {
                    stream.source = null;
                }
            }
        }

        void onRecordedPacket(final ByteBuf packet)
        {
            if (Rtcp.isRtcp(packet, packet.readerIndex(), packet.readableBytes()))
            {
                return;
            }
            if (ingest == null)
            {
                stream.source = this;
                ingest = new PushIngest(RtspServer.this, stream, this::sendPictureLossIndication);
            }
            if (packet.readableBytes() >= RtpHeader.FIXED_HEADER_LENGTH)
            {
                recordedSsrc = packet.getInt(packet.readerIndex() + RtpHeader.SSRC_OFFSET);
            }
            ingest.onPacket(packet);
        }

        /** RTCP from this session's client: every packet is a sign of life; a PLI asks the stream's source for an IDR. */
        void onRtcp(final ByteBuf packet)
        {
            try
            {
                Rtcp.parse(packet, packet.readerIndex(), packet.readableBytes(), new RtcpListener()
                {
                    @Override
                    public void onPictureLossIndication(final int senderSsrc, final int mediaSsrc)
                    {
                        stream.keyframeRequested();
                    }

                    @Override
                    public void onNack(final int senderSsrc, final int mediaSsrc, final int sequenceNumber)
                    {
                        if (playing)
                        {
                            stream.retransmit(Session.this, sequenceNumber);
                        }
                    }
                });
            }
            catch (final RtpH264Exception ex)
            {
                LOG.debug("malformed RTCP from session {}: {}", id, ex.getMessage());
            }
        }

        /** Asks the client that pushes this session's stream for an IDR picture (RFC 4585 PLI). */
        void sendPictureLossIndication()
        {
            final ByteBuf pli = Unpooled.buffer(12);
            Rtcp.writePictureLossIndication(pli, stream.ssrc(), recordedSsrc);
            try
            {
                sendRtcp(pli);
                flush();
            }
            finally
            {
                pli.release();
            }
        }
    }

    /** The RTSP handler of one TCP connection. */
    private final class Connection extends SimpleChannelInboundHandler<Object>
    {
        ChannelHandlerContext ctx;
        ChannelHandlerContext framerCtx;
        private final List<Session> own = new ArrayList<>();

        @Override
        public void handlerAdded(final ChannelHandlerContext ctx)
        {
            this.ctx = ctx;
            this.framerCtx = ctx.pipeline().context("framer");
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            for (final Session s : own)
            {
                if (s.tcp)
                {
                    s.close();
                    sessions.remove(s.id);
                }
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            LOG.debug("RTSP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof InterleavedFrame)
            {
                final InterleavedFrame frame = (InterleavedFrame)msg;
                for (final Session s : own)
                {
                    if (frame.channel() == s.transport.rtcpChannel() || frame.channel() == s.transport.rtpChannel())
                    {
                        s.lastActivity = config.clock().getAsLong();
                        if (s.recording && frame.channel() == s.transport.rtpChannel())
                        {
                            s.onRecordedPacket(frame.content());
                        }
                        else if (frame.channel() == s.transport.rtcpChannel())
                        {
                            s.onRtcp(frame.content());
                        }
                    }
                }
                return;
            }
            if (msg instanceof FullHttpRequest)
            {
                requests++;
                final FullHttpRequest request = (FullHttpRequest)msg;
                FullHttpResponse response;
                Runnable after = null;
                try
                {
                    final Object[] result = handle(request);
                    response = (FullHttpResponse)result[0];
                    after = (Runnable)result[1];
                }
                catch (final RtpH264Exception ex)
                {
                    response = response(RtspResponseStatuses.BAD_REQUEST, request);
                }
                ctx.writeAndFlush(response);
                if (after != null)
                {
                    after.run();
                }
            }
        }

        private Object[] handle(final FullHttpRequest request)
        {
            final HttpMethod method = request.method();
            final String uri = request.uri();
            final Session session = session(request);
            if (session != null)
            {
                session.lastActivity = config.clock().getAsLong();
            }
            if (method.equals(RtspMethods.OPTIONS))
            {
                final FullHttpResponse r = response(HttpResponseStatus.OK, request);
                r.headers().set(RtspHeaderNames.PUBLIC, PUBLIC);
                return new Object[] {withSession(r, session), null};
            }
            if (method.equals(RtspMethods.GET_PARAMETER) || method.equals(RtspMethods.SET_PARAMETER))
            {
                return new Object[] {withSession(response(HttpResponseStatus.OK, request), session), null};
            }
            if (method.equals(RtspMethods.DESCRIBE))
            {
                final LiveStream stream = resolve(uri);
                if (stream == null)
                {
                    return new Object[] {response(HttpResponseStatus.NOT_FOUND, request), null};
                }
                final String host = ((InetSocketAddress)ctx.channel().localAddress()).getAddress().getHostAddress();
                final String sdp = "v=0\r\no=- " + Integer.toUnsignedString(stream.ssrc()) + " 1 IN IP4 " + host + "\r\ns=c2cast\r\n"
                    + "c=IN IP4 0.0.0.0\r\nt=0 0\r\na=control:*\r\na=range:npt=0-\r\n" + stream.media().mediaSection(0);
                final FullHttpResponse r = response(HttpResponseStatus.OK, request, sdp);
                r.headers().set(RtspHeaderNames.CONTENT_TYPE, "application/sdp");
                r.headers().set(RtspHeaderNames.CONTENT_BASE, "rtsp://" + host + ":" + port() + stream.path() + "/");
                return new Object[] {r, null};
            }
            if (method.equals(RtspMethods.ANNOUNCE))
            {
                final H264MediaDescription media = H264MediaDescription.parse(request.content().toString(StandardCharsets.UTF_8));
                final String path = normalize(uri);
                if (!pushListener.acceptPush(path, media))
                {
                    return new Object[] {response(HttpResponseStatus.FORBIDDEN, request), null};
                }
                final LiveStream existing = streams.get(path);
                if (existing != null && !existing.ended() && existing.receivePort() < 0)
                {
                    // the phone pushes again (reconnected): keep the stream, its players and its sequence space
                    existing.media(served(existing.media().packetizationMode(), media));
                }
                else
                {
                    publishOnLoop(path, media);
                }
                return new Object[] {response(HttpResponseStatus.OK, request), null};
            }
            if (method.equals(RtspMethods.SETUP))
            {
                return new Object[] {setup(request, session), null};
            }
            if (session == null)
            {
                return new Object[] {response(RtspResponseStatuses.SESSION_NOT_FOUND, request), null};
            }
            if (method.equals(RtspMethods.PLAY))
            {
                final LiveStream stream = session.stream;
                final FullHttpResponse r = withSession(response(HttpResponseStatus.OK, request), session);
                r.headers().set(RtspHeaderNames.RANGE, "npt=0.000-");
                final long[] start = stream.startPoint();
                r.headers().set(RtspHeaderNames.RTP_INFO, "url=rtsp://" + ((InetSocketAddress)ctx.channel().localAddress()).getAddress().getHostAddress()
                    + ":" + port() + stream.path() + "/" + TRACK + ";seq=" + start[0] + ";rtptime=" + start[1]);
                return new Object[] {r, (Runnable)session::play};
            }
            if (method.equals(RtspMethods.RECORD))
            {
                session.recording = true;
                return new Object[] {withSession(response(HttpResponseStatus.OK, request), session), null};
            }
            if (method.equals(RtspMethods.PAUSE))
            {
                session.stop();
                return new Object[] {withSession(response(HttpResponseStatus.OK, request), session), null};
            }
            if (method.equals(RtspMethods.TEARDOWN))
            {
                session.close();
                sessions.remove(session.id);
                own.remove(session);
                return new Object[] {withSession(response(HttpResponseStatus.OK, request), session), null};
            }
            return new Object[] {response(RtspResponseStatuses.METHOD_NOT_ALLOWED, request), null};
        }

        private FullHttpResponse setup(final FullHttpRequest request, final Session existing)
        {
            final LiveStream stream = resolve(request.uri());
            if (stream == null)
            {
                return response(HttpResponseStatus.NOT_FOUND, request);
            }
            final String header = request.headers().get(RtspHeaderNames.TRANSPORT);
            if (header == null)
            {
                return response(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, request);
            }
            RtspTransport transport = RtspTransport.parse(header);
            if (transport.tcp() && transport.rtpChannel() < 0)
            {
                final int base = 2 * own.size();
                transport = new RtspTransport(true, -1, -1, base, base + 1, transport.record());
            }
            if (existing != null)
            {
                existing.close();
                sessions.remove(existing.id);
                own.remove(existing);
            }
            final String id = existing != null ? existing.id : String.format("%016X", random.nextLong());
            final Session session = new Session(id, stream, transport, this);
            sessions.put(id, session);
            own.add(session);
            final String ssrc = String.format("%08X", stream.ssrc());
            final String value = transport.tcp()
                ? "RTP/AVP/TCP;unicast;interleaved=" + transport.rtpChannel() + "-" + transport.rtcpChannel() + ";ssrc=" + ssrc
                : "RTP/AVP;unicast;client_port=" + transport.clientRtpPort() + "-" + transport.clientRtcpPort() + ";server_port=" + rtpPort() + "-"
                    + (rtpPort() + 1) + ";ssrc=" + ssrc;
            final FullHttpResponse r = withSession(response(HttpResponseStatus.OK, request), session);
            r.headers().set(RtspHeaderNames.TRANSPORT, value + (transport.record() ? ";mode=record" : ""));
            return r;
        }

        private Session session(final FullHttpRequest request)
        {
            final String value = request.headers().get(RtspHeaderNames.SESSION);
            if (value == null)
            {
                return null;
            }
            final int semicolon = value.indexOf(';');
            return sessions.get((semicolon < 0 ? value : value.substring(0, semicolon)).trim());
        }

        private FullHttpResponse withSession(final FullHttpResponse response, final Session session)
        {
            if (session != null)
            {
                response.headers().set(RtspHeaderNames.SESSION, session.id + ";timeout=" + config.sessionTimeoutSeconds());
            }
            return response;
        }
    }

    private static FullHttpResponse response(final HttpResponseStatus status, final FullHttpRequest request)
    {
        return response(status, request, null);
    }

    private static FullHttpResponse response(final HttpResponseStatus status, final FullHttpRequest request, final String body)
    {
        final ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        final FullHttpResponse response = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status, content);
        final HttpHeaders headers = response.headers();
        final String cseq = request.headers().get(RtspHeaderNames.CSEQ);
        if (cseq != null)
        {
            headers.set(RtspHeaderNames.CSEQ, cseq);
        }
        headers.set(RtspHeaderNames.SERVER, "c2cast");
        headers.setInt(RtspHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }
}
