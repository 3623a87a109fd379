package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import dev.c2cast.testkit.Gen;

class SegmentStoreTest
{
    private static final int SEGMENT = 1000;
    private static final long SIZE = 4500;

    @TempDir
    Path dir;

    private final byte[] file = new Gen(42).bytes((int)SIZE);

    private ByteBuf dataOf(final int index)
    {
        final SegmentRange r = SegmentRange.of(index, SIZE, SEGMENT);
        return Unpooled.wrappedBuffer(file, (int)r.offset(), r.length());
    }

    @Test
    void storedSegmentsSurviveAReopenAndAssembleToTheOriginal() throws IOException
    {
        final SegmentStore store = SegmentStore.open(dir, SIZE, SEGMENT, "\"v1\"");
        for (int i = 4; i >= 0; i--)
        {
            store.put(store.range(i), dataOf(i));
        }
        assertTrue(store.isComplete());
        final SegmentStore again = SegmentStore.open(dir, SIZE, SEGMENT, "\"v1\"");
        assertEquals(5, again.recoveredCount());
        final Path out = dir.resolveSibling(dir.getFileName() + ".out");
        again.assembleTo(out);
        assertArrayEquals(file, Files.readAllBytes(out));
        Files.delete(out);
    }

    @Test
    void tornTemporaryFilesAndCorruptSegmentsAreDiscardedOnRestart() throws IOException
    {
        final SegmentStore store = SegmentStore.open(dir, SIZE, SEGMENT, "");
        store.put(store.range(0), dataOf(0));
        store.put(store.range(1), dataOf(1));
        store.put(store.range(2), dataOf(2));
        // A crash mid-write leaves a temporary file behind.
        Files.write(dir.resolve("00000003.seg.7.tmp"), Arrays.copyOf(file, 100));
        // A bit flipped on disk in segment 1, segment 2 truncated.
        try (FileChannel ch = FileChannel.open(store.pathOf(1), StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, SegmentStore.DATA_OFFSET + 17);
            b.put(0, (byte)(b.get(0) ^ 0x01)).rewind();
            ch.write(b, SegmentStore.DATA_OFFSET + 17);
        }
        try (FileChannel ch = FileChannel.open(store.pathOf(2), StandardOpenOption.WRITE))
        {
            ch.truncate(SegmentStore.DATA_OFFSET + 10);
        }
        final SegmentStore restarted = SegmentStore.open(dir, SIZE, SEGMENT, "");
        assertTrue(restarted.has(0));
        assertFalse(restarted.has(1));
        assertFalse(restarted.has(2));
        assertFalse(restarted.has(3));
        assertEquals(1, restarted.recoveredCount());
        assertEquals(2, restarted.discardedCount());
        assertFalse(Files.exists(dir.resolve("00000003.seg.7.tmp")));
        assertArrayEquals(Arrays.copyOf(file, SEGMENT), restarted.read(0));
    }

    @Test
    void anotherVersionOfTheFileStartsFromScratch() throws IOException
    {
        final SegmentStore store = SegmentStore.open(dir, SIZE, SEGMENT, "\"v1\"");
        store.put(store.range(0), dataOf(0));
        final SegmentStore changed = SegmentStore.open(dir, SIZE, SEGMENT, "\"v2\"");
        assertEquals(0, changed.presentCount());
        assertFalse(Files.exists(store.pathOf(0)));
    }

    @Test
    void waitersCompleteWhenTheSegmentArrivesAndWrongSizesAreRejected() throws IOException
    {
        final SegmentStore store = SegmentStore.open(dir, SIZE, SEGMENT, "");
        final CompletableFuture<Void> waiter = store.awaitSegment(4);
        assertFalse(waiter.isDone());
        assertThrows(MicroDownloadException.class, () -> store.put(store.range(4), dataOf(3)));
        assertFalse(waiter.isDone());
        store.put(store.range(4), dataOf(4));
        assertTrue(waiter.isDone());
        assertTrue(store.awaitSegment(4).isDone());
        try (var files = Files.list(dir))
        {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary file left");
        }
    }
}
