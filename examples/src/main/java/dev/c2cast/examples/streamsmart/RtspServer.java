package dev.c2cast.examples.streamsmart;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.c2cast.examples.internal.Threads;
import dev.c2cast.rtp.h264.H264MediaDescription;
import dev.c2cast.rtp.h264.NalUnitType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal RTSP 1.0 server (RFC 2326) that lets any player watch the clone's live stream at
 * {@code rtsp://host:port/live}: OPTIONS, DESCRIBE (SDP with the stream's SPS/PPS once seen, else parameter sets
 * in-band only, as RFC 6184 section 8.2.1 allows), SETUP with
 * {@code RTP/AVP/TCP;interleaved=0-1}, PLAY, GET_PARAMETER/SET_PARAMETER (keep-alive) and TEARDOWN. RTP goes on
 * interleaved channel 0 and the sender's RTCP on channel 1 (section 10.12). UDP transport is answered with
 * 461 Unsupported Transport, which FFmpeg, GStreamer's rtspsrc and VLC handle by retrying over TCP.
 * <p>
 * A session that joins mid-stream starts at the next keyframe so that the player never sees a P frame without its
 * reference; one that joins before the stream (or in a pause) gets everything. Each session has its own writer thread and a bounded queue: a slow player loses packets (counted) but
 * never stalls the clone's forwarding thread. {@link #deliver(byte[], int, boolean)} is called by one thread.
 */
final class RtspServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RtspServer.class);
    private static final int QUEUE_CAPACITY = 2048;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final String name;
    private final ServerSocket server;
    private final Supplier<H264MediaDescription> description;
    private final CopyOnWriteArrayList<Session> sessions = new CopyOnWriteArrayList<>();
    private final AtomicLong droppedPackets = new AtomicLong();
    private volatile boolean closed;
    private volatile long lastRtpNanos = System.nanoTime() - IDLE_NANOS;

    RtspServer(final String name, final InetSocketAddress bind, final Supplier<H264MediaDescription> description) throws IOException
    {
        this.name = name;
        this.description = description;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(bind);
        Threads.start("rtsp-accept-" + name, this::acceptLoop);
    }

    int port()
    {
        return server.getLocalPort();
    }

    int sessionCount()
    {
        return sessions.size();
    }

    long droppedPackets()
    {
        return droppedPackets.get();
    }

    /**
     * Queues one RTP or RTCP packet to every playing session (copied: the caller reuses its buffer).
     *
     * @param data   the packet bytes.
     * @param length its length.
     * @param rtcp   true for RTCP (channel 1).
     */
    void deliver(final byte[] data, final int length, final boolean rtcp)
    {
        if (sessions.isEmpty())
        {
            return;
        }
        if (!rtcp)
        {
            lastRtpNanos = System.nanoTime();
        }
        final boolean keyframeStart = !rtcp && startsKeyframe(data, length);
        for (final Session session : sessions)
        {
            if (!session.playing)
            {
                continue;
            }
            if (!session.started)
            {
                if (!keyframeStart)
                {
                    continue;
                }
                session.started = true;
            }
            final byte[] frame = new byte[length + 4];
            frame[0] = '$';
            frame[1] = (byte)(rtcp ? 1 : 0);
            frame[2] = (byte)(length >>> 8);
            frame[3] = (byte)length;
            System.arraycopy(data, 0, frame, 4, length);
            if (!session.queue.offer(frame))
            {
                droppedPackets.incrementAndGet();
            }
        }
    }

    /**
     * Whether an RTP packet begins an IDR access unit: an SPS, PPS or IDR NAL unit, a STAP-A starting with one, or
     * the first FU-A fragment of an IDR slice.
     */
    static boolean startsKeyframe(final byte[] data, final int length)
    {
        if (length < 13 || (data[0] & 0xc0) != 0x80)
        {
            return false;
        }
        int offset = 12 + 4 * (data[0] & 0x0f);
        if ((data[0] & 0x10) != 0)
        {
            if (offset + 4 > length)
            {
                return false;
            }
            offset += 4 + 4 * (((data[offset + 2] & 0xff) << 8) | (data[offset + 3] & 0xff));
        }
        if (offset >= length)
        {
            return false;
        }
        final int type = NalUnitType.of(data[offset]);
        if (type == NalUnitType.STAP_A)
        {
            return offset + 3 < length && isKeyframeType(NalUnitType.of(data[offset + 3]));
        }
        if (type == NalUnitType.FU_A)
        {
            return offset + 1 < length && (data[offset + 1] & 0x80) != 0 && NalUnitType.of(data[offset + 1]) == NalUnitType.IDR;
        }
        return isKeyframeType(type);
    }

    private static boolean isKeyframeType(final int type)
    {
        return type == NalUnitType.SPS || type == NalUnitType.PPS || type == NalUnitType.IDR;
    }

    private void acceptLoop()
    {
        while (!closed)
        {
            try
            {
                final Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                final Session session = new Session(socket);
                Threads.start("rtsp-session-" + name, session::serve);
            }
            catch (final IOException ex)
            {
                if (!closed)
                {
                    LOG.warn("{}: RTSP accept failed", name, ex);
                }
                return;
            }
        }
    }

    @Override
    public void close()
    {
        closed = true;
        try
        {
            server.close();
        }
        catch (final IOException ex)
        {
            LOG.debug("{}: closing RTSP server", name, ex);
        }
        for (final Session session : sessions)
        {
            session.close();
        }
    }

    private final class Session
    {
        private final Socket socket;
        private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        private final String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        private volatile boolean playing;
        private volatile boolean started;
        private volatile boolean ended;
        private OutputStream out;

        Session(final Socket socket)
        {
            this.socket = socket;
        }

        void serve()
        {
            try (socket)
            {
                out = socket.getOutputStream();
                final InputStream in = new BufferedInputStream(socket.getInputStream());
                while (!ended)
                {
                    final Map<String, String> headers = new LinkedHashMap<>();
                    final String requestLine = readRequest(in, headers);
                    if (requestLine == null)
                    {
                        break;
                    }
                    handle(requestLine, headers);
                }
            }
            catch (final IOException ex)
            {
                LOG.debug("{}: RTSP session ended", name, ex);
            }
            finally
            {
                close();
            }
        }

        private String readRequest(final InputStream in, final Map<String, String> headers) throws IOException
        {
            String requestLine = null;
            while (true)
            {
                in.mark(4);
                final int first = in.read();
                if (first < 0)
                {
                    return null;
                }
                if (first == '$' && requestLine == null)
                {
                    in.read();
                    final int length = (in.read() << 8) | in.read();
                    in.skipNBytes(Math.max(0, length));
                    continue;
                }
                in.reset();
                final String line = readLine(in);
                if (line == null)
                {
                    return null;
                }
                if (requestLine == null)
                {
                    if (!line.isEmpty())
                    {
                        requestLine = line;
                    }
                    continue;
                }
                if (line.isEmpty())
                {
                    final int length = Integer.parseInt(headers.getOrDefault("content-length", "0").trim());
                    in.skipNBytes(length);
                    return requestLine;
                }
                final int colon = line.indexOf(':');
                if (colon > 0)
                {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
        }

        private void handle(final String requestLine, final Map<String, String> headers) throws IOException
        {
            final String[] parts = requestLine.split(" ");
            final String method = parts[0];
            final String url = parts.length > 1 ? parts[1] : "";
            final String cseq = headers.getOrDefault("cseq", "0");
            switch (method)
            {
                case "OPTIONS" -> respond(200, "OK", cseq, "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER, SET_PARAMETER\r\n", null);
                case "DESCRIBE" -> describe(url, cseq);
                case "SETUP" -> setup(cseq, headers.getOrDefault("transport", ""));
                case "PLAY" ->
                {
                    if (!sessions.contains(this))
                    {
                        respond(455, "Method Not Valid in This State", cseq, "", null);
                        return;
                    }
                    respond(200, "OK", cseq, "Session: " + id + "\r\nRange: npt=0.000-\r\n", null);
                    // Before the stream (or in a pause of it) the next packet starts an access unit: play from it.
                    started = System.nanoTime() - lastRtpNanos >= IDLE_NANOS;
                    playing = true;
                    Threads.start("rtsp-writer-" + name, this::writeLoop);
                    LOG.info("{}: RTSP client {} playing", name, socket.getRemoteSocketAddress());
                }
                case "GET_PARAMETER", "SET_PARAMETER" -> respond(200, "OK", cseq, "Session: " + id + "\r\n", null);
                case "TEARDOWN" ->
                {
                    respond(200, "OK", cseq, "Session: " + id + "\r\n", null);
                    ended = true;
                }
                default -> respond(501, "Not Implemented", cseq, "", null);
            }
        }

        private void describe(final String url, final String cseq) throws IOException
        {
            final H264MediaDescription media = description.get();
            final String address = socket.getLocalAddress().getHostAddress();
            final String sdp = media.toSdp("c2cast clone " + name, address.contains(":") ? "0.0.0.0" : address, 0);
            final String base = url.endsWith("/") ? url : url + "/";
            respond(200, "OK", cseq, "Content-Base: " + base + "\r\nContent-Type: application/sdp\r\n", sdp);
        }

        private void setup(final String cseq, final String transport) throws IOException
        {
            final String lower = transport.toLowerCase(Locale.ROOT);
            if (!lower.contains("rtp/avp/tcp") && !lower.contains("interleaved"))
            {
                respond(461, "Unsupported Transport", cseq, "", null);
                return;
            }
            sessions.addIfAbsent(this);
            respond(200, "OK", cseq, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\nSession: " + id + ";timeout=60\r\n", null);
        }

        private void respond(final int status, final String reason, final String cseq, final String extra, final String body)
            throws IOException
        {
            final byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            final String head = "RTSP/1.0 " + status + " " + reason + "\r\nCSeq: " + cseq + "\r\nServer: c2cast-examples\r\n" + extra
                + (body == null ? "" : "Content-Length: " + content.length + "\r\n") + "\r\n";
            synchronized (this)
            {
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(content);
                out.flush();
            }
        }

        private void writeLoop()
        {
            try
            {
                while (!ended && !closed)
                {
                    final byte[] frame = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (frame != null)
                    {
                        synchronized (this)
                        {
                            out.write(frame);
                            byte[] next;
                            while ((next = queue.poll()) != null)
                            {
                                out.write(next);
                            }
                            out.flush();
                        }
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            catch (final SocketException ex)
            {
                LOG.debug("{}: RTSP client gone", name, ex);
            }
            catch (final IOException ex)
            {
                LOG.info("{}: RTSP write failed: {}", name, ex.toString());
            }
            finally
            {
                close();
            }
        }

        void close()
        {
            ended = true;
            playing = false;
            sessions.remove(this);
            try
            {
                socket.close();
            }
            catch (final IOException ex)
            {
                LOG.debug("{}: closing RTSP session", name, ex);
            }
        }
    }

    static String readLine(final InputStream in) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        while (true)
        {
            final int b = in.read();
            if (b < 0)
            {
                return line.length() == 0 ? null : line.toString();
            }
            if (b == '\n')
            {
                final int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() > 8192)
            {
                throw new IOException("RTSP line too long");
            }
            line.append((char)b);
        }
    }
}
