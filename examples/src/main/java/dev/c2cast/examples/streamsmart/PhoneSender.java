package dev.c2cast.examples.streamsmart;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

import dev.c2cast.rtp.h264.H264MediaDescription;
import dev.c2cast.rtp.h264.H264Packetizer;
import dev.c2cast.rtp.h264.NalUnitType;
import dev.c2cast.rtp.h264.PacketizerConfig;
import dev.c2cast.rtp.h264.Rtcp;
import dev.c2cast.rtp.h264.RtpH264Exception;
import dev.c2cast.rtp.h264.RtpPacketSink;
import dev.c2cast.rtp.h264.RtspClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending phone: packetizes an H.264 stream (RFC 6184, non-interleaved mode) and pushes it to its clone, access
 * unit by access unit at the frame rate (access unit {@code i} leaves at {@code start + i/fps} with RTP timestamp
 * {@code i * 90000/fps}), either as plain RTP/UDP with an RTCP sender report every second so receivers can measure
 * latency, or with rtp-h264's {@link RtspClient} as an RTSP ANNOUNCE/RECORD push (RTP interleaved on the TCP
 * connection; rtp-h264's server at the radix hands it to the clone, see {@link CloudClone}).
 * <p>
 * {@link #run()} blocks in the calling thread; {@link #close()} may be called from any thread.
 */
final class PhoneSender implements AutoCloseable, RtpPacketSink
{
    private static final Logger LOG = LoggerFactory.getLogger(PhoneSender.class);
    private static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;

    private final AccessUnits units;
    private final InetSocketAddress destination;
    private final double fps;
    private final int loops;
    private final int ssrc;
    private final DatagramSocket socket;
    private final RtspClient pusher;
    private final ByteBuf annexB = Unpooled.buffer(64 * 1024);
    private final H264Packetizer packetizer;
    private final byte[] datagram = new byte[PacketizerConfig.MAX_PACKET_SIZE_DEFAULT + 64];
    private final DatagramPacket packet;
    private final ByteBuf report = Unpooled.buffer(64);
    private volatile boolean closed;
    private volatile long accessUnitsSent;
    private volatile long packetsSent;

    PhoneSender(final AccessUnits units, final InetSocketAddress destination, final double fps, final int loops, final int ssrc)
        throws IOException
    {
        if (!(fps > 0) || loops < 1 || units.size() == 0)
        {
            throw new IllegalArgumentException("fps " + fps + ", loops " + loops + ", " + units.size() + " access units");
        }
        this.units = units;
        this.destination = destination;
        this.fps = fps;
        this.loops = loops;
        this.ssrc = ssrc;
        this.socket = new DatagramSocket();
        socket.setSendBufferSize(1024 * 1024);
        this.pusher = null;
        this.packetizer = new H264Packetizer(PacketizerConfig.defaults(ssrc, ssrc & 0xffff));
        this.packet = new DatagramPacket(datagram, 0, destination);
    }

    /**
     * A phone pushing with RTSP ANNOUNCE/RECORD: connects and announces the stream's SPS and PPS (from the first
     * access unit that carries them).
     *
     * @param units the clip.
     * @param push  such as {@code rtsp://clone:8554/phone}.
     * @param fps   frames per second.
     * @param loops times to send the clip.
     * @param ssrc  the RTP SSRC.
     * @throws IOException if the clone cannot be reached or refuses the push.
     */
    PhoneSender(final AccessUnits units, final URI push, final double fps, final int loops, final int ssrc)
        throws IOException
    {
        if (!(fps > 0) || loops < 1 || units.size() == 0)
        {
            throw new IllegalArgumentException("fps " + fps + ", loops " + loops + ", " + units.size() + " access units");
        }
        this.units = units;
        this.destination = new InetSocketAddress(push.getHost(), push.getPort() < 0 ? 554 : push.getPort());
        this.fps = fps;
        this.loops = loops;
        this.ssrc = ssrc;
        this.socket = null;
        this.packetizer = null;
        this.packet = null;
        final byte[][] parameterSets = parameterSets(units);
        RtspClient client = null;
        try
        {
            client = RtspClient.connect(push.toString(), new SplittableRandom(ssrc));
            client.record(H264MediaDescription.of(PacketizerConfig.PAYLOAD_TYPE_DEFAULT, 1, parameterSets[0], parameterSets[1], null),
                PacketizerConfig.defaults(ssrc, ssrc & 0xffff));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while connecting to " + push);
        }
        catch (final RuntimeException ex)
        {
            if (client != null)
            {
                client.close();
            }
            throw new IOException("cannot push to " + push + ": " + ex, ex);
        }
        this.pusher = client;
    }

    private static byte[][] parameterSets(final AccessUnits units)
    {
        final ByteBuf buffer = units.buffer();
        final byte[][] found = new byte[2][];
        for (final AccessUnits.AccessUnit unit : units.units())
        {
            for (int i = 0; i < unit.count(); i++)
            {
                final int type = NalUnitType.of(buffer.getByte(unit.indices()[i]));
                if (type == NalUnitType.SPS || type == NalUnitType.PPS)
                {
                    final byte[] nal = new byte[unit.lengths()[i]];
                    buffer.getBytes(unit.indices()[i], nal);
                    found[type == NalUnitType.SPS ? 0 : 1] = nal;
                }
            }
            if (found[0] != null && found[1] != null)
            {
                return found;
            }
        }
        throw new IllegalArgumentException("the stream has no SPS and PPS to announce");
    }

    long accessUnitsSent()
    {
        return accessUnitsSent;
    }

    /**
     * RTP packets sent over UDP (the RTSP push packetizes inside rtp-h264's client and counts none).
     *
     * @return the count.
     */
    long packetsSent()
    {
        return packetsSent;
    }

    long totalAccessUnits()
    {
        return (long)units.size() * loops;
    }

    /**
     * Sends the whole stream in real time, then a BYE.
     *
     * @return the number of access units sent (fewer if closed early).
     * @throws IOException if the socket fails.
     */
    long run() throws IOException
    {
        final long start = System.nanoTime();
        long nextReport = start;
        long index = 0;
        final long ticksPerFrameTimes1000 = Math.round(90_000_000.0 / fps);
        try
        {
            for (int loop = 0; loop < loops && !closed; loop++)
            {
                for (final AccessUnits.AccessUnit unit : units.units())
                {
                    if (closed)
                    {
                        break;
                    }
                    final long due = start + Math.round(index * 1e9 / fps);
                    long now;
                    while ((now = System.nanoTime()) < due && !closed)
                    {
                        LockSupport.parkNanos(due - now);
                    }
                    final long timestamp = (index * ticksPerFrameTimes1000 / 1000 + ssrc) & 0xffff_ffffL;
                    if (pusher != null)
                    {
                        push(unit, timestamp);
                        accessUnitsSent = index + 1;
                        index++;
                        continue;
                    }
                    if (now >= nextReport)
                    {
                        // The RTP timestamp stands for the access unit's due (capture) time, so the report maps it to
                        // the wall clock at that instant, not at this thread's possibly late wake-up.
                        sendReport(timestamp, StreamMeter.wallNanos() - (now - due));
                        nextReport = now + REPORT_INTERVAL_NANOS;
                    }
                    packetizer.packetize(units.buffer(), unit.indices(), unit.lengths(), unit.count(), timestamp, this);
                    accessUnitsSent = index + 1;
                    index++;
                }
            }
            if (pusher == null)
            {
                report.clear();
                Rtcp.writeBye(report, ssrc);
                send(report);
            }
        }
        finally
        {
            if (socket != null)
            {
                socket.close();
            }
            if (pusher != null)
            {
                try
                {
                    pusher.close();
                }
                catch (final RtpH264Exception ex)
                {
                    LOG.debug("TEARDOWN failed", ex);
                }
            }
        }
        LOG.info("sent {} access units, {} packets to {}", accessUnitsSent, packetsSent, destination);
        return accessUnitsSent;
    }

    private void push(final AccessUnits.AccessUnit unit, final long timestamp)
    {
        annexB.clear();
        for (int i = 0; i < unit.count(); i++)
        {
            annexB.writeInt(1);
            annexB.writeBytes(units.buffer(), unit.indices()[i], unit.lengths()[i]);
        }
        pusher.send(annexB, timestamp);
    }

    private void sendReport(final long timestamp, final long wallNanos) throws IOException
    {
        report.clear();
        Rtcp.writeSenderReport(report, ssrc, Rtcp.ntpTimestamp(wallNanos), timestamp,
            packetizer.packetCount(), packetizer.octetCount());
        send(report);
    }

    private void send(final ByteBuf buffer) throws IOException
    {
        final int length = buffer.readableBytes();
        buffer.getBytes(buffer.readerIndex(), datagram, 0, length);
        packet.setData(datagram, 0, length);
        socket.send(packet);
    }

    @Override
    public void onPacket(final ByteBuf header, final ByteBuf payload, final int payloadIndex, final int payloadLength)
    {
        final int headerLength = header.readableBytes();
        header.getBytes(header.readerIndex(), datagram, 0, headerLength);
        payload.getBytes(payloadIndex, datagram, headerLength, payloadLength);
        packet.setData(datagram, 0, headerLength + payloadLength);
        try
        {
            socket.send(packet);
            packetsSent = packetsSent + 1;
        }
        catch (final IOException ex)
        {
            if (!closed)
            {
                LOG.warn("send to {} failed: {}", destination, ex.toString());
            }
        }
    }

    @Override
    public void close()
    {
        closed = true;
    }
}
