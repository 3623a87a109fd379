package dev.c2cast.microcast.download;

import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;

/**
 * Retrieves the bytes of a segment from the video source (microcast.txt V-D, Requester producers): an HTTP server
 * with range requests ({@link HttpRangeProducer}), a local file ({@link FileProducer}) or a file still being written
 * ({@link FileProducer#following}).
 * <p>
 * Threading: {@link #fetch} may be called from any thread; one fetch at a time per producer is the intended use.
 */
public interface SegmentProducer extends AutoCloseable
{
    /**
     * Starts retrieving a segment.
     *
     * @param range the segment.
     * @return completes with exactly {@code range.length()} readable bytes, which the caller must release, or
     *         exceptionally (a {@link MicroDownloadException} once retries are exhausted, or for a changed source);
     *         cancelling it aborts the transfer.
     */
    CompletableFuture<ByteBuf> fetch(SegmentRange range);

    /**
     * Releases connections and threads owned by the producer.
     */
    @Override
    void close();
}
