package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import dev.c2cast.testkit.Gen;

/** The playback server and the HTTP range producer against each other over loopback. */
class PlaybackServerIT
{
    private static final int SEGMENT = 64 * 1024;
    private static final int SIZE = 10 * SEGMENT - 123;

    @TempDir
    Path dir;

    private final byte[] file = new Gen(99).bytes(SIZE);
    private EventLoopGroup group;
    private SegmentStore store;
    private PlaybackServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws IOException
    {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        store = SegmentStore.open(dir.resolve("store"), SIZE, SEGMENT, "");
        for (int i = 0; i < 5; i++)
        {
            put(i);
        }
        server = PlaybackServer.start(store, "/video.bin", "application/octet-stream",
            TimeUnit.MILLISECONDS.toNanos(300), group, new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop()
    {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void put(final int index) throws IOException
    {
        final SegmentRange r = store.range(index);
        store.put(r, Unpooled.wrappedBuffer(file, (int)r.offset(), r.length()));
    }

    private URI uri()
    {
        return URI.create("http://127.0.0.1:" + server.localAddress().getPort() + "/video.bin");
    }

    private HttpProducerConfig producerConfig()
    {
        return HttpProducerConfig.of(uri()).withTimeouts(1000, TimeUnit.SECONDS.toNanos(5), 1);
    }

    private byte[] fetch(final HttpRangeProducer producer, final SegmentRange range) throws Exception
    {
        final ByteBuf buf = producer.fetch(range).get(20, TimeUnit.SECONDS);
        try
        {
            return ByteBufUtil.getBytes(buf);
        }
        finally
        {
            buf.release();
        }
    }

    @Test
    void producerFetchesValidatedRangesOverOneKeepAliveConnection() throws Exception
    {
        try (HttpRangeProducer producer = new HttpRangeProducer(producerConfig().withSource(SIZE, ""), group,
            new SplittableRandom(1)))
        {
            for (int i = 4; i >= 0; i--)
            {
                final SegmentRange r = SegmentRange.of(i, SIZE, SEGMENT);
                assertArrayEquals(Arrays.copyOfRange(file, (int)r.offset(), (int)r.end()), fetch(producer, r));
            }
            assertEquals(server.entityTag(), producer.entityTag());
            assertEquals(5, producer.requestCount());
            assertEquals(1, producer.connectionCount());
        }
    }

    @Test
    void aRangeNotYetPresentWaitsForItsSegment() throws Exception
    {
        final PlaybackServer patient = PlaybackServer.start(store, "/video.bin", "application/octet-stream",
            TimeUnit.SECONDS.toNanos(30), group, new InetSocketAddress("127.0.0.1", 0));
        try (HttpRangeProducer producer = new HttpRangeProducer(
            HttpProducerConfig.of(URI.create("http://127.0.0.1:" + patient.localAddress().getPort() + "/video.bin")),
            group, new SplittableRandom(2)))
        {
            final SegmentRange last = SegmentRange.of(9, SIZE, SEGMENT);
            final CompletableFuture<ByteBuf> pending = producer.fetch(last);
            // The request is on its way and must still be waiting: segment 9 is not stored.
            final CompletableFuture<HttpResponse<byte[]>> whole = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + patient.localAddress().getPort() +
                    "/video.bin")).header("Range", "bytes=0-").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertFalse(pending.isDone());
            for (int i = 5; i < 10; i++)
            {
                put(i);
            }
            final ByteBuf buf = pending.get(20, TimeUnit.SECONDS);
            try
            {
                assertArrayEquals(Arrays.copyOfRange(file, (int)last.offset(), SIZE), ByteBufUtil.getBytes(buf));
            }
            finally
            {
                buf.release();
            }
            final HttpResponse<byte[]> response = whole.get(20, TimeUnit.SECONDS);
            assertEquals(206, response.statusCode());
            assertArrayEquals(file, response.body());
        }
        finally
        {
            patient.close();
        }
    }

    @Test
    void aMissingSegmentBeyondTheWaitIs503WithRetryAfter() throws Exception
    {
        final HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri())
            .header("Range", "bytes=" + 8 * SEGMENT + "-").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(503, response.statusCode());
        assertEquals("1", response.headers().firstValue("retry-after").orElseThrow());
    }

    @Test
    void rangesHeadAnd416() throws Exception
    {
        final HttpResponse<byte[]> suffix = http.send(HttpRequest.newBuilder(uri())
            .header("Range", "bytes=-100").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(503, suffix.statusCode(), "the last 100 bytes are in a missing segment");
        final HttpResponse<byte[]> middle = http.send(HttpRequest.newBuilder(uri())
            .header("Range", "bytes=1000-200000").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, middle.statusCode());
        assertEquals("bytes 1000-200000/" + SIZE, middle.headers().firstValue("content-range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(file, 1000, 200_001), middle.body());
        final HttpResponse<byte[]> beyond = http.send(HttpRequest.newBuilder(uri())
            .header("Range", "bytes=" + SIZE + "-").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(416, beyond.statusCode());
        final HttpResponse<Void> head = http.send(HttpRequest.newBuilder(uri())
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(SIZE), head.headers().firstValue("content-length").orElseThrow());
        assertEquals(server.entityTag(), head.headers().firstValue("etag").orElseThrow());
    }

    @Test
    void aChangedEntityIsDetectedNotSpliced() throws Exception
    {
        try (HttpRangeProducer producer = new HttpRangeProducer(producerConfig().withSource(SIZE, "\"older\""), group,
            new SplittableRandom(3)))
        {
            final ExecutionException ex = assertThrows(ExecutionException.class,
                () -> producer.fetch(SegmentRange.of(0, SIZE, SEGMENT)).get(20, TimeUnit.SECONDS));
            assertInstanceOf(SourceChangedException.class, ex.getCause());
            assertEquals(0, producer.retryCount(), "a changed source is never retried");
        }
        try (HttpRangeProducer producer = new HttpRangeProducer(producerConfig().withSource(SIZE + 1, ""), group,
            new SplittableRandom(4)))
        {
            final ExecutionException ex = assertThrows(ExecutionException.class,
                () -> producer.fetch(SegmentRange.of(0, SIZE + 1, SEGMENT)).get(20, TimeUnit.SECONDS));
            assertInstanceOf(SourceChangedException.class, ex.getCause());
        }
    }

    @Test
    void transientFailuresAreRetriedWithBackoffThenReported() throws Exception
    {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            closedPort = socket.getLocalPort();
        }
        try (HttpRangeProducer producer = new HttpRangeProducer(
            HttpProducerConfig.of(URI.create("http://127.0.0.1:" + closedPort + "/x")).withTimeouts(500,
                TimeUnit.SECONDS.toNanos(2), 3), group, new SplittableRandom(5)))
        {
            final ExecutionException ex = assertThrows(ExecutionException.class,
                () -> producer.fetch(SegmentRange.of(0, SIZE, SEGMENT)).get(20, TimeUnit.SECONDS));
            assertInstanceOf(MicroDownloadException.class, ex.getCause());
            assertEquals(3, producer.retryCount());
            assertEquals(4, producer.connectionCount());
        }
        // A 503 (segment not yet present) is transient too: retried, then reported.
        try (HttpRangeProducer producer = new HttpRangeProducer(producerConfig(), group, new SplittableRandom(6)))
        {
            final ExecutionException ex = assertThrows(ExecutionException.class,
                () -> producer.fetch(SegmentRange.of(9, SIZE, SEGMENT)).get(20, TimeUnit.SECONDS));
            assertTrue(ex.getCause().getMessage().contains("503"), ex.getCause().getMessage());
            assertEquals(1, producer.retryCount());
        }
    }
}
