package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

import dev.c2cast.testkit.Gen;

class FileProducerTest
{
    @TempDir
    Path dir;

    @Test
    void readsExactlyTheSegment() throws Exception
    {
        final byte[] bytes = new Gen(1).bytes(10_000);
        final Path source = Files.write(dir.resolve("src"), bytes);
        try (FileProducer producer = FileProducer.of(source, ByteBufAllocator.DEFAULT))
        {
            final ByteBuf buf = producer.fetch(SegmentRange.of(2, bytes.length, 4096)).get(5, TimeUnit.SECONDS);
            try
            {
                assertArrayEquals(Arrays.copyOfRange(bytes, 8192, 10_000), ByteBufUtil.getBytes(buf));
            }
            finally
            {
                buf.release();
            }
            final ExecutionException ex = assertThrows(ExecutionException.class,
                () -> producer.fetch(new SegmentRange(3, 12_288, 100)).get(5, TimeUnit.SECONDS));
            assertInstanceOf(MicroDownloadException.class, ex.getCause());
        }
    }

    @Test
    void followingProducerWaitsForAGrowingFileAndGivesUpAfterItsWait() throws Exception
    {
        final byte[] bytes = new Gen(2).bytes(8192);
        final Path source = Files.write(dir.resolve("capture"), Arrays.copyOf(bytes, 1000));
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (FileProducer producer = FileProducer.following(source, ByteBufAllocator.DEFAULT, scheduler,
            System::nanoTime, TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.SECONDS.toNanos(20)))
        {
            final CompletableFuture<ByteBuf> second = producer.fetch(SegmentRange.of(1, 8192, 4096));
            assertFalse(second.isDone(), "bytes 4096..8191 are not written yet");
            Files.write(source, Arrays.copyOfRange(bytes, 1000, 8192), StandardOpenOption.APPEND);
            final ByteBuf buf = second.get(10, TimeUnit.SECONDS);
            try
            {
                assertArrayEquals(Arrays.copyOfRange(bytes, 4096, 8192), ByteBufUtil.getBytes(buf));
            }
            finally
            {
                buf.release();
            }
        }
        try (FileProducer impatient = FileProducer.following(source, ByteBufAllocator.DEFAULT, scheduler,
            System::nanoTime, TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(50)))
        {
            final ExecutionException ex = assertThrows(ExecutionException.class,
                () -> impatient.fetch(new SegmentRange(2, 8192, 4096)).get(10, TimeUnit.SECONDS));
            assertInstanceOf(MicroDownloadException.class, ex.getCause());
        }
        finally
        {
            scheduler.shutdownNow();
        }
    }

    @Test
    void requesterStoresSegmentsReportsThemAndResumesAfterRestart() throws Exception
    {
        final byte[] bytes = new Gen(3).bytes(50_000);
        final Path source = Files.write(dir.resolve("video"), bytes);
        final Path storeDir = dir.resolve("store");
        final int segment = 8192;
        final int count = SegmentRange.count(bytes.length, segment);
        final List<ControlMessage.Report> reports = new ArrayList<>();
        final var executor = Executors.newSingleThreadExecutor();
        try
        {
            final SegmentStore store = SegmentStore.open(storeDir, bytes.length, segment, "");
            final Requester requester = new Requester(7, FileProducer.of(source, ByteBufAllocator.DEFAULT), store,
                r -> { synchronized (reports) { reports.add(r); } }, executor);
            for (int i = 0; i < 3; i++)
            {
                requester.onMessage(new ControlMessage.Assignment(7, SegmentRange.of(i, bytes.length, segment), i + 1, false));
            }
            awaitReports(reports, 3);
            assertEquals(3, requester.segmentsStored());

            // Restart: a new store and requester over the same directory reuse what is there.
            final SegmentStore reopened = SegmentStore.open(storeDir, bytes.length, segment, "");
            assertEquals(3, reopened.recoveredCount());
            final Requester restarted = new Requester(7, FileProducer.of(source, ByteBufAllocator.DEFAULT), reopened,
                r -> { synchronized (reports) { reports.add(r); } }, executor);
            for (int i = 0; i < count; i++)
            {
                restarted.assign(SegmentRange.of(i, bytes.length, segment), 100 + i);
            }
            awaitReports(reports, 3 + count);
            assertEquals(3, restarted.segmentsReused());
            assertEquals(count - 3, restarted.segmentsStored());
            synchronized (reports)
            {
                assertTrue(reports.stream().allMatch(ControlMessage.Report::success));
            }
            final Path out = dir.resolve("out");
            reopened.assembleTo(out);
            assertArrayEquals(bytes, Files.readAllBytes(out));
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    static void awaitReports(final List<ControlMessage.Report> reports, final int n) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true)
        {
            synchronized (reports)
            {
                if (reports.size() >= n)
                {
                    return;
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0)
                {
                    throw new AssertionError("only " + reports.size() + " of " + n + " reports");
                }
                reports.wait(10);
            }
        }
    }

}
