package dev.c2cast.microcast.download;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Drives a {@link MicroDownload} scheduler for requesters in this process: assignments go straight to the
 * requesters, their reports come back to the scheduler, and a timer runs stall detection every scheduling step.
 * Over a real group the same wiring goes through {@link MessagingAssignmentSender} and {@link ControlCodec}.
 * <p>
 * Threading: the scheduler is confined to the injected single-threaded scheduled executor; public methods may be
 * called from any thread.
 */
public final class DownloadSession implements AutoCloseable
{
    private final ScheduledExecutorService loop;
    private final MicroDownload scheduler;
    private final Map<Integer, Requester> requesters = new LinkedHashMap<>();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final long stepNanos;
    private ScheduledFuture<?> ticker;

    /**
     * A session for one file.
     *
     * @param config    scheduler parameters.
     * @param fileSize  bytes of the file.
     * @param loop      single-threaded executor the scheduler is confined to; owned by the caller.
     * @param clock     nanosecond clock.
     * @param random    tie-breaking random source.
     * @param stepNanos interval of stall detection (the scheduling step).
     */
    public DownloadSession(
        final MicroDownloadConfig config,
        final long fileSize,
        final ScheduledExecutorService loop,
        final LongSupplier clock,
        final SplittableRandom random,
        final long stepNanos)
    {
        if (stepNanos <= 0)
        {
            throw new IllegalArgumentException("stepNanos must be positive: " + stepNanos);
        }
        this.loop = Objects.requireNonNull(loop, "loop");
        this.stepNanos = stepNanos;
        this.scheduler = new MicroDownload(config, fileSize, clock, random, new AssignmentSender()
        {
            @Override
            public void assign(final int deviceId, final SegmentRange segment, final long lease,
                final boolean endgameDuplicate)
            {
                requesters.get(deviceId).assign(segment, lease);
            }

            @Override
            public void revoke(final int deviceId, final int segmentIndex, final long lease)
            {
                final Requester requester = requesters.get(deviceId);
                if (requester != null)
                {
                    requester.revoke(segmentIndex, lease);
                }
            }
        });
    }

    /**
     * Where requesters of this session send their reports.
     *
     * @return a thread-safe report sender.
     */
    public ReportSender reports()
    {
        return report -> loop.execute(() -> onReport(report));
    }

    /**
     * Adds a device; it gets its initial assignment at once.
     *
     * @param requester the device's requester, built with {@link #reports()}.
     */
    public void join(final Requester requester)
    {
        loop.execute(() ->
        {
            requesters.put(requester.deviceId(), requester);
            scheduler.join(requester.deviceId());
            if (ticker == null)
            {
                ticker = loop.scheduleAtFixedRate(this::tick, stepNanos, stepNanos, TimeUnit.NANOSECONDS);
            }
        });
    }

    /**
     * Removes a device; its segments are reassigned.
     *
     * @param deviceId the device.
     */
    public void leave(final int deviceId)
    {
        loop.execute(() ->
        {
            scheduler.leave(deviceId);
            requesters.remove(deviceId);
        });
    }

    /**
     * Completes when every segment is stored somewhere in the group, or exceptionally with a
     * {@link SourceChangedException} if the source changed.
     *
     * @return the completion.
     */
    public CompletableFuture<Void> completion()
    {
        return completion;
    }

    /**
     * Per-device statistics.
     *
     * @return snapshots, in join order.
     */
    public List<DeviceStatistics> statistics()
    {
        return CompletableFuture.supplyAsync(scheduler::statistics, loop).join();
    }

    /**
     * Completed segments.
     *
     * @return the count.
     */
    public int completedCount()
    {
        return CompletableFuture.supplyAsync(scheduler::completedCount, loop).join();
    }

    @Override
    public void close()
    {
        loop.execute(() ->
        {
            if (ticker != null)
            {
                ticker.cancel(false);
            }
            completion.completeExceptionally(new MicroDownloadException("session closed"));
        });
    }

    private void onReport(final ControlMessage.Report report)
    {
        if (apply(scheduler, report, completion) && ticker != null)
        {
            ticker.cancel(false);
        }
    }

    /**
     * Applies a device's report to a scheduler: a changed source fails the download, anything else goes to
     * {@link MicroDownload#onReport}; the completion completes with the last segment.
     *
     * @return {@code true} if this report ended the download.
     */
    static boolean apply(
        final MicroDownload scheduler, final ControlMessage.Report report, final CompletableFuture<Void> completion)
    {
        if (completion.isDone() || !scheduler.isMember(report.deviceId()))
        {
            return false;
        }
        if (report.outcome() == ControlMessage.Outcome.FAILED &&
            report.failureReason().startsWith(Requester.SOURCE_CHANGED))
        {
            return completion.completeExceptionally(new SourceChangedException(report.failureReason()));
        }
        scheduler.onReport(report.deviceId(), report.segmentIndex(), report.lease(), report.outcome());
        return scheduler.isComplete() && completion.complete(null);
    }

    private void tick()
    {
        if (!completion.isDone())
        {
            scheduler.doWork();
        }
    }
}
