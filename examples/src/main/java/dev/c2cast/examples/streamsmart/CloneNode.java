package dev.c2cast.examples.streamsmart;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.c2cast.examples.internal.Threads;
import dev.c2cast.rtp.h264.AccessUnitListener;
import dev.c2cast.rtp.h264.H264Depacketizer;
import dev.c2cast.rtp.h264.H264MediaDescription;
import dev.c2cast.rtp.h264.LiveStream;
import dev.c2cast.rtp.h264.PacketizerConfig;
import dev.c2cast.rtp.h264.Rtcp;
import dev.c2cast.rtp.h264.RtspServer;
import dev.c2cast.rtp.h264.RtspServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cloud clone of StreamSmart (streamsmart.md, section III): the radix takes its phone's RTP stream on its data
 * port, every clone forwards each datagram unchanged to its children in the overlay over UDP, and serves its own
 * phone over RTSP with rtp-h264's {@link RtspServer} (UDP or interleaved TCP; the stream is published at
 * {@code /live}). The radix also accepts its phone's stream pushed with RTSP ANNOUNCE/RECORD at {@code /phone} (see
 * {@link PushedInput}). Members join through the radix's control port (TCP, one line per message):
 * <pre>
 *   member -> radix   JOIN name host dataPort rtspPort
 *   radix  -> member  STATE depth parent child@host:port,child@host:port   ("-" for no children)
 *   radix  -> member  ERROR reason
 * </pre>
 * A member's death closes its control connection; the radix then re-attaches its children (see
 * {@link TreeCoordinator}) and sends the changed STATE lines, so the stream flows again after one round trip.
 * <p>
 * Threads: one receive-and-forward thread (the data plane: no allocation per packet; each depacketized access
 * unit is copied once into the RTSP server's event loop, which packetizes it once for all viewers), the RTSP
 * server's event loop, and the control plane's. Statistics are readable from any thread.
 */
final class CloneNode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(CloneNode.class);
    private static final int MAX_DATAGRAM = 65_536;
    private static final long JOIN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** One child in the overlay. */
    record Child(String name, InetSocketAddress address)
    {
    }

    private final CloneConfig config;
    private final DatagramSocket data;
    /** Path of the stream the clone serves to its own phone. */
    static final String LIVE_PATH = "/live";
    /** Path where the radix accepts its phone's stream pushed with ANNOUNCE/RECORD. */
    static final String PUSH_PATH = "/phone";

    private final RtspServer rtsp;
    private final LiveStream live;
    private final PushedInput pushed;
    private final ServerSocket controlServer;
    private final TreeCoordinator coordinator;
    private final Map<String, PrintWriter> memberLinks = new HashMap<>();
    private final Map<String, Child> memberAddresses = new HashMap<>();
    private final Map<String, String> lastState = new HashMap<>();
    private final Map<String, Socket> controlSockets = new ConcurrentHashMap<>();
    private final StreamMeter meter = new StreamMeter();
    private final H264Depacketizer depacketizer;
    private final OutputStream recording;
    private final Thread receiver;
    private volatile Child[] children = new Child[0];
    private volatile int depth;
    private volatile String parent;
    private volatile boolean joined;
    private volatile boolean closed;
    private volatile long ingressPackets;
    private volatile long forwardedPackets;
    private volatile long frames;
    private volatile Socket controlClient;

    CloneNode(final CloneConfig config) throws IOException
    {
        this.config = config;
        this.data = new DatagramSocket(new InetSocketAddress(config.bindHost(), config.dataPort()));
        RtspServer server = null;
        try
        {
            data.setReceiveBufferSize(4 * 1024 * 1024);
            data.setSendBufferSize(4 * 1024 * 1024);
            this.recording = config.record() == null ? null : new BufferedOutputStream(Files.newOutputStream(config.record()));
            this.depacketizer = new H264Depacketizer(new Frames());
            server = startRtsp(config);
            this.rtsp = server;
            // Published before the stream's parameter sets are known so viewers can connect first; the phone repeats
            // SPS and PPS in-band before every IDR, and DESCRIBE carries no sprop-parameter-sets.
            this.live = rtsp.publish(LIVE_PATH, new H264MediaDescription(PacketizerConfig.PAYLOAD_TYPE_DEFAULT, 1, null, List.of(), null));
            if (config.isRadix())
            {
                pushed = new PushedInput(config.name(), rtsp, PUSH_PATH, new InetSocketAddress("127.0.0.1", data.getLocalPort()));
                coordinator = new TreeCoordinator(config.name(), config.shape(), config.fanout(), config.maxDepth());
                controlServer = new ServerSocket();
                controlServer.setReuseAddress(true);
                controlServer.bind(new InetSocketAddress(config.bindHost(), config.controlPort()));
                joined = true;
                Threads.start("control-accept-" + config.name(), this::acceptMembers);
            }
            else
            {
                pushed = null;
                coordinator = null;
                controlServer = null;
                Threads.start("control-" + config.name(), this::memberLoop);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            data.close();
            closeQuietly(server);
            throw ex;
        }
        receiver = Threads.start("forward-" + config.name(), this::receiveLoop);
    }

    String name()
    {
        return config.name();
    }

    boolean isRadix()
    {
        return config.isRadix();
    }

    InetSocketAddress dataAddress()
    {
        return new InetSocketAddress(advertiseHost(), data.getLocalPort());
    }

    InetSocketAddress controlAddress()
    {
        return controlServer == null ? null : new InetSocketAddress(advertiseHost(), controlServer.getLocalPort());
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
     * Access units relayed from a phone's ANNOUNCE/RECORD push.
     *
     * @return the count, 0 on members.
     */
    long pushedAccessUnits()
    {
        return pushed == null ? 0 : pushed.accessUnits();
    }

    private static RtspServer startRtsp(final CloneConfig config) throws IOException
    {
        try
        {
            return RtspServer.start(new RtspServerConfig(config.bindHost(), config.rtspPort(), RtspServerConfig.SESSION_TIMEOUT_SECONDS_DEFAULT,
                1, PacketizerConfig.MAX_PACKET_SIZE_DEFAULT, System::nanoTime), new SplittableRandom());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while starting the RTSP server");
        }
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
     * The role of the paper: radix, internal (has children) or leaf.
     *
     * @return the role name.
     */
    String role()
    {
        if (config.isRadix())
        {
            return "radix";
        }
        if (!joined)
        {
            return "joining";
        }
        return children.length > 0 ? "internal" : "leaf";
    }

    boolean joined()
    {
        return joined;
    }

    int depth()
    {
        return depth;
    }

    String parent()
    {
        return parent;
    }

    List<Child> children()
    {
        return List.of(children);
    }

    /**
     * Members the radix knows, not counting itself.
     *
     * @return the count, or 0 on a member.
     */
    int memberCount()
    {
        if (coordinator == null)
        {
            return 0;
        }
        synchronized (coordinator)
        {
            return coordinator.size() - 1;
        }
    }

    long ingressPackets()
    {
        return ingressPackets;
    }

    long forwardedPackets()
    {
        return forwardedPackets;
    }

    /**
     * Copies of each incoming RTP packet sent to child clones, on average.
     *
     * @return forwarded / ingress, or 0 before the first packet.
     */
    double egressCopiesPerPacket()
    {
        final long in = ingressPackets;
        return in == 0 ? 0 : (double)forwardedPackets / in;
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
     * CPU time of the forwarding thread.
     *
     * @return nanoseconds, or -1 if not measurable.
     */
    long forwardingCpuNanos()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported())
        {
            return -1;
        }
        @SuppressWarnings("deprecation")
        final long id = receiver.getId();
        return threads.getThreadCpuTime(id);
    }

    private void receiveLoop()
    {
        final byte[] buffer = new byte[MAX_DATAGRAM];
        final ByteBuf wrapped = Unpooled.wrappedBuffer(buffer);
        final DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        final DatagramPacket out = new DatagramPacket(buffer, 0);
        while (!closed)
        {
            try
            {
                in.setLength(buffer.length);
                data.receive(in);
                final int length = in.getLength();
                final long wall = StreamMeter.wallNanos();
                final boolean rtcp = Rtcp.isRtcp(wrapped, 0, length);
                final boolean rtp = meter.onDatagram(wrapped, 0, length, wall, System.nanoTime());
                if (!rtp && !rtcp)
                {
                    continue;
                }
                final Child[] targets = children;
                for (final Child child : targets)
                {
                    out.setData(buffer, 0, length);
                    out.setSocketAddress(child.address());
                    try
                    {
                        data.send(out);
                    }
                    catch (final IOException ex)
                    {
                        LOG.debug("{}: send to {} failed", config.name(), child, ex);
                    }
                }
                if (rtp)
                {
                    ingressPackets = ingressPackets + 1;
                    forwardedPackets = forwardedPackets + targets.length;
                    wrapped.setIndex(0, length);
                    depacketizer.onPacket(wrapped);
                }
            }
            catch (final IOException ex)
            {
                if (!closed)
                {
                    LOG.warn("{}: receive failed", config.name(), ex);
                }
                return;
            }
        }
    }

    /**
     * Serves each access unit to the clone's RTSP viewers. {@code /live} is published before the parameter sets are
     * known (so viewers may connect before the stream starts) and rtp-h264's {@link LiveStream} starts a session at
     * whatever access unit comes next, so a player joining mid-GOP would see slices referring to a PPS it never got
     * (FFmpeg: "non-existing PPS 0 referenced"). When the server has answered an RTSP request since the previous
     * access unit (a SETUP precedes every PLAY by a round trip), the next two non-IDR access units carry the last
     * SPS and PPS in-band; with them a decoder skips to the next IDR cleanly. IDR access units carry their own, and
     * sessions set up before the first access unit start with the stream. (A player's keep-alive also triggers
     * this; two extra parameter-set pairs per keep-alive are harmless.)
     */
    private final class Frames implements AccessUnitListener
    {
        private final ByteBuf withParameterSets = Unpooled.buffer(64 * 1024);
        private long seenRequests;
        private int insertions;

        @Override
        public void onAccessUnit(final ByteBuf accessUnit, final long rtpTimestamp, final boolean keyframe, final boolean complete)
        {
            if (closed)
            {
                return;
            }
            frames = frames + 1;
            final long requests = rtsp.requests();
            if (frames == 1)
            {
                // sessions set up before the stream start with it
                seenRequests = requests;
            }
            else if (requests != seenRequests)
            {
                seenRequests = requests;
                insertions = 2;
            }
            final byte[] sps = depacketizer.sequenceParameterSet();
            final byte[] pps = depacketizer.pictureParameterSet();
            if (insertions > 0 && !keyframe && sps != null && pps != null)
            {
                insertions--;
                withParameterSets.clear();
                withParameterSets.writeInt(1).writeBytes(sps).writeInt(1).writeBytes(pps);
                withParameterSets.writeBytes(accessUnit, accessUnit.readerIndex(), accessUnit.readableBytes());
                live.send(withParameterSets, rtpTimestamp);
            }
            else
            {
                live.send(accessUnit, rtpTimestamp);
            }
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

    // ---------------------------------------------------------------- radix control plane

    private void acceptMembers()
    {
        while (!closed)
        {
            try
            {
                final Socket socket = controlServer.accept();
                socket.setTcpNoDelay(true);
                Threads.start("control-member-" + config.name(), () -> serveMember(socket));
            }
            catch (final IOException ex)
            {
                if (!closed)
                {
                    LOG.warn("{}: control accept failed", config.name(), ex);
                }
                return;
            }
        }
    }

    private void serveMember(final Socket socket)
    {
        String member = null;
        try (socket)
        {
            final BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            final PrintWriter writer = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            final String line = reader.readLine();
            final String[] parts = line == null ? new String[0] : line.split(" ");
            if (parts.length != 5 || !"JOIN".equals(parts[0]))
            {
                writer.println("ERROR expected JOIN name host dataPort rtspPort");
                return;
            }
            final Child child = new Child(parts[1], new InetSocketAddress(parts[2], Integer.parseInt(parts[3])));
            synchronized (coordinator)
            {
                if (closed || coordinator.contains(child.name()))
                {
                    writer.println("ERROR name " + child.name() + " already in the overlay");
                    return;
                }
                member = child.name();
                memberLinks.put(member, writer);
                memberAddresses.put(member, child);
                controlSockets.put(member, socket);
                final String attachedTo = coordinator.join(member);
                LOG.info("{}: {} joined under {}", config.name(), member, attachedTo);
                publishState();
            }
            while (reader.readLine() != null)
            {
                // Members send nothing after JOIN; reading detects their end.
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.debug("{}: control connection of {} ended", config.name(), member, ex);
        }
        finally
        {
            if (member != null)
            {
                leave(member);
            }
        }
    }

    private void leave(final String member)
    {
        synchronized (coordinator)
        {
            controlSockets.remove(member);
            memberLinks.remove(member);
            memberAddresses.remove(member);
            lastState.remove(member);
            if (!closed && coordinator.contains(member))
            {
                final List<String> orphans = coordinator.leave(member);
                LOG.info("{}: {} left; re-attached {}", config.name(), member, orphans);
                publishState();
            }
        }
    }

    /** Sends every member whose depth, parent or children changed its new STATE; updates the radix's own children. */
    private void publishState()
    {
        final Map<String, Integer> depths = coordinator.depths();
        for (final Map.Entry<String, Integer> entry : depths.entrySet())
        {
            final String node = entry.getKey();
            final List<Child> kids = new ArrayList<>();
            for (final String childName : coordinator.children(node))
            {
                kids.add(memberAddresses.get(childName));
            }
            if (node.equals(config.name()))
            {
                children = kids.toArray(new Child[0]);
                continue;
            }
            final StringBuilder state = new StringBuilder("STATE ").append(entry.getValue()).append(' ')
                .append(coordinator.parent(node)).append(' ');
            if (kids.isEmpty())
            {
                state.append('-');
            }
            for (int i = 0; i < kids.size(); i++)
            {
                final Child kid = kids.get(i);
                state.append(i == 0 ? "" : ",").append(kid.name()).append('@')
                    .append(kid.address().getHostString()).append(':').append(kid.address().getPort());
            }
            final String text = state.toString();
            if (!text.equals(lastState.get(node)))
            {
                lastState.put(node, text);
                final PrintWriter writer = memberLinks.get(node);
                if (writer != null)
                {
                    writer.println(text);
                }
            }
        }
    }

    // ---------------------------------------------------------------- member control plane

    private void memberLoop()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Socket socket = null;
        while (!closed && socket == null)
        {
            try
            {
                final Socket attempt = new Socket();
                attempt.connect(config.join(), 2_000);
                socket = attempt;
            }
            catch (final IOException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    LOG.error("{}: cannot reach radix at {}", config.name(), config.join());
                    return;
                }
                LockSupport.parkNanos(JOIN_RETRY_NANOS);
            }
        }
        if (socket == null)
        {
            return;
        }
        controlClient = socket;
        try (Socket link = socket)
        {
            link.setTcpNoDelay(true);
            final PrintWriter writer = new PrintWriter(link.getOutputStream(), true, StandardCharsets.UTF_8);
            writer.println("JOIN " + config.name() + " " + advertiseHost() + " " + data.getLocalPort() + " " + rtsp.port());
            final BufferedReader reader = new BufferedReader(new InputStreamReader(link.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null)
            {
                onControl(line);
            }
            if (!closed)
            {
                LOG.warn("{}: radix closed the control connection", config.name());
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            if (!closed)
            {
                LOG.warn("{}: control connection failed: {}", config.name(), ex.toString());
            }
        }
        finally
        {
            children = new Child[0];
            joined = false;
        }
    }

    private void onControl(final String line)
    {
        final String[] parts = line.split(" ");
        if ("STATE".equals(parts[0]) && parts.length == 4)
        {
            final List<Child> kids = new ArrayList<>();
            if (!"-".equals(parts[3]))
            {
                for (final String item : parts[3].split(","))
                {
                    final int at = item.indexOf('@');
                    final int colon = item.lastIndexOf(':');
                    kids.add(new Child(item.substring(0, at),
                        new InetSocketAddress(item.substring(at + 1, colon), Integer.parseInt(item.substring(colon + 1)))));
                }
            }
            depth = Integer.parseInt(parts[1]);
            parent = parts[2];
            children = kids.toArray(new Child[0]);
            joined = true;
            LOG.debug("{}: depth {} under {}, children {}", config.name(), depth, parent, kids);
        }
        else if ("ERROR".equals(parts[0]))
        {
            LOG.error("{}: radix refused: {}", config.name(), line);
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        data.close();
        if (pushed != null)
        {
            pushed.close();
        }
        rtsp.close();
        closeQuietly(controlServer);
        closeQuietly(controlClient);
        for (final Socket socket : controlSockets.values())
        {
            closeQuietly(socket);
        }
        if (recording != null)
        {
            synchronized (this)
            {
                try
                {
                    receiver.join(2_000);
                    recording.close();
                }
                catch (final IOException ex)
                {
                    LOG.warn("{}: closing the recording failed", config.name(), ex);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
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
        return "CloneNode[" + config.name() + ", " + role() + "]";
    }
}
