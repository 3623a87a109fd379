package dev.c2cast.microcast.download;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A producer reading segments from a local file (microcast.txt V-D, file producer), optionally following a file
 * that is still being written, such as a capture in progress (the paper's content producer).
 * <p>
 * A following producer waits until the file has grown past the end of the requested segment, polling its size on
 * the injected scheduler, and fails the fetch if that takes longer than the configured wait.
 * <p>
 * Threading: thread-safe; reads run on the caller's thread or, when waiting, on the scheduler's thread.
 */
public final class FileProducer implements SegmentProducer
{
    private final Path path;
    private final ByteBufAllocator allocator;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final long pollNanos;
    private final long maxWaitNanos;

    private FileProducer(
        final Path path,
        final ByteBufAllocator allocator,
        final ScheduledExecutorService scheduler,
        final LongSupplier clock,
        final long pollNanos,
        final long maxWaitNanos)
    {
        this.path = Objects.requireNonNull(path, "path");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.scheduler = scheduler;
        this.clock = clock;
        this.pollNanos = pollNanos;
        this.maxWaitNanos = maxWaitNanos;
    }

    /**
     * A producer for a complete local file.
     *
     * @param path      the file.
     * @param allocator allocates segment buffers.
     * @return the producer.
     */
    public static FileProducer of(final Path path, final ByteBufAllocator allocator)
    {
        return new FileProducer(path, allocator, null, null, 0, 0);
    }

    /**
     * A producer for a file that is still growing.
     *
     * @param path         the file.
     * @param allocator    allocates segment buffers.
     * @param scheduler    runs the size polls.
     * @param clock        nanosecond clock.
     * @param pollNanos    interval between size checks.
     * @param maxWaitNanos longest wait for a segment's bytes to appear.
     * @return the producer.
     */
    public static FileProducer following(
        final Path path,
        final ByteBufAllocator allocator,
        final ScheduledExecutorService scheduler,
        final LongSupplier clock,
        final long pollNanos,
        final long maxWaitNanos)
    {
        if (pollNanos <= 0 || maxWaitNanos < 0)
        {
            throw new IllegalArgumentException("pollNanos must be positive and maxWaitNanos non-negative");
        }
        return new FileProducer(path, allocator, Objects.requireNonNull(scheduler, "scheduler"),
            Objects.requireNonNull(clock, "clock"), pollNanos, maxWaitNanos);
    }

    @Override
    public CompletableFuture<ByteBuf> fetch(final SegmentRange range)
    {
        final CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        if (scheduler == null)
        {
            attempt(range, result, 0);
        }
        else
        {
            final long deadline = clock.getAsLong() + maxWaitNanos;
            attempt(range, result, deadline);
        }
        return result;
    }

    private void attempt(final SegmentRange range, final CompletableFuture<ByteBuf> result, final long deadline)
    {
        if (result.isDone())
        {
            return;
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < range.end())
            {
                if (scheduler != null && clock.getAsLong() - deadline < 0)
                {
                    final ScheduledFuture<?> poll = scheduler.schedule(
                        () -> attempt(range, result, deadline), pollNanos, TimeUnit.NANOSECONDS);
                    result.whenComplete((v, e) -> poll.cancel(false));
                    return;
                }
                result.completeExceptionally(new MicroDownloadException("source " + path + " has " + size +
                    " bytes, segment " + range.index() + " needs " + range.end()));
                return;
            }
            final ByteBuf buffer = allocator.buffer(range.length(), range.length());
            try
            {
                long position = range.offset();
                while (buffer.writableBytes() > 0)
                {
                    final int n = buffer.writeBytes(channel, position, buffer.writableBytes());
                    if (n < 0)
                    {
                        throw new IOException("unexpected end of " + path);
                    }
                    position += n;
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                buffer.release();
                throw ex;
            }
            if (!result.complete(buffer))
            {
                buffer.release();
            }
        }
        catch (final IOException ex)
        {
            result.completeExceptionally(new MicroDownloadException("cannot read " + path, ex));
        }
        catch (final RuntimeException ex)
        {
            result.completeExceptionally(ex);
        }
    }

    @Override
    public void close()
    {
        // Nothing owned: the scheduler belongs to the caller.
    }
}
