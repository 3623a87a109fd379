package dev.c2cast.microcast.download;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import io.netty.buffer.ByteBuf;

/**
 * The requester of one device (microcast.txt V-D): downloads the segments MicroDownload leased to it, one after
 * another in assignment order, through its {@link SegmentProducer}, stores them in the {@link SegmentStore} and
 * reports the outcome of each lease.
 * <p>
 * Lease rules, which let the scheduler hand a revoked segment to another device without a double download: a
 * segment is downloaded only under a lease this requester holds; a repeated assignment of a lease is ignored; every
 * revocation is answered with a report ({@link ControlMessage.Outcome#STORED} if the lease's segment was already
 * stored, {@link ControlMessage.Outcome#DROPPED} after dropping or aborting it, the earlier outcome for a lease
 * already ended); a revocation that arrives before its assignment is remembered, and that assignment is never
 * started. A segment already in the store (a restarted device) is reported at once without downloading it.
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
    private final ArrayDeque<ControlMessage.Assignment> backlog = new ArrayDeque<>();
    /** Leases that ended here (stored, failed, dropped or revoked before they arrived), with their outcome. */
    private final Map<Long, ControlMessage.Outcome> ended = new HashMap<>();
    private ControlMessage.Assignment inFlight;
    private boolean stopped;
    private CompletableFuture<ByteBuf> inFlightFuture;
    private volatile long bytesStored;
    private volatile int segmentsStored;
    private volatile int segmentsReused;
    private volatile int failures;
    private volatile int revocations;

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
            assign(a.segment(), a.lease());
        }
        else if (message instanceof ControlMessage.Revocation r)
        {
            revoke(r.segmentIndex(), r.lease());
        }
    }

    /**
     * Appends a segment to the backlog under a lease, unless that lease was seen before.
     *
     * @param range the segment.
     * @param lease the lease.
     */
    public void assign(final SegmentRange range, final long lease)
    {
        final ControlMessage.Assignment assignment = new ControlMessage.Assignment(deviceId, range, lease, false);
        executor.execute(() -> onAssignment(assignment));
    }

    /**
     * Revokes a lease: drops its segment from the backlog or aborts it, and answers with a report.
     *
     * @param segmentIndex the segment.
     * @param lease        the lease.
     */
    public void revoke(final int segmentIndex, final long lease)
    {
        executor.execute(() -> onRevocation(segmentIndex, lease));
    }

    /**
     * Stops serving, for a device that leaves the download: drops every queued lease and aborts the one in progress,
     * without reports; later assignments are ignored and later revocations still answered.
     */
    public void stop()
    {
        executor.execute(() ->
        {
            stopped = true;
            for (final ControlMessage.Assignment queued : backlog)
            {
                ended.put(queued.lease(), ControlMessage.Outcome.DROPPED);
            }
            backlog.clear();
            if (inFlight != null)
            {
                final CompletableFuture<ByteBuf> future = inFlightFuture;
                ended.put(inFlight.lease(), ControlMessage.Outcome.DROPPED);
                inFlight = null;
                inFlightFuture = null;
                future.cancel(true);
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

    /**
     * Revocations received.
     *
     * @return the count.
     */
    public int revocations()
    {
        return revocations;
    }

    private void onAssignment(final ControlMessage.Assignment assignment)
    {
        if (stopped || ended.containsKey(assignment.lease()) || holds(assignment.lease()))
        {
            // A repeated delivery, or the assignment of a lease revoked before it arrived: never started.
            return;
        }
        backlog.addLast(assignment);
        pump();
    }

    private boolean holds(final long lease)
    {
        if (inFlight != null && inFlight.lease() == lease)
        {
            return true;
        }
        for (final ControlMessage.Assignment queued : backlog)
        {
            if (queued.lease() == lease)
            {
                return true;
            }
        }
        return false;
    }

    private void onRevocation(final int segmentIndex, final long lease)
    {
        revocations++;
        final ControlMessage.Outcome earlier = ended.get(lease);
        if (earlier != null)
        {
            report(segmentIndex, lease, earlier, "");
            return;
        }
        for (final Iterator<ControlMessage.Assignment> it = backlog.iterator(); it.hasNext();)
        {
            if (it.next().lease() == lease)
            {
                it.remove();
                break;
            }
        }
        final boolean aborting = inFlight != null && inFlight.lease() == lease;
        ended.put(lease, ControlMessage.Outcome.DROPPED);
        report(segmentIndex, lease, ControlMessage.Outcome.DROPPED, "");
        if (aborting)
        {
            final CompletableFuture<ByteBuf> future = inFlightFuture;
            inFlight = null;
            inFlightFuture = null;
            future.cancel(true);
            pump();
        }
    }

    private void report(final int segmentIndex, final long lease, final ControlMessage.Outcome outcome,
        final String reason)
    {
        reports.send(new ControlMessage.Report(deviceId, segmentIndex, lease, outcome, reason));
    }

    private void pump()
    {
        while (inFlight == null && !backlog.isEmpty())
        {
            final ControlMessage.Assignment next = backlog.pollFirst();
            final SegmentRange range = next.segment();
            if (range.index() >= store.segmentCount() || !range.equals(store.range(range.index())))
            {
                // An assignment that does not describe a segment of this file: failed, never fetched.
                fail(next, new MicroDownloadException("segment range " + range + " does not belong to this file"));
                continue;
            }
            if (store.has(range.index()))
            {
                segmentsReused++;
                ended.put(next.lease(), ControlMessage.Outcome.STORED);
                report(range.index(), next.lease(), ControlMessage.Outcome.STORED, "");
                continue;
            }
            final CompletableFuture<ByteBuf> future = producer.fetch(range);
            inFlight = next;
            inFlightFuture = future;
            future.whenComplete((buf, error) -> executor.execute(() -> done(next, future, buf, error)));
        }
    }

    private void done(final ControlMessage.Assignment lease, final CompletableFuture<ByteBuf> future, final ByteBuf buf,
        final Throwable error)
    {
        if (inFlightFuture != future)
        {
            // Revoked meanwhile: already answered DROPPED, nothing stored.
            if (buf != null)
            {
                buf.release();
            }
            return;
        }
        inFlight = null;
        inFlightFuture = null;
        final SegmentRange range = lease.segment();
        if (error != null)
        {
            fail(lease, error);
        }
        else
        {
            try
            {
                store.put(range, buf);
                bytesStored += range.length();
                segmentsStored++;
                ended.put(lease.lease(), ControlMessage.Outcome.STORED);
                report(range.index(), lease.lease(), ControlMessage.Outcome.STORED, "");
            }
            catch (final IOException | MicroDownloadException ex)
            {
                fail(lease, ex);
            }
            finally
            {
                buf.release();
            }
        }
        pump();
    }

    private void fail(final ControlMessage.Assignment lease, final Throwable error)
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
        ended.put(lease.lease(), ControlMessage.Outcome.FAILED);
        report(lease.segment().index(), lease.lease(), ControlMessage.Outcome.FAILED, reason);
    }
}
