package dev.c2cast.microcast.download;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import io.netty.buffer.ByteBuf;

/**
 * The requester of one device (microcast.txt V-D): downloads the segments MicroDownload assigned to it, one after
 * another in assignment order, through its {@link SegmentProducer}, stores them in the {@link SegmentStore} and
 * reports each success or failure.
 * <p>
 * A segment already in the store (a restarted device) is reported at once without downloading it. A revoked
 * segment is dropped, and aborted if in progress, without a report.
 * <p>
 * Threading: methods may be called from any thread; all state is confined to the injected executor, which must run
 * tasks one at a time and may block on disk writes (not a Netty I/O loop).
 */
public final class Requester
{
    /** Prefix of the failure reason of a segment whose source changed; the download cannot go on. */
    public static final String SOURCE_CHANGED = "source changed: ";

    private final int deviceId;
    private final SegmentProducer producer;
    private final SegmentStore store;
    private final ReportSender reports;
    private final Executor executor;
    private final ArrayDeque<SegmentRange> backlog = new ArrayDeque<>();
    private SegmentRange inFlight;
    private CompletableFuture<ByteBuf> inFlightFuture;
    private volatile long bytesStored;
    private volatile int segmentsStored;
    private volatile int segmentsReused;
    private volatile int failures;

    /**
     * A requester.
     *
     * @param deviceId this device.
     * @param producer where segments come from.
     * @param store    where they go.
     * @param reports  where outcomes go.
     * @param executor the single thread all state is confined to.
     */
    public Requester(
        final int deviceId,
        final SegmentProducer producer,
        final SegmentStore store,
        final ReportSender reports,
        final Executor executor)
    {
        this.deviceId = deviceId;
        this.producer = Objects.requireNonNull(producer, "producer");
        this.store = Objects.requireNonNull(store, "store");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * This device.
     *
     * @return its id.
     */
    public int deviceId()
    {
        return deviceId;
    }

    /**
     * Handles a control message addressed to this device (assignments and revocations; others are ignored).
     *
     * @param message the message.
     */
    public void onMessage(final ControlMessage message)
    {
        if (message.deviceId() != deviceId)
        {
            return;
        }
        if (message instanceof ControlMessage.Assignment a)
        {
            onAssignment(a.segment());
        }
        else if (message instanceof ControlMessage.Revocation r)
        {
            onRevocation(r.segmentIndex());
        }
    }

    /**
     * Appends a segment to the backlog.
     *
     * @param range the segment.
     */
    public void onAssignment(final SegmentRange range)
    {
        Objects.requireNonNull(range, "range");
        executor.execute(() ->
        {
            backlog.addLast(range);
            pump();
        });
    }

    /**
     * Drops a segment from the backlog, aborting it if in progress.
     *
     * @param segmentIndex the segment.
     */
    public void onRevocation(final int segmentIndex)
    {
        executor.execute(() ->
        {
            backlog.removeIf(r -> r.index() == segmentIndex);
            if (inFlight != null && inFlight.index() == segmentIndex)
            {
                final CompletableFuture<ByteBuf> future = inFlightFuture;
                inFlight = null;
                inFlightFuture = null;
                future.cancel(true);
                pump();
            }
        });
    }

    /**
     * Bytes this requester downloaded and stored.
     *
     * @return the count.
     */
    public long bytesStored()
    {
        return bytesStored;
    }

    /**
     * Segments this requester downloaded and stored.
     *
     * @return the count.
     */
    public int segmentsStored()
    {
        return segmentsStored;
    }

    /**
     * Assigned segments found already stored (after a restart) and reported without downloading.
     *
     * @return the count.
     */
    public int segmentsReused()
    {
        return segmentsReused;
    }

    /**
     * Failures reported.
     *
     * @return the count.
     */
    public int failures()
    {
        return failures;
    }

    private void pump()
    {
        while (inFlight == null && !backlog.isEmpty())
        {
            final SegmentRange range = backlog.pollFirst();
            if (store.has(range.index()))
            {
                segmentsReused++;
                reports.send(new ControlMessage.Report(deviceId, range.index(), true, ""));
                continue;
            }
            final CompletableFuture<ByteBuf> future = producer.fetch(range);
            inFlight = range;
            inFlightFuture = future;
            future.whenComplete((buf, error) -> executor.execute(() -> done(range, future, buf, error)));
        }
    }

    private void done(final SegmentRange range, final CompletableFuture<ByteBuf> future, final ByteBuf buf,
        final Throwable error)
    {
        if (inFlightFuture != future)
        {
            // Revoked meanwhile: no report.
            if (buf != null)
            {
                buf.release();
            }
            return;
        }
        inFlight = null;
        inFlightFuture = null;
        if (error != null)
        {
            fail(range, error);
        }
        else
        {
            try
            {
                store.put(range, buf);
                bytesStored += range.length();
                segmentsStored++;
                reports.send(new ControlMessage.Report(deviceId, range.index(), true, ""));
            }
            catch (final IOException | MicroDownloadException ex)
            {
                fail(range, ex);
            }
            finally
            {
                buf.release();
            }
        }
        pump();
    }

    private void fail(final SegmentRange range, final Throwable error)
    {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof CancellationException) &&
            cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        failures++;
        final String reason = cause instanceof SourceChangedException ?
            SOURCE_CHANGED + cause.getMessage() : String.valueOf(cause.getMessage());
        reports.send(new ControlMessage.Report(deviceId, range.index(), false, reason));
    }
}
