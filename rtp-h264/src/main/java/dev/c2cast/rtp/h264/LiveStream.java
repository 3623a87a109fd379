package dev.c2cast.rtp.h264;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One H.264 stream served by an {@link RtspServer} at a path: the application (or a client pushing with
 * ANNOUNCE/RECORD) gives access units, and every playing session gets them as RTP over UDP or interleaved TCP. All
 * sessions share one packetizer, so one SSRC and sequence space ({@code RTP-Info} tells a joining client where it
 * starts). Packets are built once and fanned out with {@code retainedDuplicate()}.
 * <p>
 * Methods may be called from any thread; the work runs on the server's event loop.
 */
public final class LiveStream
{
    private final RtspServer server;
    private final String path;
    private final H264MediaDescription media;
    private final H264Packetizer packetizer;
    private final int ssrc;
    final List<RtspServer.Session> subscribers = new ArrayList<>();
    private long lastTimestamp;
    private long lastPacketNanos;
    private boolean ended;
    private volatile Runnable keyframeListener;
    private long keyframeRequests;
    RtspServer.Session source;

    LiveStream(final RtspServer server, final String path, final H264MediaDescription media, final PacketizerConfig config)
    {
        this.server = server;
        this.path = path;
        this.media = media;
        this.ssrc = config.ssrc();
        this.packetizer = new H264Packetizer(config);
        packetizer.parameterSets(media.sequenceParameterSet(), media.pictureParameterSet());
    }

    static PacketizerConfig packetizerConfig(final RtspServerConfig config, final SplittableRandom random)
    {
        return new PacketizerConfig(config.packetizationMode(), config.maxPacketSize(), 96, random.nextInt(), random.nextInt(65536), false);
    }

    /**
     * The path the stream is served at, such as {@code /live}.
     *
     * @return the path.
     */
    public String path()
    {
        return path;
    }

    /**
     * The media description served in DESCRIBE.
     *
     * @return the description.
     */
    public H264MediaDescription media()
    {
        return media;
    }

    /**
     * The SSRC of the stream's RTP packets.
     *
     * @return the SSRC.
     */
    public int ssrc()
    {
        return ssrc;
    }

    /**
     * Sets what to do when a player asks for an IDR picture (RTCP PLI), typically asking the encoder for one. A
     * stream pushed with ANNOUNCE/RECORD also forwards the request to the pushing client as a PLI.
     *
     * @param listener run on the server's event loop; null for none.
     */
    public void onKeyframeRequest(final Runnable listener)
    {
        keyframeListener = listener;
    }

    /**
     * Keyframe requests (PLI) received from players so far.
     *
     * @return the count.
     */
    public long keyframeRequests()
    {
        return server.call(() -> keyframeRequests);
    }

    void keyframeRequested()
    {
        keyframeRequests++;
        final Runnable listener = keyframeListener;
        if (listener != null)
        {
            listener.run();
        }
        if (source != null && source.recording)
        {
            source.sendPictureLossIndication();
        }
    }

    /**
     * Sessions currently playing (a snapshot read on the caller's thread; exact on the event loop).
     *
     * @return the count.
     */
    public int playingSessions()
    {
        return subscribers.size();
    }

    /**
     * Sends one access unit to every playing session. The buffer is copied before this method returns if it is not
     * called on the event loop; it is not released.
     *
     * @param accessUnit   Annex B bytes between the reader and writer indices.
     * @param rtpTimestamp the access unit's RTP timestamp (90 kHz).
     */
    public void send(final ByteBuf accessUnit, final long rtpTimestamp)
    {
        if (server.inEventLoop())
        {
            sendOnLoop(accessUnit, rtpTimestamp);
        }
        else
        {
            final ByteBuf copy = Unpooled.copiedBuffer(accessUnit);
            server.execute(() ->
            {
                try
                {
                    sendOnLoop(copy, rtpTimestamp);
                }
                finally
                {
                    copy.release();
                }
            });
        }
    }

    /**
     * Ends the stream: RTCP BYE is sent to every playing session half a second after the last RTP packet (FFmpeg treats
     * BYE as the immediate end of the stream).
     */
    public void end()
    {
        server.execute(() ->
        {
            ended = true;
            server.schedule(this::sendBye, RtspServer.BYE_DELAY_MILLIS);
        });
    }

    int nextSequenceNumber()
    {
        return packetizer.nextSequenceNumber();
    }

    long lastTimestamp()
    {
        return lastTimestamp;
    }

    boolean ended()
    {
        return ended;
    }

    void sendOnLoop(final ByteBuf accessUnit, final long rtpTimestamp)
    {
        lastTimestamp = rtpTimestamp & 0xFFFF_FFFFL;
        lastPacketNanos = server.config().clock().getAsLong();
        if (subscribers.isEmpty())
        {
            packetizer.packetize(accessUnit, rtpTimestamp, (h, p, i, l) -> { });
            return;
        }
        packetizer.packetize(accessUnit, rtpTimestamp, this::fanOut);
        for (final RtspServer.Session s : subscribers)
        {
            s.flush();
        }
    }

    private void fanOut(final ByteBuf header, final ByteBuf payload, final int index, final int length)
    {
        final ByteBuf packet = server.alloc().directBuffer(header.readableBytes() + length);
        packet.writeBytes(header, header.readerIndex(), header.readableBytes());
        packet.writeBytes(payload, index, length);
        try
        {
            for (final RtspServer.Session s : subscribers)
            {
                s.sendRtp(packet);
            }
        }
        finally
        {
            packet.release();
        }
    }

    void sendSenderReport()
    {
        if (subscribers.isEmpty() || packetizer.packetCount() == 0)
        {
            return;
        }
        final ByteBuf sr = Unpooled.buffer(64);
        writeSenderReport(sr);
        Rtcp.writeSourceDescription(sr, ssrc, "c2cast@" + server.config().host());
        try
        {
            for (final RtspServer.Session s : subscribers)
            {
                s.sendRtcp(sr);
            }
        }
        finally
        {
            sr.release();
        }
    }

    private void writeSenderReport(final ByteBuf dst)
    {
        final long elapsedTicks = (server.config().clock().getAsLong() - lastPacketNanos) * 9 / 100_000;
        Rtcp.writeSenderReport(dst, ssrc, Rtcp.ntpTimestamp(System.currentTimeMillis() * 1_000_000L), lastTimestamp + elapsedTicks,
            packetizer.packetCount(), packetizer.octetCount());
    }

    private void sendBye()
    {
        final ByteBuf bye = Unpooled.buffer(64);
        writeSenderReport(bye);
        Rtcp.writeBye(bye, ssrc);
        try
        {
            for (final RtspServer.Session s : subscribers)
            {
                s.sendRtcp(bye);
                s.flush();
            }
        }
        finally
        {
            bye.release();
        }
    }
}
