package dev.c2cast.examples.streamsmart;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.c2cast.rtp.h264.AccessUnitListener;
import dev.c2cast.rtp.h264.RtpH264Exception;
import dev.c2cast.rtp.h264.RtpTimestamps;
import dev.c2cast.rtp.h264.RtspClient;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewing phone: pulls the live stream from its clone with rtp-h264's {@link RtspClient} (RFC 2326, RTP
 * interleaved on the TCP connection, keep-alive, PLI on loss), counts frames, incomplete frames and loss bursts, the
 * frame delay variation (arrival time against the RTP timestamp, relative to the first frame), and can write the
 * received access units to an Annex B file that ffplay plays.
 * <p>
 * rtp-h264's client hands out access units only, not RTP packets or RTCP sender reports, so the viewer cannot count
 * lost packets or measure one-way latency; the clones measure both on their data plane ({@link StreamMeter}).
 * <p>
 * {@link #connect()} then {@link #run(long, long, long)} in one thread; access units arrive on the client's event
 * loop (the only writer of the statistics); statistics and {@link #close()} from any thread.
 */
final class PhoneViewer implements AutoCloseable, AccessUnitListener
{
    private static final Logger LOG = LoggerFactory.getLogger(PhoneViewer.class);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final URI url;
    private final Path output;
    private RtspClient client;
    private OutputStream file;
    private volatile boolean playing;
    private volatile boolean closed;
    private volatile long frames;
    private volatile long keyframes;
    private volatile long incompleteFrames;
    private volatile long lossBursts;
    private volatile long bytes;
    private volatile long firstFrameNanos;
    private volatile long lastFrameNanos;
    private volatile long delaySumNanos;
    private volatile long delayMaxNanos;
    private long firstTimestamp;

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

    /**
     * Access units the depacketizer flagged as missing NAL units.
     *
     * @return the count.
     */
    long incompleteFrames()
    {
        return incompleteFrames;
    }

    /**
     * Loss bursts (sequence gaps) seen by the depacketizer, each answered with a PLI to the clone.
     *
     * @return the count.
     */
    long lossBursts()
    {
        return lossBursts;
    }

    long bytes()
    {
        return bytes;
    }

    boolean playing()
    {
        return playing;
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
     * Mean delay of a frame's arrival behind its RTP timestamp, relative to the first frame (0 for a perfectly
     * paced path; grows with queueing).
     *
     * @return milliseconds, or NaN before the first frame.
     */
    double meanDelayVariationMillis()
    {
        final long n = frames;
        return n == 0 ? Double.NaN : delaySumNanos / 1e6 / n;
    }

    /**
     * Largest delay of a frame's arrival behind its RTP timestamp, relative to the first frame.
     *
     * @return milliseconds, or NaN before the first frame.
     */
    double maxDelayVariationMillis()
    {
        return frames == 0 ? Double.NaN : delayMaxNanos / 1e6;
    }

    /**
     * Connects and sends DESCRIBE, SETUP and PLAY.
     *
     * @throws IOException if the server cannot be reached or refuses.
     */
    void connect() throws IOException
    {
        try
        {
            client = RtspClient.connect(url.toString(), new SplittableRandom());
            if (output != null)
            {
                file = new BufferedOutputStream(Files.newOutputStream(output));
            }
            client.play(this);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + url);
        }
        catch (final RtpH264Exception ex)
        {
            throw new IOException("cannot play " + url + ": " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            // Netty reports a refused connection as an unchecked ConnectException wrapper
            throw new IOException("cannot reach " + url + ": " + ex, ex);
        }
        playing = true;
        LOG.info("playing {}", url);
    }

    /**
     * Receives until enough frames arrived, the stream went idle, or time ran out.
     *
     * @param maxFrames   stop after this many frames (0 for no bound).
     * @param idleMillis  stop when no frame came for this long after the first one.
     * @param maxMillis   stop after this long in any case.
     * @return the number of frames received.
     * @throws IOException if the output file cannot be flushed.
     */
    long run(final long maxFrames, final long idleMillis, final long maxMillis) throws IOException
    {
        final long start = System.nanoTime();
        while (!closed)
        {
            final long now = System.nanoTime();
            final long received = frames;
            if ((maxFrames > 0 && received >= maxFrames) || now - start > TimeUnit.MILLISECONDS.toNanos(maxMillis)
                || (received > 0 && now - lastFrameNanos > TimeUnit.MILLISECONDS.toNanos(idleMillis)))
            {
                break;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        synchronized (this)
        {
            if (file != null && !closed)
            {
                file.flush();
            }
        }
        return frames;
    }

    @Override
    public void onAccessUnit(final ByteBuf accessUnit, final long rtpTimestamp, final boolean keyframe, final boolean complete)
    {
        final long now = System.nanoTime();
        if (frames == 0)
        {
            firstFrameNanos = now;
            firstTimestamp = rtpTimestamp;
        }
        final long delay = (now - firstFrameNanos)
            - RtpTimestamps.difference(rtpTimestamp, firstTimestamp) * 1_000_000_000L / RtpTimestamps.VIDEO_CLOCK_RATE;
        delaySumNanos = delaySumNanos + delay;
        if (delay > delayMaxNanos)
        {
            delayMaxNanos = delay;
        }
        lastFrameNanos = now;
        if (keyframe)
        {
            keyframes = keyframes + 1;
        }
        if (!complete)
        {
            incompleteFrames = incompleteFrames + 1;
        }
        bytes = bytes + accessUnit.readableBytes();
        synchronized (this)
        {
            if (file != null && !closed)
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
        frames = frames + 1;
    }

    @Override
    public void onKeyframeRequest()
    {
        lossBursts = lossBursts + 1;
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
        playing = false;
        if (client != null)
        {
            try
            {
                client.close();
            }
            catch (final RuntimeException ex)
            {
                LOG.debug("TEARDOWN failed", ex);
            }
        }
        synchronized (this)
        {
            closed = true;
            if (file != null)
            {
                try
                {
                    file.close();
                }
                catch (final IOException ex)
                {
                    LOG.warn("closing {} failed", output, ex);
                }
            }
        }
    }
}
