package dev.c2cast.microcast.download;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * A producer fetching segments from an HTTP/1.1 server with range requests (microcast.txt V-D, HTTP producer).
 * <p>
 * One keep-alive connection, reopened when lost; connect and read timeouts; transient failures (timeouts, resets,
 * 408/429/5xx) retried with exponential backoff and jitter; every response validated: status 206 with a
 * {@code Content-Range} naming exactly the requested bytes and the expected total, and the body length. The
 * entity tag (given, or adopted from the first response) is sent as {@code If-Range}: a server whose file changed
 * answers 200 with the new file, or a different ETag, and the fetch fails with a {@link SourceChangedException}
 * instead of splicing two versions.
 * <p>
 * Threading: {@link #fetch} from any thread; all I/O and state are confined to one event loop of the injected
 * group, which the caller owns. Fetches are served one at a time in order.
 */
public final class HttpRangeProducer implements SegmentProducer
{
    private static final Logger LOG = LoggerFactory.getLogger(HttpRangeProducer.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int MAX_SEGMENT_BYTES = 64 * 1024 * 1024;

    private final HttpProducerConfig config;
    private final EventLoop loop;
    private final SplittableRandom random;
    private final String host;
    private final int port;
    private final String pathAndQuery;
    private final ArrayDeque<Fetch> queue = new ArrayDeque<>();
    private String entityTag;
    private Channel channel;
    private Fetch current;
    private boolean closed;
    private long requests;
    private long retries;
    private long connections;

    /**
     * A producer for one URI.
     *
     * @param config parameters.
     * @param group  event loops; one is used; owned by the caller.
     * @param random jitter source for the backoff.
     */
    public HttpRangeProducer(final HttpProducerConfig config, final EventLoopGroup group, final SplittableRandom random)
    {
        this.config = Objects.requireNonNull(config, "config");
        this.loop = Objects.requireNonNull(group, "group").next();
        this.random = Objects.requireNonNull(random, "random");
        final URI uri = config.uri();
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 80 : uri.getPort();
        final String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        this.pathAndQuery = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        this.entityTag = config.entityTag();
    }

    @Override
    public CompletableFuture<ByteBuf> fetch(final SegmentRange range)
    {
        final Fetch fetch = new Fetch(range);
        fetch.future.whenComplete((buf, error) ->
        {
            if (fetch.future.isCancelled())
            {
                loop.execute(() -> cancel(fetch));
            }
        });
        loop.execute(() -> enqueue(fetch));
        return fetch.future;
    }

    /**
     * The entity tag in use: the configured one or the first one the server sent.
     *
     * @return the tag, empty while unknown.
     */
    public String entityTag()
    {
        return onLoop(() -> entityTag);
    }

    /**
     * Requests sent so far, retries included.
     *
     * @return the count.
     */
    public long requestCount()
    {
        return onLoop(() -> requests);
    }

    /**
     * Retries after transient failures so far.
     *
     * @return the count.
     */
    public long retryCount()
    {
        return onLoop(() -> retries);
    }

    /**
     * TCP connections opened so far (1 while keep-alive holds).
     *
     * @return the count.
     */
    public long connectionCount()
    {
        return onLoop(() -> connections);
    }

    @Override
    public void close()
    {
        loop.execute(() ->
        {
            closed = true;
            final MicroDownloadException ex = new MicroDownloadException("producer closed");
            if (current != null)
            {
                current.future.completeExceptionally(ex);
                current = null;
            }
            while (!queue.isEmpty())
            {
                queue.poll().future.completeExceptionally(ex);
            }
            if (channel != null)
            {
                channel.close();
                channel = null;
            }
        });
    }

    private <T> T onLoop(final java.util.function.Supplier<T> read)
    {
        if (loop.inEventLoop())
        {
            return read.get();
        }
        return loop.submit(read::get).syncUninterruptibly().getNow();
    }

    private void enqueue(final Fetch fetch)
    {
        if (closed)
        {
            fetch.future.completeExceptionally(new MicroDownloadException("producer closed"));
            return;
        }
        queue.add(fetch);
        next();
    }

    private void cancel(final Fetch fetch)
    {
        queue.remove(fetch);
        if (current == fetch)
        {
            // Abort the transfer: the rest of the response would only be read and discarded.
            current = null;
            if (channel != null)
            {
                channel.close();
                channel = null;
            }
            next();
        }
    }

    private void next()
    {
        if (current != null || closed)
        {
            return;
        }
        Fetch fetch = queue.poll();
        while (fetch != null && fetch.future.isDone())
        {
            fetch = queue.poll();
        }
        if (fetch == null)
        {
            return;
        }
        current = fetch;
        send(fetch);
    }

    private void send(final Fetch fetch)
    {
        if (channel != null && channel.isActive())
        {
            write(fetch);
            return;
        }
        connections++;
        final Bootstrap bootstrap = new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.connectTimeoutMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    final ChannelPipeline p = ch.pipeline();
                    p.addLast(new ReadTimeoutHandler(config.readTimeoutNanos(), TimeUnit.NANOSECONDS));
                    if (config.readLimitBytesPerSecond() > 0)
                    {
                        p.addLast(new ChannelTrafficShapingHandler(0, config.readLimitBytesPerSecond(), 100));
                    }
                    p.addLast(new HttpClientCodec());
                    p.addLast(new WholeEntityGuard());
                    p.addLast(new HttpObjectAggregator(MAX_SEGMENT_BYTES));
                    p.addLast(new ResponseHandler());
                }
            });
        final ChannelFuture connect = bootstrap.connect(host, port);
        channel = connect.channel();
        connect.addListener(f ->
        {
            if (current != fetch || connect.channel() != channel)
            {
                connect.channel().close();
                return;
            }
            if (f.isSuccess())
            {
                write(fetch);
            }
            else
            {
                channel = null;
                failed(fetch, new MicroDownloadException("connect to " + host + ":" + port + " failed", f.cause()),
                    true);
            }
        });
    }

    private void write(final Fetch fetch)
    {
        requests++;
        final SegmentRange range = fetch.range;
        final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, pathAndQuery);
        request.headers()
            .set(HttpHeaderNames.HOST, port == 80 ? host : host + ":" + port)
            .set(HttpHeaderNames.RANGE, "bytes=" + range.offset() + "-" + (range.end() - 1))
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE)
            .set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY)
            .set(HttpHeaderNames.USER_AGENT, "c2cast-microdownload");
        fetch.sentIfRange = !entityTag.isEmpty();
        if (fetch.sentIfRange)
        {
            request.headers().set(HttpHeaderNames.IF_RANGE, entityTag);
        }
        final Channel target = channel;
        target.writeAndFlush(request).addListener(f ->
        {
            if (!f.isSuccess() && current == fetch && channel == target)
            {
                target.close();
                channel = null;
                failed(fetch, new MicroDownloadException("request write failed", f.cause()), true);
            }
        });
    }

    private void onResponse(final Channel from, final FullHttpResponse response)
    {
        final Fetch fetch = current;
        if (fetch == null || from != channel)
        {
            return;
        }
        final boolean keepAlive = HttpUtil.isKeepAlive(response);
        ByteBuf body = null;
        try
        {
            body = validate(fetch, response);
        }
        catch (final MicroDownloadException ex)
        {
            final int status = response.status().code();
            final boolean transientStatus = status == 408 || status == 429 || status >= 500;
            if (!keepAlive || !transientStatus)
            {
                from.close();
                channel = null;
            }
            failed(fetch, ex, transientStatus && !(ex instanceof SourceChangedException));
            return;
        }
        if (!keepAlive)
        {
            from.close();
            channel = null;
        }
        current = null;
        if (!fetch.future.complete(body))
        {
            body.release();
        }
        next();
    }

    private ByteBuf validate(final Fetch fetch, final FullHttpResponse response)
    {
        final SegmentRange range = fetch.range;
        final HttpResponseStatus status = response.status();
        final String etag = response.headers().get(HttpHeaderNames.ETAG);
        if (status.code() == 200 && range.offset() == 0 && config.fileSize() == range.length() && !fetch.sentIfRange)
        {
            // The whole file was asked for and the server sent it whole: acceptable.
            if (response.content().readableBytes() != range.length())
            {
                throw new MicroDownloadException("body of " + response.content().readableBytes() + " bytes for " +
                    range.length());
            }
            return response.content().retain();
        }
        if (status.code() == 200)
        {
            if (fetch.sentIfRange)
            {
                throw new SourceChangedException("the server answered If-Range " + entityTag +
                    " with the whole entity" + (etag == null ? "" : " (ETag now " + etag + ")"));
            }
            throw new MicroDownloadException("the server ignored the range request (status 200)");
        }
        if (status.code() == 416)
        {
            throw new SourceChangedException("range " + range.offset() + "-" + (range.end() - 1) +
                " not satisfiable: " + response.headers().get(HttpHeaderNames.CONTENT_RANGE));
        }
        if (status.code() != 206)
        {
            throw new MicroDownloadException("unexpected status " + status + " for segment " + range.index());
        }
        if (etag != null && !etag.startsWith("W/"))
        {
            if (entityTag.isEmpty())
            {
                entityTag = etag;
            }
            else if (!entityTag.equals(etag))
            {
                throw new SourceChangedException("ETag changed from " + entityTag + " to " + etag);
            }
        }
        final String contentRange = response.headers().get(HttpHeaderNames.CONTENT_RANGE);
        final Matcher m = contentRange == null ? null : CONTENT_RANGE.matcher(contentRange.trim());
        if (m == null || !m.matches())
        {
            throw new MicroDownloadException("206 without a valid Content-Range: " + contentRange);
        }
        final long first = Long.parseLong(m.group(1));
        final long last = Long.parseLong(m.group(2));
        if (first != range.offset() || last != range.end() - 1)
        {
            throw new MicroDownloadException("Content-Range " + contentRange + " does not match segment " + range);
        }
        if (config.fileSize() > 0 && !"*".equals(m.group(3)) && Long.parseLong(m.group(3)) != config.fileSize())
        {
            throw new SourceChangedException("file size changed: " + contentRange + ", expected " + config.fileSize());
        }
        final ByteBuf content = response.content();
        if (content.readableBytes() != range.length())
        {
            throw new MicroDownloadException("body of " + content.readableBytes() + " bytes for a segment of " +
                range.length());
        }
        return content.retain();
    }

    private void onBroken(final Channel from, final Throwable cause)
    {
        if (from != channel)
        {
            return;
        }
        channel = null;
        from.close();
        final Fetch fetch = current;
        if (fetch != null)
        {
            failed(fetch, new MicroDownloadException("connection lost: " + cause, cause), true);
        }
    }

    private void failed(final Fetch fetch, final MicroDownloadException cause, final boolean retryable)
    {
        if (current != fetch)
        {
            return;
        }
        if (retryable && fetch.attempts < config.maxRetries() && !closed)
        {
            fetch.attempts++;
            retries++;
            final long base = Math.min(config.maxBackoffNanos(), config.initialBackoffNanos() << Math.min(20, fetch.attempts - 1));
            final long delay = base / 2 + (long)(random.nextDouble() * (base / 2));
            LOG.debug("segment {} attempt {} failed ({}), retrying in {} ns", fetch.range.index(), fetch.attempts,
                cause.getMessage(), delay);
            loop.schedule(() ->
            {
                if (current == fetch && !fetch.future.isDone())
                {
                    send(fetch);
                }
            }, delay, TimeUnit.NANOSECONDS);
            return;
        }
        current = null;
        fetch.future.completeExceptionally(cause);
        next();
    }

    private void onWholeEntity(final Channel from, final HttpResponse head)
    {
        final Fetch fetch = current;
        if (fetch == null || from != channel)
        {
            return;
        }
        from.close();
        channel = null;
        final String etag = head.headers().get(HttpHeaderNames.ETAG);
        if (fetch.sentIfRange)
        {
            failed(fetch, new SourceChangedException("the server answered If-Range " + entityTag +
                " with the whole entity" + (etag == null ? "" : " (ETag now " + etag + ")")), false);
        }
        else
        {
            failed(fetch, new MicroDownloadException("the server ignored the range request (status 200)"), false);
        }
    }

    /**
     * Rejects a 200 response from its head: the body is the whole (possibly changed) file, not worth reading.
     */
    private final class WholeEntityGuard extends ChannelInboundHandlerAdapter
    {
        private boolean rejected;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (rejected)
            {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpResponse head && head.status().code() == 200)
            {
                final Fetch fetch = current;
                final boolean wholeFileAsked = fetch != null && !fetch.sentIfRange && fetch.range.offset() == 0 &&
                    config.fileSize() == fetch.range.length();
                if (!wholeFileAsked)
                {
                    rejected = true;
                    ReferenceCountUtil.release(msg);
                    onWholeEntity(ctx.channel(), head);
                    return;
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpResponse response)
        {
            onResponse(ctx.channel(), response);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            onBroken(ctx.channel(), new MicroDownloadException("closed by the server"));
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            onBroken(ctx.channel(), cause);
        }
    }

    private static final class Fetch
    {
        final SegmentRange range;
        final CompletableFuture<ByteBuf> future = new CompletableFuture<>();
        int attempts;
        boolean sentIfRange;

        Fetch(final SegmentRange range)
        {
            this.range = range;
        }
    }
}
