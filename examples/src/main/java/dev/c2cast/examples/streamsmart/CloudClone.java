package dev.c2cast.examples.streamsmart;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.c2cast.examples.internal.Threads;
import dev.c2cast.rtp.h264.AccessUnitListener;
import dev.c2cast.rtp.h264.H264Depacketizer;
import dev.c2cast.rtp.h264.H264MediaDescription;
import dev.c2cast.rtp.h264.LiveStream;
import dev.c2cast.rtp.h264.PacketizerConfig;
import dev.c2cast.rtp.h264.PushListener;
import dev.c2cast.rtp.h264.Rtcp;
import dev.c2cast.rtp.h264.RtcpListener;
import dev.c2cast.rtp.h264.RtspServer;
import dev.c2cast.rtp.h264.RtspServerConfig;
import dev.c2cast.streamsmart.tree.CloneConfig;
import dev.c2cast.streamsmart.tree.CloneNode;
import dev.c2cast.streamsmart.tree.Intent;
import dev.c2cast.streamsmart.tree.MemberStats;
import dev.c2cast.streamsmart.tree.Role;
import dev.c2cast.streamsmart.tree.Topology;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;

/**
 * A cloud clone of StreamSmart (streamsmart.md, sections II and III) as one process: streamsmart-tree's
 * {@link CloneNode} runs the overlay (placement, attach, forwarding, heartbeats, repair, on UDP), this class wires it
 * to the phones. The radix takes its phone's RTP/UDP on its data port, or an RTSP ANNOUNCE/RECORD push at
 * {@code /phone} (rtp-h264's {@link PushListener}), and {@link CloneNode#publish publishes} each packet into the tree; every
 * clone's {@link dev.c2cast.streamsmart.tree.MediaListener} depacketizes what reaches it and serves its own phone
 * over RTSP at {@code /live} with rtp-h264's {@link RtspServer}. Members are admitted by the radix's
 * {@link Rendezvous} (member id, join token, directory of tree addresses) and then join the tree themselves.
 * <p>
 * Threads: one event loop (the {@link CloneNode}, the radix's UDP ingest channel, the media listener: no allocation
 * per packet on the way to the depacketizer; each access unit is copied once into the RTSP server's event loop, which
 * packetizes it once for all viewers), the RTSP server's event loop (which also receives a push: each pushed packet is
 * copied once into the clone's loop), and the rendezvous threads. Statistics are readable from any thread.
 */
final class CloudClone implements AutoCloseable
{
    /** Path of the stream the clone serves to its own phone. */
    static final String LIVE_PATH = "/live";
    /** Path where the radix accepts its phone's stream pushed with ANNOUNCE/RECORD. */
    static final String PUSH_PATH = "/phone";
    /** The radix's member id; members get 1..{@link Rendezvous#MAX_MEMBERS}. */
    static final long RADIX_ID = 0;

    private static final Logger LOG = LoggerFactory.getLogger(CloudClone.class);
    private static final long JOIN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long CONNECT_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final CloneSettings config;
    private final EventLoopGroup group;
    private final Map<Long, InetSocketAddress> directory = new ConcurrentHashMap<>();
    private final Map<Long, String> names = new ConcurrentHashMap<>();
    private final RtspServer rtsp;
    private final LiveStream live;
    private final StreamMeter meter = new StreamMeter();
    private final H264Depacketizer depacketizer;
    private final OutputStream recording;
    private final Rendezvous rendezvous;
    private final Channel ingest;
    private volatile CloneNode node;
    private volatile Socket controlClient;
    private volatile boolean closed;
    private volatile long frames;
    private volatile long ingressPackets;
    private volatile long pushedPackets;

    CloudClone(final CloneSettings config) throws IOException
    {
        this.config = config;
        this.group = new MultiThreadIoEventLoopGroup(1, Threads.factory("clone-" + config.name()), NioIoHandler.newFactory());
        RtspServer server = null;
        OutputStream file = null;
        try
        {
            file = config.record() == null ? null : new BufferedOutputStream(Files.newOutputStream(config.record()));
            this.recording = file;
            this.depacketizer = new H264Depacketizer(new Frames());
            server = startRtsp(config, group);
            this.rtsp = server;
            // Published before the stream's parameter sets are known so viewers can connect first; DESCRIBE carries no
            // sprop-parameter-sets, and a joiner gets SPS and PPS in-band from the GOP cache.
            this.live = rtsp.publish(LIVE_PATH, new H264MediaDescription(PacketizerConfig.PAYLOAD_TYPE_DEFAULT, 1, null, List.of(), null));
            if (config.isRadix())
            {
                final SecureRandom secure = new SecureRandom();
                final byte[] key = new byte[32];
                secure.nextBytes(key);
                final long streamId = secure.nextLong() & Long.MAX_VALUE;
                // The access list starts empty: the rendezvous authorizes each member as it admits it.
                final CloneNode radix = CloneNode.radix(libraryConfig(RADIX_ID), streamId, key, List.of());
                node = radix;
                final InetSocketAddress tree = radix.start();
                directory.put(RADIX_ID, tree);
                names.put(RADIX_ID, config.name());
                radix.announce();
                ingest = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, 4 << 20)
                    .handler(new Ingest())
                    .bind(new InetSocketAddress(config.bindHost(), config.dataPort())).sync().channel();
                rendezvous = new Rendezvous(config.name(), RADIX_ID, streamId, tree.getPort(),
                    new InetSocketAddress(config.bindHost(), config.controlPort()), new Rendezvous.Admission()
                    {
                        @Override
                        public byte[] token(final long member)
                        {
                            radix.authorize(member);
                            return radix.issueToken(member, CloneConfig.EPOCH_NANOS.getAsLong() + config.tree().tokenTtlNanos());
                        }

                        @Override
                        public void registered(final long member, final String name, final InetSocketAddress address)
                        {
                            names.put(member, name);
                            directory.put(member, address);
                        }
                    });
                rtsp.pushListener(new Push(radix));
            }
            else
            {
                ingest = null;
                rendezvous = null;
                Threads.start("rendezvous-" + config.name(), this::memberLoop);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            closeAll(server, file);
            throw new InterruptedIOException("interrupted while starting clone " + config.name());
        }
        catch (final IOException | RuntimeException ex)
        {
            closeAll(server, file);
            throw ex;
        }
    }

    private void closeAll(final RtspServer server, final OutputStream file)
    {
        closed = true;
        final CloneNode started = node;
        if (started != null)
        {
            started.close();
        }
        closeQuietly(server);
        closeQuietly(file);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private CloneConfig libraryConfig(final long memberId)
    {
        return new CloneConfig(memberId, config.tree(), group,
            new InetSocketAddress(config.bindHost(), config.isRadix() ? 0 : config.dataPort()), directory::get, this::onMedia,
            CloneConfig.EPOCH_NANOS);
    }

    private static RtspServer startRtsp(final CloneSettings config, final EventLoopGroup group) throws IOException
    {
        try
        {
            return RtspServer.start(new RtspServerConfig(config.bindHost(), config.rtspPort(), RtspServerConfig.SESSION_TIMEOUT_SECONDS_DEFAULT,
                1, PacketizerConfig.MAX_PACKET_SIZE_DEFAULT, System::nanoTime), new SplittableRandom(), group);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while starting the RTSP server");
        }
    }

    String name()
    {
        return config.name();
    }

    boolean isRadix()
    {
        return config.isRadix();
    }

    /**
     * Where the radix's phone sends RTP/UDP.
     *
     * @return the address, or null on a member.
     */
    InetSocketAddress dataAddress()
    {
        return ingest == null ? null : new InetSocketAddress(advertiseHost(), ((InetSocketAddress)ingest.localAddress()).getPort());
    }

    InetSocketAddress controlAddress()
    {
        return rendezvous == null ? null : new InetSocketAddress(advertiseHost(), rendezvous.port());
    }

    String rtspUrl()
    {
        return "rtsp://" + advertiseHost() + ":" + rtsp.port() + LIVE_PATH;
    }

    /**
     * Where the phone pushes its stream with ANNOUNCE/RECORD (radix only).
     *
     * @return the URL.
     */
    String pushUrl()
    {
        return "rtsp://" + advertiseHost() + ":" + rtsp.port() + PUSH_PATH;
    }

    /**
     * RTP packets a phone pushed with ANNOUNCE/RECORD.
     *
     * @return the count, 0 on members.
     */
    long pushedPackets()
    {
        return pushedPackets;
    }

    private String advertiseHost()
    {
        if (config.advertiseHost() != null)
        {
            return config.advertiseHost();
        }
        final Socket client = controlClient;
        if (client != null && client.getLocalAddress() != null)
        {
            return client.getLocalAddress().getHostAddress();
        }
        return "0.0.0.0".equals(config.bindHost()) ? "127.0.0.1" : config.bindHost();
    }

    /**
     * The clone's place and counters in the tree, from its {@link CloneNode}'s event loop.
     *
     * @return the snapshot, or null before a member was admitted (and after close).
     */
    MemberStats stats()
    {
        final CloneNode current = node;
        if (current == null || closed)
        {
            return null;
        }
        try
        {
            return current.stats();
        }
        catch (final IllegalStateException ex)
        {
            return null;
        }
    }

    /**
     * The role of the paper: radix, internal (has children), leaf, or not in the tree yet.
     *
     * @return the role name.
     */
    String role()
    {
        return role(stats());
    }

    static String role(final MemberStats stats)
    {
        if (stats == null || (stats.role() != Role.RADIX && !"ATTACHED".equals(stats.state())))
        {
            return stats == null ? "joining" : stats.state().toLowerCase(java.util.Locale.ROOT);
        }
        return stats.role().name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean joined()
    {
        final MemberStats stats = stats();
        return stats != null && "ATTACHED".equals(stats.state());
    }

    /**
     * The name a member id has in the overlay.
     *
     * @param member the id.
     * @return its name, or the id if unknown, or "-" for none.
     */
    String nameOf(final long member)
    {
        return member == Topology.NONE ? "-" : names.getOrDefault(member, Long.toString(member));
    }

    /**
     * Members the radix admitted that are still connected to it, not counting itself.
     *
     * @return the count, or 0 on a member.
     */
    int memberCount()
    {
        return rendezvous == null ? 0 : rendezvous.connectedMembers();
    }

    /**
     * RTP packets from the phone (radix) or from the parent (member), duplicates included.
     *
     * @param stats a snapshot, or null.
     * @return the count.
     */
    long ingressPackets(final MemberStats stats)
    {
        if (config.isRadix())
        {
            return ingressPackets + pushedPackets;
        }
        return stats == null ? 0 : stats.mediaPacketsIn();
    }

    /**
     * Copies of each packet this clone forwards to child clones, on average: first forwards (datagrams sent to
     * children, minus the ring's replays for attach resumes and gap repairs) per distinct packet it delivered (on the
     * radix: per packet it published).
     *
     * @param stats a snapshot, or null.
     * @return copies per packet, 0 before the first packet.
     */
    static double egressCopiesPerPacket(final MemberStats stats)
    {
        final long packets = packets(stats);
        return packets == 0 ? 0 : (double)(stats.mediaPacketsOut() - stats.mediaPacketsReplayed()) / packets;
    }

    /**
     * Every datagram this clone sent to child clones, repairs included, per distinct packet it delivered.
     *
     * @param stats a snapshot, or null.
     * @return datagrams per packet, 0 before the first packet.
     */
    static double egressDatagramsPerPacket(final MemberStats stats)
    {
        final long packets = packets(stats);
        return packets == 0 ? 0 : (double)stats.mediaPacketsOut() / packets;
    }

    private static long packets(final MemberStats stats)
    {
        return stats == null ? 0 : stats.role() == Role.RADIX ? stats.published() : stats.delivered();
    }

    long frames()
    {
        return frames;
    }

    StreamMeter meter()
    {
        return meter;
    }

    int viewers()
    {
        return live.playingSessions();
    }

    /**
     * CPU time of the clone's event-loop thread (overlay, forwarding and depacketization).
     *
     * @param stats a snapshot, or null.
     * @return nanoseconds, or 0 without a snapshot.
     */
    static long cpuNanos(final MemberStats stats)
    {
        return stats == null ? 0 : stats.eventLoopCpuNanos();
    }

    /** Every RTP packet reaching this clone, on its event loop: meter, depacketize, serve, record. */
    private void onMedia(final ByteBuf buffer, final int offset, final int length, final long extSeq)
    {
        if (closed)
        {
            return;
        }
        meter.onDatagram(buffer, offset, length, StreamMeter.wallNanos(), System.nanoTime());
        final int readerIndex = buffer.readerIndex();
        final int writerIndex = buffer.writerIndex();
        buffer.setIndex(offset, offset + length);
        try
        {
            depacketizer.onPacket(buffer);
        }
        finally
        {
            // The relay forwards duplicates of this buffer after the listener returns.
            buffer.setIndex(readerIndex, writerIndex);
        }
    }

    /** The radix's phone input: RTP into the tree, RTCP sender reports to the meters. Confined to the event loop. */
    private final class Ingest extends SimpleChannelInboundHandler<DatagramPacket> implements RtcpListener
    {
        Ingest()
        {
            super(false);
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet)
        {
            final ByteBuf content = packet.content();
            final int index = content.readerIndex();
            final int length = content.readableBytes();
            if (Rtcp.isRtcp(content, index, length))
            {
                try
                {
                    Rtcp.parse(content, index, length, this);
                }
                catch (final RuntimeException ex)
                {
                    LOG.debug("{}: malformed RTCP from the phone", config.name(), ex);
                }
                packet.release();
                return;
            }
            if (length < 12 || (content.getByte(index) & 0xC0) != 0x80 || closed)
            {
                packet.release();
                return;
            }
            ingressPackets = ingressPackets + 1;
            // publish() takes ownership of the datagram's buffer: forwarded to the children without a copy.
            node.publish(content);
        }

        @Override
        public void onSenderReport(final int ssrc, final long ntpTimestamp, final long rtpTimestamp, final long packetCount,
            final long octetCount)
        {
            meter.onSenderReport(ssrc, ntpTimestamp, rtpTimestamp, packetCount, octetCount);
            rendezvous.report(ntpTimestamp, rtpTimestamp);
        }
    }

    /**
     * The radix's phone pushing with RTSP ANNOUNCE/RECORD at {@link #PUSH_PATH}: rtp-h264's server hands over each RTP
     * packet in sequence order (after its receive jitter buffer) on the server's event loop; it is copied once into a
     * pooled buffer and published into the tree on the clone's loop. A push carries no RTCP to the application, so the
     * radix issues the sender reports itself, once a second, from its own clock at a packet's arrival: for a pushed
     * stream the clones' latency is measured from the radix's receipt, not from the phone.
     */
    private final class Push implements PushListener
    {
        private final CloneNode radix;
        private long nextReportNanos = Long.MIN_VALUE;

        Push(final CloneNode radix)
        {
            this.radix = radix;
        }

        @Override
        public boolean acceptPush(final String path, final H264MediaDescription media)
        {
            return PUSH_PATH.equals(path);
        }

        @Override
        public void onPushStart(final LiveStream stream)
        {
            LOG.info("{}: phone pushing at {}", config.name(), stream.path());
        }

        @Override
        public void onRtpPacket(final LiveStream stream, final ByteBuf packet)
        {
            final int length = packet.readableBytes();
            if (closed || length < 12)
            {
                return;
            }
            pushedPackets = pushedPackets + 1;
            final long now = System.nanoTime();
            if (now - nextReportNanos >= 0)
            {
                nextReportNanos = now + TimeUnit.SECONDS.toNanos(1);
                final long ntp = Rtcp.ntpTimestamp(StreamMeter.wallNanos());
                final long rtpTimestamp = packet.getUnsignedInt(packet.readerIndex() + 4);
                group.execute(() -> meter.onSenderReport(0, ntp, rtpTimestamp, 0, 0));
                rendezvous.report(ntp, rtpTimestamp);
            }
            // The RTSP server and the radix share this clone's one event loop: the packet goes on with no copy
            // and no thread hop (publish frames it for the tree).
            radix.publish(packet.retainedSlice());
        }

        @Override
        public void onPushEnd(final LiveStream stream)
        {
            LOG.info("{}: the phone's push at {} ended", config.name(), stream.path());
        }
    }

    /**
     * Serves each access unit to the clone's RTSP viewers and records it. rtp-h264's {@link LiveStream} packetizes it
     * once for all viewers, and starts a player joining mid-stream at the last IDR from its GOP cache (SPS and PPS
     * included), so {@code /live} can be published before the stream's parameter sets are known.
     */
    private final class Frames implements AccessUnitListener
    {
        @Override
        public void onAccessUnit(final ByteBuf accessUnit, final long rtpTimestamp, final boolean keyframe, final boolean complete)
        {
            if (closed)
            {
                return;
            }
            frames = frames + 1;
            live.send(accessUnit, rtpTimestamp);
            if (recording != null)
            {
                try
                {
                    accessUnit.getBytes(accessUnit.readerIndex(), recording, accessUnit.readableBytes());
                }
                catch (final IOException ex)
                {
                    LOG.warn("{}: recording failed", config.name(), ex);
                }
            }
        }
    }

    // ---------------------------------------------------------------- member side of the rendezvous

    private void memberLoop()
    {
        final Socket socket = connect();
        if (socket == null)
        {
            return;
        }
        controlClient = socket;
        try (Socket link = socket)
        {
            link.setTcpNoDelay(true);
            final PrintWriter writer = new PrintWriter(link.getOutputStream(), true, StandardCharsets.UTF_8);
            final InputStream reader = new BufferedInputStream(link.getInputStream());
            writer.println("HELLO " + config.name());
            final String first = RendezvousProtocol.readLine(reader);
            if (first == null || !"WELCOME".equals(RendezvousProtocol.keyword(first)))
            {
                LOG.error("{}: radix refused: {}", config.name(), first);
                return;
            }
            final RendezvousProtocol.Welcome welcome = RendezvousProtocol.welcome(first);
            final long memberId = welcome.memberId();
            final CloneNode member = CloneNode.viewer(libraryConfig(memberId), owner -> Intent.WATCH, false);
            if (closed)
            {
                return;
            }
            node = member;
            final InetSocketAddress tree = member.start();
            names.put(memberId, config.name());
            writer.println("ADDRESS " + advertiseHost() + " " + tree.getPort() + " " + rtsp.port());
            boolean joinSent = false;
            String line;
            while ((line = RendezvousProtocol.readLine(reader)) != null)
            {
                switch (RendezvousProtocol.keyword(line))
                {
                    case "MEMBER":
                    {
                        final RendezvousProtocol.Member other = RendezvousProtocol.member(line);
                        names.put(other.id(), other.name());
                        directory.put(other.id(), other.tree());
                        if (other.id() == memberId && !joinSent)
                        {
                            joinSent = true;
                            // The paper's answer to an announcement: watch now, or record for later viewing.
                            member.join(welcome.radixId(), welcome.streamId(), welcome.token(),
                                config.record() == null ? Intent.WATCH : Intent.RECORD);
                        }
                        break;
                    }
                    case "SR":
                    {
                        final RendezvousProtocol.SenderReport report = RendezvousProtocol.senderReport(line);
                        // The meter is confined to the event loop that delivers the media.
                        group.execute(() -> meter.onSenderReport(0, report.ntpTimestamp(), report.rtpTimestamp(), 0, 0));
                        break;
                    }
                    case "ERROR":
                        LOG.error("{}: radix: {}", config.name(), line);
                        break;
                    default:
                        throw new RendezvousProtocolException("unknown message " + RendezvousProtocol.keyword(line));
                }
            }
            if (!closed)
            {
                LOG.info("{}: the radix closed the rendezvous connection", config.name());
            }
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            if (!closed)
            {
                LOG.warn("{}: rendezvous failed: {}", config.name(), ex.toString());
            }
        }
    }

    private Socket connect()
    {
        final long deadline = System.nanoTime() + CONNECT_DEADLINE_NANOS;
        while (!closed)
        {
            final Socket attempt = new Socket();
            try
            {
                attempt.connect(config.join(), 2_000);
                return attempt;
            }
            catch (final IOException ex)
            {
                closeQuietly(attempt);
                if (System.nanoTime() > deadline)
                {
                    LOG.error("{}: cannot reach the radix at {}", config.name(), config.join());
                    return null;
                }
                LockSupport.parkNanos(JOIN_RETRY_NANOS);
            }
        }
        return null;
    }

    /**
     * Stops at once: to the other clones this one has crashed (the tree repairs around it).
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        closeQuietly(rendezvous);
        closeQuietly(controlClient);
        final CloneNode current = node;
        if (current != null)
        {
            current.close();
        }
        if (ingest != null)
        {
            ingest.close().syncUninterruptibly();
        }
        rtsp.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        closeQuietly(recording);
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        if (closeable == null)
        {
            return;
        }
        try
        {
            closeable.close();
        }
        catch (final Exception ex)
        {
            LOG.debug("close failed", ex);
        }
    }

    @Override
    public String toString()
    {
        return "CloudClone[" + config.name() + "]";
    }
}
