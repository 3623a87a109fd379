package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;

import io.netty.buffer.Unpooled;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

class SegmentStorePropertyTest
{
    @Property(seeds = 60)
    void whateverDamageTheDiskTakesOpenOnlyReportsIntactSegments(final Gen gen) throws IOException
    {
        final Path dir = Files.createTempDirectory("segment-store-property");
        try
        {
            final int segmentSize = gen.intBetween(1, 3000);
            final int count = gen.intBetween(1, 12);
            final long size = (long)segmentSize * count - gen.intBetween(0, segmentSize - 1);
            final byte[] file = gen.bytes((int)size);
            final SegmentStore store = SegmentStore.open(dir, size, segmentSize, "");
            final int segments = store.segmentCount();
            final boolean[] damaged = new boolean[segments];
            for (int i = 0; i < segments; i++)
            {
                if (gen.chance(0.7))
                {
                    final SegmentRange r = store.range(i);
                    store.put(r, Unpooled.wrappedBuffer(file, (int)r.offset(), r.length()));
                    if (gen.chance(0.4))
                    {
                        damaged[i] = damage(gen, store.pathOf(i), r);
                    }
                }
                else if (gen.chance(0.3))
                {
                    // A write interrupted before its rename.
                    Files.write(dir.resolve(String.format("%08d.seg.%d.tmp", i, gen.intBetween(1, 99))),
                        gen.bytes(0, 200));
                }
            }
            if (gen.chance(0.2))
            {
                Files.write(dir.resolve("99999999.seg"), gen.bytes(0, 100));
            }
            final SegmentStore reopened = SegmentStore.open(dir, size, segmentSize, "");
            for (int i = 0; i < segments; i++)
            {
                if (damaged[i])
                {
                    assertFalse(reopened.has(i), "damaged segment " + i + " accepted");
                }
                if (reopened.has(i))
                {
                    final SegmentRange r = reopened.range(i);
                    assertArrayEquals(Arrays.copyOfRange(file, (int)r.offset(), (int)r.end()), reopened.read(i));
                }
            }
            try (var files = Files.list(dir))
            {
                assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")));
            }
        }
        finally
        {
            try (var walk = Files.walk(dir))
            {
                walk.sorted(Comparator.reverseOrder()).forEach(p ->
                {
                    try
                    {
                        Files.delete(p);
                    }
                    catch (final IOException ex)
                    {
                        throw new UncheckedIOException(ex);
                    }
                });
            }
        }
    }

    /** Truncates, extends or flips a bit of a segment file (header, padding or data). */
    private static boolean damage(final Gen gen, final Path path, final SegmentRange range) throws IOException
    {
        final long length = SegmentStore.DATA_OFFSET + (long)range.length();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            switch (gen.nextInt(3))
            {
                case 0:
                    ch.truncate(gen.longBetween(0, length - 1));
                    return true;
                case 1:
                    ch.write(ByteBuffer.wrap(gen.bytes(1, 10)), length);
                    return true;
                default:
                    final long at = gen.longBetween(0, length - 1);
                    final ByteBuffer b = ByteBuffer.allocate(1);
                    ch.read(b, at);
                    b.put(0, (byte)(b.get(0) ^ (1 << gen.nextInt(8)))).rewind();
                    ch.write(b, at);
                    return true;
            }
        }
    }
}
