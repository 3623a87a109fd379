package dev.c2cast.examples.streamsmart;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.c2cast.examples.internal.Threads;
import dev.c2cast.rtp.h264.AccessUnitListener;
import dev.c2cast.rtp.h264.H264Packetizer;
import dev.c2cast.rtp.h264.LiveStream;
import dev.c2cast.rtp.h264.PacketizerConfig;
import dev.c2cast.rtp.h264.Rtcp;
import dev.c2cast.rtp.h264.RtpH264Exception;
import dev.c2cast.rtp.h264.RtpPacketSink;
import dev.c2cast.rtp.h264.RtspClient;
import dev.c2cast.rtp.h264.RtspServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a phone's stream pushed with RTSP ANNOUNCE/RECORD the radix's input. rtp-h264's {@link RtspServer} turns a
 * push into a {@link LiveStream} served to players but hands the access units to no application callback, so this
 * class plays the pushed path from the clone's own server over loopback with rtp-h264's {@link RtspClient} and
 * packetizes the access units again as RTP/UDP to the clone's own data port, with an RTCP sender report every second
 * (the radix's wall clock). The forwarding path therefore sees the same datagrams as from a plain RTP/UDP phone.
 * A new ANNOUNCE at the path (the phone reconnecting) is picked up within {@link #POLL_NANOS}.
 * <p>
 * Threads: one watcher thread; access units arrive on the client's event loop, the only writer of the counters.
 */
final class PushedInput implements AutoCloseable, AccessUnitListener, RtpPacketSink
{
    /** How often the watcher looks for a new push. */
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final Logger LOG = LoggerFactory.getLogger(PushedInput.class);
    private static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final RtspServer server;
    private final String path;
    private final DatagramSocket socket;
    private final DatagramPacket packet;
    private final byte[] datagram = new byte[PacketizerConfig.MAX_PACKET_SIZE_DEFAULT + 64];
    private final ByteBuf report = Unpooled.buffer(64);
    private final H264Packetizer packetizer;
    private final int ssrc;
    private final Thread watcher;
    private volatile boolean closed;
    private volatile long accessUnits;
    private RtspClient client;
    private long nextReport;

    PushedInput(final String name, final RtspServer server, final String path, final InetSocketAddress dataPort) throws IOException
    {
        this.name = name;
        this.server = server;
        this.path = path;
        this.socket = new DatagramSocket();
        this.packet = new DatagramPacket(datagram, 0, dataPort);
        final SplittableRandom random = new SplittableRandom();
        this.ssrc = random.nextInt();
        this.packetizer = new H264Packetizer(PacketizerConfig.defaults(ssrc, random.nextInt(65_536)));
        this.watcher = Threads.start("push-watch-" + name, this::watch);
    }

    long accessUnits()
    {
        return accessUnits;
    }

    private void watch()
    {
        LiveStream current = null;
        while (!closed)
        {
            try
            {
                final LiveStream stream = server.stream(path);
                if (stream != null && stream != current)
                {
                    current = stream;
                    closeClient();
                    final RtspClient next = RtspClient.connect("rtsp://" + server.config().host().replace("0.0.0.0", "127.0.0.1") + ":"
                        + server.port() + path, new SplittableRandom());
                    client = next;
                    next.play(this);
                    LOG.info("{}: relaying the stream pushed at {}", name, path);
                }
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            catch (final RuntimeException ex)
            {
                if (!closed)
                {
                    LOG.warn("{}: relaying the pushed stream failed: {}", name, ex.toString());
                    current = null;
                }
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    @Override
    public void onAccessUnit(final ByteBuf accessUnit, final long rtpTimestamp, final boolean keyframe, final boolean complete)
    {
        final long now = System.nanoTime();
        if (accessUnits == 0 || now >= nextReport)
        {
            nextReport = now + REPORT_INTERVAL_NANOS;
            report.clear();
            Rtcp.writeSenderReport(report, ssrc, Rtcp.ntpTimestamp(StreamMeter.wallNanos()), rtpTimestamp, packetizer.packetCount(),
                packetizer.octetCount());
            report.getBytes(0, datagram, 0, report.readableBytes());
            send(report.readableBytes());
        }
        try
        {
            packetizer.packetize(accessUnit, rtpTimestamp, this);
        }
        catch (final RtpH264Exception ex)
        {
            LOG.debug("{}: pushed access unit dropped: {}", name, ex.getMessage());
        }
        accessUnits = accessUnits + 1;
    }

    @Override
    public void onPacket(final ByteBuf header, final ByteBuf payload, final int payloadIndex, final int payloadLength)
    {
        final int headerLength = header.readableBytes();
        header.getBytes(header.readerIndex(), datagram, 0, headerLength);
        payload.getBytes(payloadIndex, datagram, headerLength, payloadLength);
        send(headerLength + payloadLength);
    }

    private void send(final int length)
    {
        packet.setData(datagram, 0, length);
        try
        {
            socket.send(packet);
        }
        catch (final IOException ex)
        {
            if (!closed)
            {
                LOG.warn("{}: relay to the data port failed: {}", name, ex.toString());
            }
        }
    }

    private void closeClient()
    {
        final RtspClient old = client;
        client = null;
        if (old != null)
        {
            try
            {
                old.close();
            }
            catch (final RuntimeException ex)
            {
                LOG.debug("{}: closing the relay client failed", name, ex);
            }
        }
    }

    @Override
    public void close()
    {
        closed = true;
        watcher.interrupt();
        try
        {
            watcher.join(2_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        closeClient();
        socket.close();
    }
}
