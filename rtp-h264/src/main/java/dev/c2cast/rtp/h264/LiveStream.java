package dev.c2cast.rtp.h264;

import java.util.ArrayDeque;
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
 * <b>Joining a live stream.</b> The stream keeps the RTP packets sent since the last IDR access unit (the GOP cache,
 * bounded by {@link RtspServerConfig#gopCacheBytes()}; the packetizer puts SPS and PPS in-band before every IDR
 * slice). A player that starts playing gets that cached GOP first, paced at about 16 packets per millisecond, then the
 * live packets, all in one contiguous sequence space; its {@code RTP-Info} names the first cached packet. So a player
 * joining mid-GOP decodes from the last keyframe at once, at the price of starting up to one GOP behind live. If the
 * GOP outgrew the bound (or the cache is disabled, or no IDR was sent yet), the player starts with the next packet and
 * the stream's source is asked for an IDR picture (the keyframe listener, and a PLI to a pushing client).
 * <p>
 * <b>Retransmission.</b> The last {@link RtspServerConfig#retransmissionPackets()} packets are kept; an RFC 4585
 * generic NACK from a player is answered by sending the original packet again to that player only.
 * <p>
 * Methods may be called from any thread; the work runs on the server's event loop.
 */
public final class LiveStream
{
    private final RtspServer server;
    private final String path;
    private volatile H264MediaDescription media;
    private final H264Packetizer packetizer;
    private final int ssrc;
    final List<RtspServer.Session> subscribers = new ArrayList<>();
    private long lastTimestamp;
    private long lastPacketNanos;
    private boolean ended;
    private volatile Runnable keyframeListener;
    private long keyframeRequests;
    RtspServer.Session source;
    private final RetransmissionHistory history;
    private final int gopCacheBytes;
    private final ArrayDeque<ByteBuf> gop = new ArrayDeque<>();
    private long gopBytes;
    private boolean gopValid;
    private int auStart;
    private boolean auHasIdr;
    private boolean auOverflow;
    private long retransmissions;
    private long unanswerableNacks;
    private long gopJoins;
    private long liveJoins;
    private PushIngest udpIngest;
    private volatile io.netty.channel.Channel receiveChannel;

    LiveStream(final RtspServer server, final String path, final H264MediaDescription media, final PacketizerConfig config)
    {
        this.server = server;
        this.path = path;
        this.media = media;
        this.ssrc = config.ssrc();
        this.packetizer = new H264Packetizer(config);
        packetizer.parameterSets(media.sequenceParameterSet(), media.pictureParameterSet());
        this.gopCacheBytes = server.config().gopCacheBytes();
        this.history = server.config().retransmissionPackets() > 0 ? new RetransmissionHistory(server.config().retransmissionPackets()) : null;
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

    /** A client announced this path again: serve its parameter sets from now on, keep the players and sequence space. */
    void media(final H264MediaDescription announced)
    {
        media = announced;
        packetizer.parameterSets(announced.sequenceParameterSet(), announced.pictureParameterSet());
    }

    /**
     * The UDP port plain RTP is received on, for a stream opened with
     * {@link RtspServer#receiveRtp(String, H264MediaDescription, int)}.
     *
     * @return the port, or -1 if the stream does not receive plain RTP.
     */
    public int receivePort()
    {
        final io.netty.channel.Channel channel = receiveChannel;
        return channel == null ? -1 : ((java.net.InetSocketAddress)channel.localAddress()).getPort();
    }

    void receiveChannel(final io.netty.channel.Channel channel, final PushIngest ingest)
    {
        this.receiveChannel = channel;
        this.udpIngest = ingest;
    }

    PushIngest udpIngest()
    {
        return udpIngest;
    }

    /**
     * Packets sent again in answer to generic NACKs so far.
     *
     * @return the count.
     */
    public long retransmissions()
    {
        return server.call(() -> retransmissions);
    }

    /**
     * NACKed packets that were no longer (or never) in the retransmission history.
     *
     * @return the count.
     */
    public long unanswerableNacks()
    {
        return server.call(() -> unanswerableNacks);
    }

    /**
     * Players that started at the cached IDR access unit, and players that started live (no usable GOP cache).
     *
     * @return {@code {fromCache, live}}.
     */
    public long[] joins()
    {
        return server.call(() -> new long[] {gopJoins, liveJoins});
    }

    /**
     * Bytes of RTP held in the GOP cache now.
     *
     * @return the count, 0 when no usable GOP is cached.
     */
    public long gopCacheBytes()
    {
        return server.call(() -> gopValid ? gopBytes : 0L);
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
        if (subscribers.isEmpty() && gopCacheBytes == 0 && history == null)
        {
            packetizer.packetize(accessUnit, rtpTimestamp, (h, p, i, l) -> { });
            return;
        }
        if (!gopValid)
        {
            // the previous access unit held no IDR slice: its tentatively cached packets are of no use
            clearGop();
        }
        auStart = gop.size();
        auHasIdr = false;
        auOverflow = false;
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
            if (history != null)
            {
                history.store(packet);
            }
            if (gopCacheBytes > 0)
            {
                cache(packet);
            }
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

    /**
     * Keeps the packets since the first packet of the last access unit holding an IDR slice. The packets of an access
     * unit are kept from its first one on (SPS and PPS precede the IDR slice), tentatively until the IDR slice shows;
     * {@link #sendOnLoop} drops them at the next access unit if none did.
     */
    private void cache(final ByteBuf packet)
    {
        if (!auHasIdr && carriesIdrSlice(packet))
        {
            auHasIdr = true;
            for (int i = 0; i < auStart; i++)
            {
                final ByteBuf old = gop.pollFirst();
                gopBytes -= old.readableBytes();
                old.release();
            }
            auStart = 0;
            gopValid = true;
        }
        if (auOverflow)
        {
            return;
        }
        if (gopBytes + packet.readableBytes() > gopCacheBytes)
        {
            // the GOP outgrew the bound: no usable cache until the next IDR, and nothing more of this access unit
            clearGop();
            auOverflow = true;
            return;
        }
        // until an IDR slice shows up, the access unit's packets are kept tentatively: its SPS and PPS come first
        gop.addLast(packet.retain());
        gopBytes += packet.readableBytes();
    }

    private void clearGop()
    {
        for (ByteBuf old = gop.pollFirst(); old != null; old = gop.pollFirst())
        {
            old.release();
        }
        gopBytes = 0;
        gopValid = false;
        auStart = 0;
    }

    /** Whether an RTP packet built by our packetizer (12-byte header) carries an IDR slice or a fragment of one. */
    static boolean carriesIdrSlice(final ByteBuf packet)
    {
        final int start = packet.readerIndex() + RtpHeader.FIXED_HEADER_LENGTH;
        final int end = packet.writerIndex();
        if (start >= end)
        {
            return false;
        }
        final int type = packet.getByte(start) & 0x1F;
        if (type == NalUnitType.FU_A && start + 1 < end)
        {
            return (packet.getByte(start + 1) & 0x1F) == NalUnitType.IDR;
        }
        if (type == NalUnitType.STAP_A)
        {
            for (int i = start + 1; i + 2 < end; )
            {
                final int size = packet.getUnsignedShort(i);
                if ((packet.getByte(i + 2) & 0x1F) == NalUnitType.IDR)
                {
                    return true;
                }
                i += 2 + size;
            }
            return false;
        }
        return type == NalUnitType.IDR;
    }

    /**
     * A player starts: with a usable GOP cache it is given the cached packets first (retained into its backlog).
     *
     * @return the sequence number and RTP timestamp it starts at, for {@code RTP-Info}.
     */
    long[] startPoint()
    {
        if (gopValid && !gop.isEmpty())
        {
            final ByteBuf first = gop.peekFirst();
            return new long[] {first.getUnsignedShort(first.readerIndex() + RtpHeader.SEQUENCE_OFFSET),
                first.getUnsignedInt(first.readerIndex() + RtpHeader.TIMESTAMP_OFFSET)};
        }
        return new long[] {nextSequenceNumber(), lastTimestamp};
    }

    /** Adds a player; it first drains the cached GOP, if there is one. */
    void join(final RtspServer.Session session)
    {
        subscribers.add(session);
        if (gopValid && !gop.isEmpty())
        {
            gopJoins++;
            for (final ByteBuf packet : gop)
            {
                session.backlog(packet);
            }
        }
        else
        {
            liveJoins++;
            if (lastPacketNanos != 0)
            {
                keyframeRequested();
            }
        }
    }

    /** The client pushing this stream stopped: the cached GOP would be stale for the next player. */
    void pushEnded()
    {
        clearGop();
    }

    /** A player's generic NACK: send it the packet again if the history still holds it. */
    void retransmit(final RtspServer.Session session, final int sequenceNumber)
    {
        final ByteBuf packet = history == null ? null : history.find(sequenceNumber);
        if (packet == null)
        {
            unanswerableNacks++;
            return;
        }
        retransmissions++;
        session.sendRtp(packet);
        session.flush();
    }

    void release()
    {
        clearGop();
        if (history != null)
        {
            history.close();
        }
        if (receiveChannel != null)
        {
            receiveChannel.close();
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
