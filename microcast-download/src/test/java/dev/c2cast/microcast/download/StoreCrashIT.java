package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.buffer.Unpooled;

import dev.c2cast.testkit.Gen;

/**
 * A writer process is killed with SIGKILL while it stores segments, several times at different moments; after
 * each kill the store is reopened and every segment it reports present must hold exactly the original bytes.
 * (SIGKILL tests torn writes at the process level; it cannot test power loss, which needs the fsyncs.)
 */
class StoreCrashIT
{
    static final int SEGMENT = 200_000;
    static final int COUNT = 400;
    static final long SIZE = (long)SEGMENT * COUNT - 777;
    static final long SEED = 77;

    @TempDir
    Path dir;

    @Test
    void killedWriterNeverLeavesACorruptSegment() throws Exception
    {
        final byte[] file = new Gen(SEED).bytes((int)SIZE);
        final Path store = dir.resolve("store");
        int previous = 0;
        for (int round = 0; round < 4; round++)
        {
            final Process writer = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Writer.class.getName(), store.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("writer-" + round + ".log").toFile()).start();
            // Kill it once it has written something new, at a moment that varies from round to round.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            final int target = previous + 5 + round * 7;
            while (countSegments(store) < target && writer.isAlive() && System.nanoTime() < deadline)
            {
                writer.waitFor(2 + round, TimeUnit.MILLISECONDS);
            }
            // In even rounds, aim the kill at a write in progress (a temporary file exists).
            while (round % 2 == 0 && countFiles(store, ".tmp") == 0 && writer.isAlive() && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            writer.destroyForcibly();
            assertTrue(writer.waitFor(10, TimeUnit.SECONDS));
            final long torn;
            try (var files = Files.list(store))
            {
                torn = files.filter(p -> p.toString().endsWith(".tmp")).count();
            }
            final SegmentStore reopened = SegmentStore.open(store, SIZE, SEGMENT, "");
            System.out.printf("round %d: killed with %d temporary file(s) on disk; %d intact segments, %d discarded%n",
                round, torn, reopened.presentCount(), reopened.discardedCount());
            assertTrue(reopened.presentCount() >= previous, "a stored segment was lost");
            for (int i = 0; i < COUNT; i++)
            {
                if (reopened.has(i))
                {
                    final SegmentRange r = reopened.range(i);
                    assertArrayEquals(Arrays.copyOfRange(file, (int)r.offset(), (int)r.end()), reopened.read(i));
                }
            }
            previous = reopened.presentCount();
        }
        assertTrue(previous > 0);
    }

    private static int countSegments(final Path store) throws IOException
    {
        return countFiles(store, ".seg");
    }

    private static int countFiles(final Path store, final String suffix) throws IOException
    {
        if (!Files.isDirectory(store))
        {
            return 0;
        }
        try (var files = Files.list(store))
        {
            return (int)files.filter(p -> p.toString().endsWith(suffix)).count();
        }
        catch (final java.nio.file.NoSuchFileException raced)
        {
            return 0;
        }
    }

    /** The child process: stores every missing segment, in index order, until killed. */
    public static final class Writer
    {
        private Writer()
        {
        }

        /**
         * Entry point.
         *
         * @param args the store directory.
         * @throws IOException if storing fails.
         */
        public static void main(final String[] args) throws IOException
        {
            final byte[] file = new Gen(SEED).bytes((int)SIZE);
            final SegmentStore store = SegmentStore.open(Path.of(args[0]), SIZE, SEGMENT, "");
            for (int i = 0; i < COUNT; i++)
            {
                final SegmentRange r = store.range(i);
                store.put(r, Unpooled.wrappedBuffer(file, (int)r.offset(), r.length()));
            }
        }
    }
}
