package dev.c2cast.rtp.h264;

import io.netty.buffer.ByteBuf;

/**
 * The receiving half of a pushed stream: RTP from a RECORD session (UDP or interleaved) or a plain RTP/UDP port goes
 * through a {@link JitterBuffer} (reordering and duplicates undone, gaps given up after the configured latency) into
 * an {@link H264Depacketizer}; its access units are re-served by the {@link LiveStream} and handed to the
 * application's {@link PushListener}. A loss burst asks the pusher for an IDR picture.
 * <p>
 * Confined to the server's event loop. A timer is scheduled only while the jitter buffer holds packets behind a gap
 * (or the stream's very first packet), not per packet.
 */
final class PushIngest implements JitterBufferListener, AccessUnitListener
{
    private final RtspServer server;
    private final LiveStream stream;
    private final Runnable keyframeRequest;
    private final JitterBuffer jitter;
    private final H264Depacketizer depacketizer;
    private final Runnable timer = this::onTimer;
    private long timerDeadline = Long.MAX_VALUE;
    private boolean started;
    private boolean closed;

    PushIngest(final RtspServer server, final LiveStream stream, final Runnable keyframeRequest)
    {
        this.server = server;
        this.stream = stream;
        this.keyframeRequest = keyframeRequest;
        this.jitter = new JitterBuffer(JitterBuffer.CAPACITY_DEFAULT, server.config().receiveLatencyNanos(), server.config().clock(), this);
        this.depacketizer = new H264Depacketizer(this);
        depacketizer.parameterSets(stream.media().sequenceParameterSet(), stream.media().pictureParameterSet());
    }

    /**
     * One received RTP packet (RTCP is the caller's business). The buffer is borrowed: it is retained while held.
     */
    void onPacket(final ByteBuf packet)
    {
        if (closed)
        {
            return;
        }
        if (!started)
        {
            started = true;
            server.pushListener().onPushStart(stream);
        }
        jitter.offer(packet.retain());
        poll();
    }

    H264Depacketizer depacketizer()
    {
        return depacketizer;
    }

    JitterBuffer jitterBuffer()
    {
        return jitter;
    }

    /** Delivers what is held (the push ended), then stops; the application hears {@link PushListener#onPushEnd}. */
    void close()
    {
        if (closed)
        {
            return;
        }
        jitter.flush();
        closed = true;
        jitter.close();
        if (started)
        {
            stream.pushEnded();
            server.pushListener().onPushEnd(stream);
        }
    }

    private void poll()
    {
        jitter.poll();
        if (jitter.held() > 0)
        {
            final long deadline = jitter.nextDeadlineNanos();
            if (deadline < timerDeadline)
            {
                timerDeadline = deadline;
                server.scheduleNanos(timer, Math.max(0, deadline - server.config().clock().getAsLong()));
            }
        }
    }

    private void onTimer()
    {
        timerDeadline = Long.MAX_VALUE;
        // A server closed on a caller's loop leaves this timer to fire: it must deliver nothing then.
        if (!closed && !server.isClosed())
        {
            poll();
        }
    }

    @Override
    public void onPacket(final ByteBuf packet, final long extendedSequence)
    {
        try
        {
            server.pushListener().onRtpPacket(stream, packet);
            depacketizer.onPacket(packet);
        }
        finally
        {
            packet.release();
        }
    }

    @Override
    public void onLoss(final long firstExtendedSequence, final long count)
    {
        depacketizer.onLoss();
    }

    @Override
    public void onAccessUnit(final ByteBuf accessUnit, final long rtpTimestamp, final boolean keyframe, final boolean complete)
    {
        stream.sendOnLoop(accessUnit, rtpTimestamp);
        server.pushListener().onAccessUnit(stream, accessUnit, rtpTimestamp, keyframe);
    }

    @Override
    public void onKeyframeRequest()
    {
        keyframeRequest.run();
    }
}
