package dev.c2cast.examples.microcast;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.c2cast.microcast.download.HttpProducerConfig;
import dev.c2cast.microcast.download.HttpRangeProducer;
import dev.c2cast.microcast.download.PlaybackServer;
import dev.c2cast.microcast.download.ReportSender;
import dev.c2cast.microcast.download.Requester;
import dev.c2cast.microcast.download.SegmentStore;
import dev.c2cast.microcast.nc.p2.BitTorrentPull;
import dev.c2cast.microcast.nc.p2.CodedSegmentStore;
import dev.c2cast.microcast.nc.p2.DisseminationConfig;
import dev.c2cast.microcast.nc.p2.DisseminationEngine;
import dev.c2cast.microcast.nc.p2.FrameSender;
import dev.c2cast.microcast.nc.p2.MicroNcP2;
import dev.c2cast.microcast.nc.p2.NoCooperation;
import dev.c2cast.microcast.nc.p2.SegmentManifest;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MicroCast device: its cellular link (an HTTP range producer with the link's rate limit, driven by a
 * MicroDownload requester), its local dissemination engine on the group's medium, its segment files on disk and its
 * playback HTTP server. Segments arriving either way are stored once and handed to the other side.
 * <p>
 * Threading: the engine, the coded store and the requester are confined to the device's one scheduled thread.
 */
final class Device implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Device.class);

    private final int id;
    private final long rateBytesPerSecond;
    private final ScheduledExecutorService executor;
    private final SegmentStore disk;
    private final CodedSegmentStore coded;
    private final DisseminationEngine engine;
    private final boolean ownsExecutor;
    private final HttpRangeProducer producer;
    private final PlaybackServer playback;
    private final AtomicInteger downloaded = new AtomicInteger();
    private final AtomicInteger received = new AtomicInteger();
    private final long startNanos;
    private volatile long completedNanos;
    private volatile long localBytesSent;

    Device(
        final int id, final long rateBytesPerSecond, final Mode mode, final SegmentManifest manifest, final String entityTag,
        final URI origin, final Path directory, final EventLoopGroup group, final ScheduledExecutorService executor,
        final boolean ownsExecutor, final FrameSender sender, final InetSocketAddress http)
        throws IOException
    {
        this.id = id;
        this.rateBytesPerSecond = rateBytesPerSecond;
        this.executor = executor;
        this.ownsExecutor = ownsExecutor;
        final long fileSize = manifest.fileLength();
        this.disk = SegmentStore.open(directory, fileSize, manifest.parameters().capacity(), entityTag);
        this.coded = new CodedSegmentStore(manifest, 0x6d63L * id);
        final ExecutorTimers timers = new ExecutorTimers(executor);
        final SplittableRandom random = new SplittableRandom(id);
        final DisseminationConfig config = DisseminationConfig.defaults();
        this.engine = switch (mode)
        {
            case MICROCAST -> new MicroNcP2(id, config, coded, sender, timers, random, this::onDecoded);
            case BITTORRENT_PULL -> new BitTorrentPull(id, config, coded, sender, timers, random, this::onDecoded);
            case NO_COOPERATION -> new NoCooperation(id, config, coded, sender, timers, random, this::onDecoded);
        };
        this.producer = rateBytesPerSecond > 0
            ? new HttpRangeProducer(HttpProducerConfig.of(origin).withSource(fileSize, entityTag).withReadLimit(rateBytesPerSecond),
                group, new SplittableRandom(id))
            : null;
        this.playback = PlaybackServer.start(disk, "/video.mp4", "video/mp4", TimeUnit.SECONDS.toNanos(30), group, http);
        for (int i = 0; i < disk.segmentCount(); i++)
        {
            final int segment = i;
            disk.awaitSegment(segment).thenRun(() -> executor.execute(() -> onStored(segment)));
        }
        this.startNanos = System.nanoTime();
    }

    /**
     * A requester for this device's cellular link, or null when it has none.
     *
     * @param reports where the requester reports to (the group's MicroDownload).
     * @return the requester.
     */
    Requester requester(final ReportSender reports)
    {
        return producer == null ? null : new Requester(id, producer, disk, reports, executor);
    }

    void start(final int[] peers)
    {
        executor.execute(() ->
        {
            for (final int peer : peers)
            {
                if (peer != id)
                {
                    engine.addPeer(peer);
                }
            }
            engine.start();
        });
    }

    private void onStored(final int segment)
    {
        if (!coded.isDecoded(segment))
        {
            try
            {
                final byte[] bytes = disk.read(segment);
                if (!coded.supply(segment, bytes, 0, bytes.length))
                {
                    LOG.warn("device {}: segment {} from the cellular link does not match the manifest", id, segment);
                    return;
                }
                downloaded.incrementAndGet();
                engine.onSegmentDownloaded(segment);
            }
            catch (final IOException | RuntimeException ex)
            {
                LOG.warn("device {}: segment {} unreadable", id, segment, ex);
            }
        }
        checkComplete();
    }

    private void onDecoded(final int segment)
    {
        if (!disk.has(segment))
        {
            try
            {
                received.incrementAndGet();
                disk.put(disk.range(segment), Unpooled.wrappedBuffer(coded.segment(segment)));
            }
            catch (final IOException | RuntimeException ex)
            {
                LOG.warn("device {}: storing segment {} failed", id, segment, ex);
            }
        }
        checkComplete();
    }

    private void checkComplete()
    {
        localBytesSent = engine.counters().totalBytesSent();
        if (completedNanos == 0 && disk.isComplete())
        {
            completedNanos = System.nanoTime();
        }
    }

    DisseminationEngine engine()
    {
        return engine;
    }

    ScheduledExecutorService executor()
    {
        return executor;
    }

    int id()
    {
        return id;
    }

    long rateBytesPerSecond()
    {
        return rateBytesPerSecond;
    }

    int segmentCount()
    {
        return disk.segmentCount();
    }

    int segmentsPresent()
    {
        return disk.presentCount();
    }

    int segmentsDownloaded()
    {
        return downloaded.get();
    }

    int segmentsReceived()
    {
        return received.get();
    }

    boolean complete()
    {
        return completedNanos != 0;
    }

    /**
     * Seconds from start to the whole file on disk.
     *
     * @return seconds, or NaN if not complete.
     */
    double downloadSeconds()
    {
        final long done = completedNanos;
        return done == 0 ? Double.NaN : (done - startNanos) / 1e9;
    }

    long localBytesSent()
    {
        return localBytesSent;
    }

    /**
     * Reads the engine's byte counter on its thread.
     *
     * @return bytes of frames the engine sent.
     * @throws Exception if the device thread is gone.
     */
    long engineBytesSent() throws Exception
    {
        return onDeviceThread(() -> engine.counters().totalBytesSent());
    }

    private <T> T onDeviceThread(final Callable<T> task) throws InterruptedException, ExecutionException, TimeoutException
    {
        return executor.submit(task).get(10, TimeUnit.SECONDS);
    }

    String playbackUrl()
    {
        final InetSocketAddress address = playback.localAddress();
        final String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        return "http://" + host + ":" + address.getPort() + "/video.mp4";
    }

    String sha256() throws IOException
    {
        final Path assembled = Files.createTempFile("c2cast-device-" + id, ".mp4");
        try
        {
            disk.assembleTo(assembled);
            return MicroCastDemo.sha256(Files.readAllBytes(assembled));
        }
        finally
        {
            Files.deleteIfExists(assembled);
        }
    }

    void assembleTo(final Path file) throws IOException
    {
        disk.assembleTo(file);
    }

    @Override
    public void close()
    {
        try
        {
            executor.submit(engine::stop).get(5, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            LOG.debug("device {}: stopping the engine", id, ex);
        }
        if (ownsExecutor)
        {
            executor.shutdownNow();
        }
        if (producer != null)
        {
            producer.close();
        }
        playback.close();
    }
}
