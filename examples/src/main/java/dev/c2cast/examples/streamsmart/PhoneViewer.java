package dev.c2cast.examples.streamsmart;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.c2cast.rtp.h264.AccessUnitListener;
import dev.c2cast.rtp.h264.H264Depacketizer;
import dev.c2cast.rtp.h264.H264MediaDescription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewing phone: pulls the live stream from its clone over RTSP (RFC 2326, RTP interleaved on the TCP
 * connection), depacketizes it (RFC 6184), counts frames, loss and latency (from the relayed RTCP sender reports),
 * and can write the received access units to an Annex B file that ffplay plays.
 * <p>
 * {@link #connect()} then {@link #run(long, long, long)} in one thread; statistics and {@link #close()} from any.
 */
final class PhoneViewer implements AutoCloseable, AccessUnitListener
{
    private static final Logger LOG = LoggerFactory.getLogger(PhoneViewer.class);

    private final URI url;
    private final Path output;
    private final StreamMeter meter = new StreamMeter();
    private final H264Depacketizer depacketizer = new H264Depacketizer(this);
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;
    private OutputStream file;
    private int cseq;
    private String session;
    private volatile boolean playing;
    private volatile boolean closed;
    private volatile long frames;
    private volatile long keyframes;
    private volatile long bytes;
    private volatile long firstFrameNanos;
    private volatile long lastFrameNanos;

    PhoneViewer(final URI url, final Path output)
    {
        if (!"rtsp".equals(url.getScheme()) || url.getHost() == null)
        {
            throw new IllegalArgumentException("not an rtsp:// URL: " + url);
        }
        this.url = url;
        this.output = output;
    }

    long frames()
    {
        return frames;
    }

    long keyframes()
    {
        return keyframes;
    }

    long bytes()
    {
        return bytes;
    }

    boolean playing()
    {
        return playing;
    }

    StreamMeter meter()
    {
        return meter;
    }

    long lastFrameNanos()
    {
        return lastFrameNanos;
    }

    long firstFrameNanos()
    {
        return firstFrameNanos;
    }

    /**
     * Connects and sends DESCRIBE, SETUP and PLAY.
     *
     * @throws IOException if the server cannot be reached or refuses.
     */
    void connect() throws IOException
    {
        socket = new Socket();
        socket.connect(new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 554 : url.getPort()), 5_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(15_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        out = socket.getOutputStream();
        final Map<String, String> headers = new LinkedHashMap<>();
        final String sdp = request("DESCRIBE", url.toString(), "Accept: application/sdp\r\n", headers);
        final H264MediaDescription media = H264MediaDescription.parse(sdp);
        depacketizer.parameterSets(media.sequenceParameterSet(), media.pictureParameterSet());
        final String base = headers.getOrDefault("content-base", url.toString());
        final String control = media.control();
        final String track = control == null ? url.toString()
            : control.startsWith("rtsp://") ? control : (base.endsWith("/") ? base : base + "/") + control;
        request("SETUP", track, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n", headers);
        final String sessionHeader = headers.get("session");
        if (sessionHeader == null)
        {
            throw new IOException("SETUP answer without Session");
        }
        session = sessionHeader.split(";")[0].trim();
        request("PLAY", url.toString(), "Session: " + session + "\r\nRange: npt=0.000-\r\n", headers);
        if (output != null)
        {
            file = new BufferedOutputStream(Files.newOutputStream(output));
        }
        playing = true;
        LOG.info("playing {}", url);
    }

    private String request(final String method, final String target, final String extra, final Map<String, String> headers)
        throws IOException
    {
        cseq++;
        final String text = method + " " + target + " RTSP/1.0\r\nCSeq: " + cseq + "\r\nUser-Agent: c2cast-phone-view\r\n" + extra + "\r\n";
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        headers.clear();
        final String status = RtspServer.readLine(in);
        if (status == null || !status.startsWith("RTSP/1.0 "))
        {
            throw new IOException(method + ": bad answer " + status);
        }
        String line;
        while ((line = RtspServer.readLine(in)) != null && !line.isEmpty())
        {
            final int colon = line.indexOf(':');
            if (colon > 0)
            {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        final int length = Integer.parseInt(headers.getOrDefault("content-length", "0").trim());
        final byte[] body = new byte[length];
        in.readFully(body);
        final int code = Integer.parseInt(status.split(" ")[1]);
        if (code != 200)
        {
            throw new IOException(method + " " + target + ": " + status);
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Receives until enough frames arrived, the stream went idle, or time ran out.
     *
     * @param maxFrames   stop after this many frames (0 for no bound).
     * @param idleMillis  stop when no packet came for this long after the first one.
     * @param maxMillis   stop after this long in any case.
     * @return the number of frames received.
     * @throws IOException if the connection fails other than by closing.
     */
    long run(final long maxFrames, final long idleMillis, final long maxMillis) throws IOException
    {
        final long start = System.nanoTime();
        final byte[] buffer = new byte[65_536];
        final ByteBuf wrapped = Unpooled.wrappedBuffer(buffer);
        socket.setSoTimeout(200);
        try
        {
            while (!closed)
            {
                final long now = System.nanoTime();
                if ((maxFrames > 0 && frames >= maxFrames) || now - start > maxMillis * 1_000_000L)
                {
                    break;
                }
                final long last = meter.lastArrivalNanos();
                if (meter.packets() > 0 && now - last > idleMillis * 1_000_000L)
                {
                    break;
                }
                final int first;
                try
                {
                    first = in.read();
                }
                catch (final java.net.SocketTimeoutException ex)
                {
                    continue;
                }
                if (first < 0)
                {
                    break;
                }
                if (first != '$')
                {
                    skipResponse(first);
                    continue;
                }
                socket.setSoTimeout(5_000);
                final int channel = in.readUnsignedByte();
                final int length = in.readUnsignedShort();
                in.readFully(buffer, 0, length);
                socket.setSoTimeout(200);
                if (channel == 0 || channel == 1)
                {
                    final boolean rtp = meter.onDatagram(wrapped, 0, length, StreamMeter.wallNanos(), System.nanoTime());
                    if (rtp)
                    {
                        wrapped.setIndex(0, length);
                        depacketizer.onPacket(wrapped);
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            if (!closed)
            {
                throw ex;
            }
        }
        finally
        {
            if (file != null)
            {
                file.flush();
            }
        }
        return frames;
    }

    private void skipResponse(final int first) throws IOException
    {
        final StringBuilder line = new StringBuilder().append((char)first);
        final String rest = RtspServer.readLine(in);
        line.append(rest == null ? "" : rest);
        int length = 0;
        String header;
        while ((header = RtspServer.readLine(in)) != null && !header.isEmpty())
        {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:"))
            {
                length = Integer.parseInt(header.substring(15).trim());
            }
        }
        in.skipNBytes(length);
        LOG.debug("ignored RTSP message {}", line);
    }

    @Override
    public void onAccessUnit(final ByteBuf accessUnit, final long rtpTimestamp, final boolean keyframe, final boolean complete)
    {
        final long now = System.nanoTime();
        if (frames == 0)
        {
            firstFrameNanos = now;
        }
        lastFrameNanos = now;
        frames = frames + 1;
        if (keyframe)
        {
            keyframes = keyframes + 1;
        }
        bytes = bytes + accessUnit.readableBytes();
        if (file != null)
        {
            try
            {
                accessUnit.getBytes(accessUnit.readerIndex(), file, accessUnit.readableBytes());
            }
            catch (final IOException ex)
            {
                LOG.warn("writing {} failed", output, ex);
            }
        }
    }

    /**
     * Sends TEARDOWN (best effort) and closes the connection and the output file.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        playing = false;
        try
        {
            if (out != null && session != null)
            {
                out.write(("TEARDOWN " + url + " RTSP/1.0\r\nCSeq: " + (++cseq) + "\r\nSession: " + session + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        catch (final IOException ex)
        {
            LOG.debug("TEARDOWN failed", ex);
        }
        try
        {
            if (socket != null)
            {
                socket.close();
            }
            if (file != null)
            {
                file.close();
            }
        }
        catch (final IOException ex)
        {
            LOG.warn("closing viewer failed", ex);
        }
    }
}
