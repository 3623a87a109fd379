package dev.c2cast.microcast.download;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The embedded playback HTTP server (microcast.txt V-D, Storage): serves the file of a {@link SegmentStore} while
 * it is still arriving, so a player can start before the download ends.
 * <p>
 * GET and HEAD of the configured path, with single byte ranges ({@code bytes=a-b}, {@code a-}, {@code -n}),
 * {@code If-Range} and a strong {@code ETag}. A response streams segment by segment straight from the segment files
 * (zero-copy file regions, one segment in flight per connection); a segment not yet present is awaited up to the
 * configured wait: before the first byte the server then answers 503 with {@code Retry-After}, after it closes the
 * connection, so a player never receives wrong bytes.
 * <p>
 * Threading: I/O on the injected event loop group (owned by the caller); the store is thread-safe.
 */
public final class PlaybackServer implements AutoCloseable
{
    private final SegmentStore store;
    private final String path;
    private final String contentType;
    private final String entityTag;
    private final long maxWaitNanos;
    private final Channel serverChannel;

    private PlaybackServer(
        final SegmentStore store,
        final String path,
        final String contentType,
        final String entityTag,
        final long maxWaitNanos,
        final EventLoopGroup group,
        final InetSocketAddress bind)
    {
        this.store = store;
        this.path = path;
        this.contentType = contentType;
        this.entityTag = entityTag;
        this.maxWaitNanos = maxWaitNanos;
        this.serverChannel = new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(new HttpServerCodec());
                    ch.pipeline().addLast(new HttpObjectAggregator(16 * 1024));
                    ch.pipeline().addLast(new RequestHandler());
                }
            })
            .bind(bind).syncUninterruptibly().channel();
    }

    /**
     * Starts a server.
     *
     * @param store        the file's segments.
     * @param path         request path of the file, such as {@code /video.mp4}.
     * @param contentType  its media type.
     * @param maxWaitNanos longest wait for a missing segment.
     * @param group        event loops; owned by the caller.
     * @param bind         local address; port 0 picks a free one.
     * @return the running server.
     */
    public static PlaybackServer start(
        final SegmentStore store,
        final String path,
        final String contentType,
        final long maxWaitNanos,
        final EventLoopGroup group,
        final InetSocketAddress bind)
    {
        Objects.requireNonNull(store, "store");
        if (!path.startsWith("/") || maxWaitNanos < 0)
        {
            throw new IllegalArgumentException("path must start with / and maxWaitNanos be non-negative");
        }
        final String tag = store.entityTag().isEmpty() ?
            "\"c2cast-" + Long.toHexString(store.fileSize()) + "-" + Integer.toHexString(store.segmentSize()) + "\"" :
            store.entityTag();
        return new PlaybackServer(store, path, Objects.requireNonNull(contentType, "contentType"), tag, maxWaitNanos,
            Objects.requireNonNull(group, "group"), Objects.requireNonNull(bind, "bind"));
    }

    /**
     * The bound address.
     *
     * @return the local address, with the actual port.
     */
    public InetSocketAddress localAddress()
    {
        return (InetSocketAddress)serverChannel.localAddress();
    }

    /**
     * The strong entity tag served (the store's, or one derived from its size).
     *
     * @return the ETag header value.
     */
    public String entityTag()
    {
        return entityTag;
    }

    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
    }

    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            final String uri = request.uri();
            final String requestPath = uri.indexOf('?') >= 0 ? uri.substring(0, uri.indexOf('?')) : uri;
            if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD))
            {
                error(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, keepAlive);
                return;
            }
            if (!requestPath.equals(path))
            {
                error(ctx, HttpResponseStatus.NOT_FOUND, keepAlive);
                return;
            }
            final long size = store.fileSize();
            long first = 0;
            long last = size - 1;
            boolean partial = false;
            final String range = request.headers().get(HttpHeaderNames.RANGE);
            final String ifRange = request.headers().get(HttpHeaderNames.IF_RANGE);
            if (range != null && (ifRange == null || ifRange.equals(entityTag)))
            {
                final ByteRange resolved = ByteRange.parse(range, size);
                if (resolved == ByteRange.UNSATISFIABLE)
                {
                    final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, Unpooled.EMPTY_BUFFER);
                    response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
                    send(ctx, response, keepAlive);
                    return;
                }
                if (resolved != null)
                {
                    first = resolved.first();
                    last = resolved.last();
                    partial = true;
                }
            }
            final HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                partial ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK);
            response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES)
                .set(HttpHeaderNames.ETAG, entityTag)
                .set(HttpHeaderNames.CONTENT_LENGTH, last - first + 1);
            if (partial)
            {
                response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + size);
            }
            HttpUtil.setKeepAlive(response, keepAlive);
            final Stream stream = new Stream(ctx, response, first, last + 1, keepAlive,
                request.method().equals(HttpMethod.HEAD));
            ctx.channel().config().setAutoRead(false);
            stream.next();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }

        private void error(final ChannelHandlerContext ctx, final HttpResponseStatus status, final boolean keepAlive)
        {
            send(ctx, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER), keepAlive);
        }
    }

    private static void send(final ChannelHandlerContext ctx, final FullHttpResponse response, final boolean keepAlive)
    {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        final var write = ctx.writeAndFlush(response);
        if (!keepAlive)
        {
            write.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** One response, streamed segment by segment on the channel's event loop. */
    private final class Stream
    {
        final ChannelHandlerContext ctx;
        final HttpResponse head;
        final long end;
        final boolean keepAlive;
        final boolean headOnly;
        long position;
        boolean headSent;

        Stream(final ChannelHandlerContext ctx, final HttpResponse head, final long start, final long end,
            final boolean keepAlive, final boolean headOnly)
        {
            this.ctx = ctx;
            this.head = head;
            this.position = start;
            this.end = end;
            this.keepAlive = keepAlive;
            this.headOnly = headOnly;
        }

        void next()
        {
            if (!ctx.channel().isActive())
            {
                return;
            }
            if (headOnly || position >= end)
            {
                if (!headSent)
                {
                    headSent = true;
                    ctx.write(head);
                }
                final var write = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (keepAlive)
                {
                    write.addListener(f -> ctx.channel().config().setAutoRead(true));
                }
                else
                {
                    write.addListener(ChannelFutureListener.CLOSE);
                }
                return;
            }
            final int index = (int)(position / store.segmentSize());
            final CompletableFuture<Void> present = store.awaitSegment(index);
            if (present.isDone())
            {
                send(index);
                return;
            }
            final CompletableFuture<Void> bounded = present.copy().orTimeout(maxWaitNanos, TimeUnit.NANOSECONDS);
            bounded.whenComplete((v, error) -> ctx.executor().execute(() ->
            {
                if (error == null)
                {
                    send(index);
                }
                else if (!headSent)
                {
                    final FullHttpResponse busy = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.SERVICE_UNAVAILABLE, Unpooled.EMPTY_BUFFER);
                    busy.headers().set(HttpHeaderNames.RETRY_AFTER, 1);
                    PlaybackServer.send(ctx, busy, keepAlive);
                    if (keepAlive)
                    {
                        ctx.channel().config().setAutoRead(true);
                    }
                }
                else
                {
                    // Part of the body is out: closing is the only honest way to fail now.
                    ctx.close();
                }
            }));
        }

        private void send(final int index)
        {
            if (!headSent)
            {
                headSent = true;
                ctx.write(head);
            }
            final SegmentRange range = store.range(index);
            final long from = position - range.offset();
            final long count = Math.min(range.end(), end) - position;
            final File file = store.pathOf(index).toFile();
            position += count;
            ctx.writeAndFlush(new DefaultFileRegion(file, SegmentStore.DATA_OFFSET + from, count))
                .addListener(f ->
                {
                    if (f.isSuccess())
                    {
                        next();
                    }
                    else
                    {
                        ctx.close();
                    }
                });
        }
    }
}
