package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import dev.c2cast.testkit.Environment;
import dev.c2cast.testkit.Gen;

/**
 * Three devices download a 20 MB file together with MicroDownload over real HTTP: from a Debian nginx (with a
 * different {@code limit_rate} per device location) and from the project's own playback server (rate limited in
 * each device's producer). The assembled file must have the origin's SHA-256.
 */
class GroupDownloadIT
{
    private static final int FILE_SIZE = 20 * 1024 * 1024;
    private static final int SEGMENT = 256 * 1024;
    /** Per-device link rates, bytes per second: one fast, one medium, one very slow (Fig. 6a). */
    private static final long[] RATES = {12L << 20, 6L << 20, 256L << 10};

    @TempDir
    Path dir;

    private EventLoopGroup group;
    private ScheduledExecutorService loop;
    private final List<ExecutorService> executors = new ArrayList<>();
    private Process nginx;

    @BeforeEach
    void start()
    {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        loop = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() throws InterruptedException
    {
        if (nginx != null)
        {
            nginx.destroy();
            if (!nginx.waitFor(5, TimeUnit.SECONDS))
            {
                nginx.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        executors.forEach(ExecutorService::shutdownNow);
        loop.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void threeDevicesDownloadFromNginxWithPerDeviceRateLimits() throws Exception
    {
        requireNginx();
        final Path www = Files.createDirectories(dir.resolve("www"));
        final byte[] origin = new Gen(2026).bytes(FILE_SIZE);
        Files.write(www.resolve("video.bin"), origin);
        final int port = startNginx(www);

        final SegmentStore store = SegmentStore.open(dir.resolve("store"), FILE_SIZE, SEGMENT, "");
        final DownloadResult result = download(store, d -> HttpProducerConfig.of(
            URI.create("http://127.0.0.1:" + port + "/d" + d + "/video.bin")).withSource(FILE_SIZE, ""));
        assertSameFile(origin, store);
        assertShapeFollowsTheRates(result);
    }

    @Test
    void aFileChangedOnNginxIsDetectedNotSpliced() throws Exception
    {
        requireNginx();
        final Path www = Files.createDirectories(dir.resolve("www"));
        final int size = 4 * 1024 * 1024;
        final Path video = Files.write(www.resolve("video.bin"), new Gen(1).bytes(size));
        Files.setLastModifiedTime(video, FileTime.fromMillis(1_700_000_000_000L));
        final int port = startNginx(www);
        final URI uri = URI.create("http://127.0.0.1:" + port + "/d0/video.bin");
        try (HttpRangeProducer producer = new HttpRangeProducer(HttpProducerConfig.of(uri).withSource(size, ""), group,
            new SplittableRandom(1)))
        {
            producer.fetch(SegmentRange.of(0, size, SEGMENT)).get(30, TimeUnit.SECONDS).release();
            final String etag = producer.entityTag();
            assertTrue(etag.startsWith("\""), "nginx sent a strong ETag: " + etag);
            // The file is replaced on the server: same size, new content and modification time.
            Files.write(video, new Gen(2).bytes(size));
            Files.setLastModifiedTime(video, FileTime.fromMillis(1_700_000_100_000L));
            final ExecutionException failure = assertThrows(ExecutionException.class,
                () -> producer.fetch(SegmentRange.of(1, size, SEGMENT)).get(30, TimeUnit.SECONDS));
            assertInstanceOf(SourceChangedException.class, failure.getCause());
            System.out.println("nginx change detected: " + failure.getCause().getMessage());
        }
    }

    @Test
    void threeDevicesDownloadFromThePlaybackServer() throws Exception
    {
        final byte[] origin = new Gen(2027).bytes(FILE_SIZE);
        final Path source = Files.write(dir.resolve("origin.bin"), origin);
        final SegmentStore originStore = SegmentStore.open(dir.resolve("origin"), FILE_SIZE, SEGMENT, "\"origin-1\"");
        try (FileProducer producer = FileProducer.of(source, ByteBufAllocator.DEFAULT))
        {
            for (int i = 0; i < originStore.segmentCount(); i++)
            {
                final var buf = producer.fetch(originStore.range(i)).get(10, TimeUnit.SECONDS);
                try
                {
                    originStore.put(originStore.range(i), buf);
                }
                finally
                {
                    buf.release();
                }
            }
        }
        try (PlaybackServer server = PlaybackServer.start(originStore, "/video.bin", "application/octet-stream",
            TimeUnit.SECONDS.toNanos(5), group, new InetSocketAddress("127.0.0.1", 0)))
        {
            final int port = server.localAddress().getPort();
            final SegmentStore store = SegmentStore.open(dir.resolve("store"), FILE_SIZE, SEGMENT, "\"origin-1\"");
            final DownloadResult result = download(store, d -> HttpProducerConfig.of(
                URI.create("http://127.0.0.1:" + port + "/video.bin")).withSource(FILE_SIZE, "\"origin-1\"")
                .withReadLimit(RATES[d]));
            assertSameFile(origin, store);
            assertShapeFollowsTheRates(result);
        }
    }

    @Test
    void aStalledLinkAndAFailingProducerAreReassignedAndTheDownloadCompletes() throws Exception
    {
        final byte[] origin = new Gen(2028).bytes(FILE_SIZE / 4);
        final Path source = Files.write(dir.resolve("origin.bin"), origin);
        final SegmentStore originStore = SegmentStore.open(dir.resolve("origin"), origin.length, SEGMENT, "");
        try (FileProducer producer = FileProducer.of(source, ByteBufAllocator.DEFAULT))
        {
            for (int i = 0; i < originStore.segmentCount(); i++)
            {
                final var buf = producer.fetch(originStore.range(i)).get(10, TimeUnit.SECONDS);
                try
                {
                    originStore.put(originStore.range(i), buf);
                }
                finally
                {
                    buf.release();
                }
            }
        }
        // A server that accepts connections and never answers: a stalled cellular link. The working device is
        // throttled to 2 MiB/s so the 5 MiB download lasts longer than the 1 s detection timeout.
        final ServerSocket blackHole = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress());
        final List<Socket> held = new ArrayList<>();
        final Thread acceptor = new Thread(() ->
        {
            try
            {
                while (!blackHole.isClosed())
                {
                    final Socket socket = blackHole.accept();
                    synchronized (held)
                    {
                        held.add(socket);
                    }
                }
            }
            catch (final IOException closed)
            {
                // the test is over
            }
        }, "black-hole");
        acceptor.start();
        try (PlaybackServer server = PlaybackServer.start(originStore, "/video.bin", "application/octet-stream",
            TimeUnit.SECONDS.toNanos(5), group, new InetSocketAddress("127.0.0.1", 0)))
        {
            final int port = server.localAddress().getPort();
            final SegmentStore store = SegmentStore.open(dir.resolve("store"), origin.length, SEGMENT, "");
            final MicroDownloadConfig config = MicroDownloadConfig.defaults().withSegmentSize(SEGMENT)
                .withStallTimeoutNanos(TimeUnit.SECONDS.toNanos(1));
            final DownloadSession session = new DownloadSession(config, origin.length, loop, System::nanoTime,
                new SplittableRandom(12), TimeUnit.MILLISECONDS.toNanos(50));
            final List<HttpRangeProducer> producers = new ArrayList<>();
            try
            {
                final URI[] uris = {
                    URI.create("http://127.0.0.1:" + port + "/video.bin"),
                    URI.create("http://127.0.0.1:" + blackHole.getLocalPort() + "/video.bin"),
                    URI.create("http://127.0.0.1:" + port + "/missing.bin"),
                };
                for (int d = 0; d < uris.length; d++)
                {
                    final HttpRangeProducer producer = new HttpRangeProducer(HttpProducerConfig.of(uris[d])
                        .withSource(origin.length, "").withReadLimit(2L << 20)
                        .withTimeouts(1000, TimeUnit.SECONDS.toNanos(60), 0), group, new SplittableRandom(d));
                    producers.add(producer);
                    final ExecutorService executor = Executors.newSingleThreadExecutor();
                    executors.add(executor);
                    session.join(new Requester(d, producer, store, session.reports(), executor));
                }
                session.completion().get(120, TimeUnit.SECONDS);
                final List<DeviceStatistics> stats = session.statistics();
                System.out.println("with a stalled link and a failing producer: " + stats);
                assertTrue(stats.get(1).timeouts() >= 1, "the stalled device was detected: " + stats.get(1));
                assertEquals(0, stats.get(1).segmentsCompleted());
                assertTrue(stats.get(2).failures() >= 1, "the failing producer reported: " + stats.get(2));
                assertEquals(0, stats.get(2).segmentsCompleted());
                assertEquals(originStore.segmentCount(), stats.get(0).segmentsCompleted());
                assertTrue(stats.get(2).failures() < originStore.segmentCount(),
                    "the failure backoff keeps a failing producer from churning: " + stats.get(2));
                assertSameFile(origin, store);
            }
            finally
            {
                producers.forEach(HttpRangeProducer::close);
                session.close();
            }
        }
        finally
        {
            blackHole.close();
            acceptor.join(5000);
            synchronized (held)
            {
                for (final Socket socket : held)
                {
                    socket.close();
                }
            }
        }
    }

    record DownloadResult(List<DeviceStatistics> statistics, double seconds)
    {
    }

    private DownloadResult download(final SegmentStore store, final IntFunction<HttpProducerConfig> configs)
        throws Exception
    {
        final MicroDownloadConfig config = MicroDownloadConfig.defaults().withSegmentSize(SEGMENT)
            .withStallTimeoutNanos(TimeUnit.SECONDS.toNanos(5));
        final DownloadSession session = new DownloadSession(config, FILE_SIZE, loop, System::nanoTime,
            new SplittableRandom(11), TimeUnit.MILLISECONDS.toNanos(50));
        final List<HttpRangeProducer> producers = new ArrayList<>();
        final long start = System.nanoTime();
        try
        {
            for (int d = 0; d < RATES.length; d++)
            {
                final HttpRangeProducer producer = new HttpRangeProducer(configs.apply(d), group,
                    new SplittableRandom(d));
                producers.add(producer);
                final ExecutorService executor = Executors.newSingleThreadExecutor();
                executors.add(executor);
                session.join(new Requester(d, producer, store, session.reports(), executor));
            }
            session.completion().get(180, TimeUnit.SECONDS);
            final double seconds = (System.nanoTime() - start) / 1e9;
            final List<DeviceStatistics> statistics = session.statistics();
            for (final DeviceStatistics s : statistics)
            {
                System.out.printf("device %d: %d segments, %d bytes, %.0f B/s, failures %d, timeouts %d, " +
                    "reassigned away %d, endgame duplicates %d%n", s.deviceId(), s.segmentsCompleted(),
                    s.bytesDownloaded(), s.rateBytesPerSecond(), s.failures(), s.timeouts(), s.reassignedAway(),
                    s.endgameDuplicates());
            }
            System.out.printf("group download of %d bytes took %.2f s%n", FILE_SIZE, seconds);
            for (final HttpRangeProducer producer : producers)
            {
                assertTrue(producer.connectionCount() <= 1 + producer.retryCount() + 10,
                    "keep-alive: " + producer.connectionCount() + " connections");
            }
            return new DownloadResult(statistics, seconds);
        }
        finally
        {
            producers.forEach(HttpRangeProducer::close);
            session.close();
        }
    }

    private void assertSameFile(final byte[] origin, final SegmentStore store) throws Exception
    {
        assertTrue(store.isComplete());
        final Path assembled = dir.resolve("assembled.bin");
        store.assembleTo(assembled);
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        final String expected = HexFormat.of().formatHex(sha.digest(origin));
        final String actual = HexFormat.of().formatHex(sha.digest(Files.readAllBytes(assembled)));
        System.out.println("origin SHA-256 " + expected + ", assembled SHA-256 " + actual);
        assertEquals(expected, actual);
        assertArrayEquals(origin, Files.readAllBytes(assembled));
    }

    private static void assertShapeFollowsTheRates(final DownloadResult result)
    {
        final List<DeviceStatistics> s = result.statistics();
        long total = 0;
        for (final DeviceStatistics d : s)
        {
            total += d.bytesDownloaded();
        }
        assertEquals(FILE_SIZE, total, "every byte completed exactly once across the devices");
        assertTrue(s.get(0).bytesDownloaded() > s.get(2).bytesDownloaded(),
            "the fast device must carry more than the very slow one: " + s);
        // A static third for the 256 KiB/s device alone would take 20 MiB / 3 / 256 KiB/s = 26.7 s.
        final double staticSplit = FILE_SIZE / 3.0 / RATES[2];
        assertTrue(result.seconds() < staticSplit / 2,
            "MicroDownload took " + result.seconds() + " s, a static split needs " + staticSplit + " s");
    }

    private int startNginx(final Path www) throws Exception
    {
        final int port = freePort();
        final StringBuilder locations = new StringBuilder();
        for (int d = 0; d < RATES.length; d++)
        {
            locations.append("    location /d").append(d).append("/ { alias ").append(www).append("/; limit_rate ")
                .append(RATES[d]).append("; }\n");
        }
        final Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, String.join("\n",
            "daemon off;",
            "master_process off;",
            "worker_processes 1;",
            "pid " + dir.resolve("nginx.pid") + ";",
            "error_log " + dir.resolve("error.log") + " warn;",
            "events { worker_connections 64; }",
            "http {",
            "  access_log off;",
            "  client_body_temp_path " + dir.resolve("tmp-body") + ";",
            "  proxy_temp_path " + dir.resolve("tmp-proxy") + ";",
            "  fastcgi_temp_path " + dir.resolve("tmp-fastcgi") + ";",
            "  uwsgi_temp_path " + dir.resolve("tmp-uwsgi") + ";",
            "  scgi_temp_path " + dir.resolve("tmp-scgi") + ";",
            "  keepalive_requests 10000;",
            "  server {",
            "    listen 127.0.0.1:" + port + ";",
            locations.toString(),
            "  }",
            "}",
            ""), StandardCharsets.UTF_8);
        nginx = new ProcessBuilder("timeout", "-k", "5", "300", nginxBinary(), "-p", dir.toString(), "-c", conf.toString(),
            "-e", dir.resolve("error.log").toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        awaitListening(port, nginx, dir.resolve("error.log"));
        return port;
    }

    /** nginx on the PATH, or where Debian installs it (/usr/sbin is not on every user's PATH). */
    private static String nginxBinary()
    {
        return Environment.hasCommand("nginx") ? "nginx" : "/usr/sbin/nginx";
    }

    private static void requireNginx()
    {
        Environment.require(Environment.hasCommand("nginx") || Files.isExecutable(Path.of("/usr/sbin/nginx")),
            "nginx on the PATH or in /usr/sbin (Debian package nginx-light)");
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(final int port, final Process process, final Path log) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline)
        {
            if (!process.isAlive())
            {
                throw new AssertionError("nginx exited: " + (Files.exists(log) ? Files.readString(log) : ""));
            }
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            }
            catch (final IOException notYet)
            {
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        throw new AssertionError("nginx did not listen on " + port);
    }
}
