package dev.c2cast.rtp.h264;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.rtsp.RtspDecoder;
import io.netty.handler.codec.rtsp.RtspEncoder;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspVersions;

/**
 * An RTSP client (RFC 2326) over TCP with interleaved media, for the two roles StreamSmart needs: play a stream
 * (DESCRIBE, SETUP, PLAY; access units come out of an {@link H264Depacketizer}) and push one (ANNOUNCE, SETUP with
 * {@code mode=record}, RECORD; access units go through an {@link H264Packetizer}), as a phone does toward its clone.
 * GET_PARAMETER keeps the session alive at half its timeout; {@code $} frames on channels the client did not set up
 * are ignored.
 * <p>
 * Requests block the calling thread (bounded by a timeout); media runs on the client's own event loop, which also
 * invokes the {@link AccessUnitListener}. Not for concurrent use by several threads.
 */
public final class RtspClient implements AutoCloseable
{
    /** How long a request waits for its response. */
    public static final long RESPONSE_TIMEOUT_MILLIS = 10_000;

    private final URI uri;
    private final EventLoopGroup group;
    private final Channel channel;
    private final SplittableRandom random;
    private ChannelHandlerContext framerCtx;
    private CompletableFuture<FullHttpResponse> pending;
    private int cseq;
    private String session;
    private int timeoutSeconds = RtspServerConfig.SESSION_TIMEOUT_SECONDS_DEFAULT;
    private H264Depacketizer depacketizer;
    private boolean playPending;
    private H264Packetizer packetizer;
    private volatile Runnable keyframeListener;
    private int mediaSsrc;

    private RtspClient(final URI uri, final SplittableRandom random) throws InterruptedException
    {
        this.uri = uri;
        this.random = random;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try
        {
            this.channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline().addLast("framer", new RtspFramer());
                        ch.pipeline().addLast("encoder", new RtspEncoder());
                        ch.pipeline().addLast("decoder", new RtspDecoder());
                        ch.pipeline().addLast("aggregator", new HttpObjectAggregator(RtspFramer.MAX_CONTENT_LENGTH));
                        ch.pipeline().addLast("handler", new Handler());
                    }
                })
                .connect(uri.getHost(), uri.getPort() < 0 ? 554 : uri.getPort()).sync().channel();
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw ex;
        }
    }

    /**
     * Connects to a server.
     *
     * @param url    such as {@code rtsp://127.0.0.1:8554/live}.
     * @param random source of the SSRC and initial sequence number when pushing.
     * @return the connected client.
     * @throws InterruptedException if interrupted while connecting.
     */
    public static RtspClient connect(final String url, final SplittableRandom random) throws InterruptedException
    {
        return new RtspClient(URI.create(url), random);
    }

    /**
     * DESCRIBE: the stream's H.264 media description.
     *
     * @return the description.
     * @throws RtpH264Exception with {@link RtpH264Exception.Reason#BAD_DESCRIPTION} on an error status or SDP.
     */
    public H264MediaDescription describe()
    {
        final FullHttpResponse response = request(RtspMethods.DESCRIBE, uri.toString(), null, null);
        try
        {
            return H264MediaDescription.parse(response.content().toString(StandardCharsets.UTF_8));
        }
        finally
        {
            response.release();
        }
    }

    /**
     * DESCRIBE, SETUP over interleaved TCP and PLAY; access units then go to the listener on the client's event loop.
     *
     * @param listener receives access units and keyframe requests.
     */
    public void play(final AccessUnitListener listener)
    {
        final H264MediaDescription media = describe();
        final H264Depacketizer d = new H264Depacketizer(new AccessUnitListener()
        {
            @Override
            public void onAccessUnit(final ByteBuf au, final long ts, final boolean key, final boolean complete)
            {
                listener.onAccessUnit(au, ts, key, complete);
            }

            @Override
            public void onKeyframeRequest()
            {
                listener.onKeyframeRequest();
                sendPictureLossIndication();
            }
        });
        d.parameterSets(media.sequenceParameterSet(), media.pictureParameterSet());
        channel.eventLoop().execute(() -> depacketizer = d);
        release(request(RtspMethods.SETUP, trackUrl(media), "RTP/AVP/TCP;unicast;interleaved=0-1", null));
        // RTP-Info is applied on the event loop as the PLAY response arrives, before any packet behind it
        channel.eventLoop().execute(() -> playPending = true);
        release(request(RtspMethods.PLAY, uri.toString(), null, null));
        keepAlive();
    }

    /**
     * ANNOUNCE the media, SETUP with {@code mode=record} over interleaved TCP and RECORD; then give access units to
     * {@link #send(ByteBuf, long)}.
     *
     * @param media the stream's media description (SPS and PPS).
     * @param config packetizer settings (its SSRC and sequence start are used).
     */
    public void record(final H264MediaDescription media, final PacketizerConfig config)
    {
        final H264MediaDescription announced = H264MediaDescription.of(96, config.packetizationMode(), media.sequenceParameterSet(),
            media.pictureParameterSet(), "trackID=0");
        final String sdp = "v=0\r\no=- 0 0 IN IP4 " + uri.getHost() + "\r\ns=c2cast\r\nc=IN IP4 " + uri.getHost() + "\r\nt=0 0\r\n"
            + announced.mediaSection(0);
        release(request(RtspMethods.ANNOUNCE, uri.toString(), null, sdp));
        release(request(RtspMethods.SETUP, uri + "/trackID=0", "RTP/AVP/TCP;unicast;interleaved=0-1;mode=record", null));
        release(request(RtspMethods.RECORD, uri.toString(), null, null));
        final H264Packetizer p = new H264Packetizer(config);
        p.parameterSets(media.sequenceParameterSet(), media.pictureParameterSet());
        channel.eventLoop().execute(() -> packetizer = p);
        keepAlive();
    }

    /**
     * Sends one access unit while recording. The buffer is copied before this method returns.
     *
     * @param accessUnit   Annex B bytes between the reader and writer indices.
     * @param rtpTimestamp its RTP timestamp.
     */
    public void send(final ByteBuf accessUnit, final long rtpTimestamp)
    {
        final ByteBuf copy = Unpooled.copiedBuffer(accessUnit);
        channel.eventLoop().execute(() ->
        {
            try
            {
                if (packetizer != null && framerCtx != null)
                {
                    packetizer.packetize(copy, rtpTimestamp, this::writeInterleaved);
                    framerCtx.flush();
                }
            }
            finally
            {
                copy.release();
            }
        });
    }

    /**
     * Sets what to do when the server forwards a player's request for an IDR picture (RTCP PLI) while recording.
     *
     * @param listener run on the client's event loop; null for none.
     */
    public void onKeyframeRequest(final Runnable listener)
    {
        keyframeListener = listener;
    }

    /**
     * The session id given by the server.
     *
     * @return the id, or null before SETUP.
     */
    public String session()
    {
        return session;
    }

    /**
     * TEARDOWN (if a session exists) and close the connection.
     */
    @Override
    public void close()
    {
        try
        {
            if (session != null && channel.isActive())
            {
                release(request(RtspMethods.TEARDOWN, uri.toString(), null, null));
            }
        }
        catch (final RtpH264Exception ex)
        {
            // closing anyway
        }
        finally
        {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void writeInterleaved(final ByteBuf header, final ByteBuf payload, final int index, final int length)
    {
        final ByteBuf frame = framerCtx.alloc().buffer(4 + header.readableBytes() + length);
        frame.writeByte('$');
        frame.writeByte(0);
        frame.writeShort(header.readableBytes() + length);
        frame.writeBytes(header, header.readerIndex(), header.readableBytes());
        frame.writeBytes(payload, index, length);
        framerCtx.write(frame, framerCtx.voidPromise());
    }

    private void sendPictureLossIndication()
    {
        if (framerCtx == null)
        {
            return;
        }
        final ByteBuf frame = framerCtx.alloc().buffer(16);
        frame.writeByte('$');
        frame.writeByte(1);
        frame.writeShort(12);
        Rtcp.writePictureLossIndication(frame, 0, mediaSsrc);
        framerCtx.writeAndFlush(frame, framerCtx.voidPromise());
    }

    private void keepAlive()
    {
        final long period = Math.max(1, timeoutSeconds / 2);
        channel.eventLoop().scheduleAtFixedRate(() ->
        {
            if (channel.isActive() && session != null)
            {
                final FullHttpRequest r = newRequest(RtspMethods.GET_PARAMETER, uri.toString(), null, null);
                channel.writeAndFlush(r);
            }
        }, period, period, TimeUnit.SECONDS);
    }

    private String trackUrl(final H264MediaDescription media)
    {
        final String control = media.control();
        if (control == null || control.equals("*"))
        {
            return uri.toString();
        }
        if (control.startsWith("rtsp://"))
        {
            return control;
        }
        return uri.toString().endsWith("/") ? uri + control : uri + "/" + control;
    }

    private FullHttpRequest newRequest(final HttpMethod method, final String url, final String transport, final String body)
    {
        final ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        final FullHttpRequest request = new DefaultFullHttpRequest(RtspVersions.RTSP_1_0, method, url, content);
        request.headers().set(RtspHeaderNames.CSEQ, Integer.toString(++cseq));
        request.headers().set(RtspHeaderNames.USER_AGENT, "c2cast");
        request.headers().setInt(RtspHeaderNames.CONTENT_LENGTH, content.readableBytes());
        if (body != null)
        {
            request.headers().set(RtspHeaderNames.CONTENT_TYPE, "application/sdp");
        }
        if (transport != null)
        {
            request.headers().set(RtspHeaderNames.TRANSPORT, transport);
        }
        if (session != null)
        {
            request.headers().set(RtspHeaderNames.SESSION, session);
        }
        return request;
    }

    private FullHttpResponse request(final HttpMethod method, final String url, final String transport, final String body)
    {
        final CompletableFuture<FullHttpResponse> future = new CompletableFuture<>();
        final FullHttpRequest request = newRequest(method, url, transport, body);
        channel.eventLoop().execute(() ->
        {
            pending = future;
            channel.writeAndFlush(request);
        });
        final FullHttpResponse response;
        try
        {
            response = future.get(RESPONSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new RtpH264Exception(RtpH264Exception.Reason.BAD_DESCRIPTION, method + " interrupted");
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new RtpH264Exception(RtpH264Exception.Reason.BAD_DESCRIPTION, method + " got no response: " + ex);
        }
        if (response.status().code() != 200)
        {
            final int code = response.status().code();
            response.release();
            throw new RtpH264Exception(RtpH264Exception.Reason.BAD_DESCRIPTION, method + " " + url + " failed: " + code);
        }
        final String sessionHeader = response.headers().get(RtspHeaderNames.SESSION);
        if (sessionHeader != null)
        {
            final String[] parts = sessionHeader.split(";");
            session = parts[0].trim();
            for (final String p : parts)
            {
                if (p.trim().startsWith("timeout="))
                {
                    timeoutSeconds = Integer.parseInt(p.trim().substring("timeout=".length()));
                }
            }
        }
        return response;
    }

    private static void release(final FullHttpResponse response)
    {
        response.release();
    }

    private final class Handler extends SimpleChannelInboundHandler<Object>
    {
        @Override
        public void handlerAdded(final ChannelHandlerContext ctx)
        {
            framerCtx = ctx.pipeline().context("framer");
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof InterleavedFrame)
            {
                final InterleavedFrame frame = (InterleavedFrame)msg;
                if (frame.channel() == 0 && depacketizer != null)
                {
                    final ByteBuf packet = frame.content();
                    if (packet.readableBytes() >= RtpHeader.FIXED_HEADER_LENGTH)
                    {
                        mediaSsrc = packet.getInt(packet.readerIndex() + RtpHeader.SSRC_OFFSET);
                    }
                    depacketizer.onPacket(packet);
                }
                else if (frame.channel() == 1)
                {
                    onRtcp(frame.content());
                }
                return;
            }
            if (msg instanceof FullHttpResponse)
            {
                if (playPending)
                {
                    playPending = false;
                    expectRtpInfo(((FullHttpResponse)msg).headers().get(RtspHeaderNames.RTP_INFO));
                }
                final CompletableFuture<FullHttpResponse> future = pending;
                pending = null;
                if (future != null)
                {
                    future.complete(((FullHttpResponse)msg).retain());
                }
            }
        }

        private void expectRtpInfo(final String rtpInfo)
        {
            final int at = rtpInfo == null ? -1 : rtpInfo.indexOf("seq=");
            if (at < 0 || depacketizer == null)
            {
                return;
            }
            int end = at + 4;
            while (end < rtpInfo.length() && Character.isDigit(rtpInfo.charAt(end)))
            {
                end++;
            }
            if (end > at + 4 && end - at - 4 < 10)
            {
                depacketizer.expectSequenceNumber(Integer.parseInt(rtpInfo.substring(at + 4, end)) & 0xFFFF);
            }
        }

        private void onRtcp(final ByteBuf packet)
        {
            try
            {
                Rtcp.parse(packet, packet.readerIndex(), packet.readableBytes(), new RtcpListener()
                {
                    @Override
                    public void onPictureLossIndication(final int senderSsrc, final int media)
                    {
                        final Runnable listener = keyframeListener;
                        if (listener != null)
                        {
                            listener.run();
                        }
                    }
                });
            }
            catch (final RtpH264Exception ex)
            {
                // a malformed RTCP packet from the server is ignored
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            if (pending != null)
            {
                pending.completeExceptionally(cause);
            }
            ctx.close();
        }
    }
}
