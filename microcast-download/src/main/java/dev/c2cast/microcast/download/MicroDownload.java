package dev.c2cast.microcast.download;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * The MicroDownload scheduler (microcast.txt V-A, Alg. 1): decides which device downloads which segment over its
 * own cellular link.
 * <p>
 * Every joining device first gets {@link MicroDownloadConfig#initialBacklog()} segments; after that the next
 * unassigned segment (lowest index first, so playback can start early) always goes to the device with the
 * smallest backlog. Devices download their backlog in FIFO order and report each success or failure. A failed
 * segment, or every segment of a device that stayed silent for its detection timeout, is reassigned by backlog to
 * another device at once: to the least-loaded other device, which may then hold more than the initial backlog but
 * never more than {@link MicroDownloadConfig#maxBacklog()}; if every other device is at that bound, in exchange for
 * the not-yet-started, later tail segment of one of them. A device that fails or
 * stalls has its limit lowered (halved on failure, to {@link MicroDownloadConfig#minimumBacklog()} on a stall) but
 * keeps that small assignment; each success raises the limit by one back up to the initial backlog. After an
 * explicit failure a device gets no new segment for a backoff (1/16 of the detection timeout, doubling with each
 * consecutive failure up to the timeout), so a producer that fails at once does not churn through the file.
 * <p>
 * <b>Endgame duplicate.</b> When no unassigned segment is left and a device is idle, it is given a duplicate of
 * the outstanding segment expected to finish last (at most one duplicate per segment), if it is expected to beat
 * the holder. Whichever copy completes first wins and the other holder is sent a revocation. This is the only way
 * a segment is downloaded twice.
 * <p>
 * Threading: confined to one thread (an event loop in production, a virtual-clock simulator in tests); time comes
 * from the injected clock and ties are broken with the injected random source.
 */
public final class MicroDownload
{
    private static final byte PENDING = 0;
    private static final byte ASSIGNED = 1;
    private static final byte DONE = 2;
    private static final int NONE = -1;
    private static final double RATE_SMOOTHING = 0.3;

    private final MicroDownloadConfig config;
    private final long fileSize;
    private final int segmentCount;
    private final LongSupplier clock;
    private final SplittableRandom random;
    private final AssignmentSender sender;

    private final byte[] state;
    private final int[] holder;
    private final int[] duplicateHolder;
    private final int[] lastFailedDevice;
    private final BitSet pending;
    private final Map<Integer, Device> devices = new LinkedHashMap<>();
    private final Map<Integer, DeviceStatistics> departed = new LinkedHashMap<>();
    private final List<Device> candidates = new ArrayList<>();
    private int doneCount;
    private int pendingCount;
    /** No segment below this index is pending: keeps the search for the next segment O(1) amortised. */
    private int firstPending;
    private long endgameDuplicates;
    private long completedAtNanos = -1;

    /**
     * A scheduler for a file of {@code fileSize} bytes, with no device yet.
     *
     * @param config   parameters.
     * @param fileSize bytes of the file, positive.
     * @param clock    nanosecond clock.
     * @param random   tie-breaking random source.
     * @param sender   where assignments and revocations go.
     */
    public MicroDownload(
        final MicroDownloadConfig config,
        final long fileSize,
        final LongSupplier clock,
        final SplittableRandom random,
        final AssignmentSender sender)
    {
        if (fileSize <= 0)
        {
            throw new IllegalArgumentException("file size must be positive: " + fileSize);
        }
        this.config = Objects.requireNonNull(config, "config");
        this.fileSize = fileSize;
        this.segmentCount = SegmentRange.count(fileSize, config.segmentSize());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.state = new byte[segmentCount];
        this.holder = new int[segmentCount];
        this.duplicateHolder = new int[segmentCount];
        this.lastFailedDevice = new int[segmentCount];
        Arrays.fill(holder, NONE);
        Arrays.fill(duplicateHolder, NONE);
        Arrays.fill(lastFailedDevice, NONE);
        this.pending = new BitSet(segmentCount);
        pending.set(0, segmentCount);
        pendingCount = segmentCount;
    }

    /**
     * Adds a device to the group; it is given its initial assignment at once.
     *
     * @param deviceId a non-negative id not currently in the group.
     */
    public void join(final int deviceId)
    {
        if (deviceId < 0)
        {
            throw new IllegalArgumentException("device id must be non-negative: " + deviceId);
        }
        if (devices.containsKey(deviceId))
        {
            throw new IllegalStateException("device already joined: " + deviceId);
        }
        departed.remove(deviceId);
        final Device device = new Device(deviceId, config.initialBacklog(), clock.getAsLong());
        devices.put(deviceId, device);
        assignPending();
    }

    /**
     * Removes a device; its segments are reassigned by backlog. No revocation is sent to it.
     *
     * @param deviceId a device in the group.
     */
    public void leave(final int deviceId)
    {
        final Device device = device(deviceId);
        devices.remove(deviceId);
        while (!device.backlog.isEmpty())
        {
            final int segment = device.backlog.pollFirst();
            device.stats.reassignedAway++;
            release(segment, device, false);
        }
        departed.put(deviceId, device.statistics(clock.getAsLong()));
        assignPending();
    }

    /**
     * A device reports that it downloaded and stored a segment.
     *
     * @param deviceId     the reporting device.
     * @param segmentIndex the segment.
     * @return {@code true} if this completed the segment, {@code false} for a stale or duplicate report.
     */
    public boolean onSuccess(final int deviceId, final int segmentIndex)
    {
        checkIndex(segmentIndex);
        final Device device = devices.get(deviceId);
        if (device == null || state[segmentIndex] == DONE)
        {
            if (device != null && device.backlog.removeFirstOccurrence(segmentIndex))
            {
                device.progress(clock.getAsLong());
                assignPending();
            }
            return false;
        }
        final long now = clock.getAsLong();
        final boolean held = device.backlog.removeFirstOccurrence(segmentIndex);
        final int length = range(segmentIndex).length();
        device.completed(now, length);
        device.consecutiveFailures = 0;
        device.coolUntilNanos = now;
        if (device.limit < config.initialBacklog())
        {
            device.limit++;
        }
        state[segmentIndex] = DONE;
        clearPending(segmentIndex);
        doneCount++;
        if (!held)
        {
            // A late report for a segment revoked from this device (the revocation crossed the report).
            device.stats.lateCompletions++;
        }
        revokeOtherCopy(holder[segmentIndex], deviceId, segmentIndex);
        revokeOtherCopy(duplicateHolder[segmentIndex], deviceId, segmentIndex);
        holder[segmentIndex] = NONE;
        duplicateHolder[segmentIndex] = NONE;
        if (doneCount == segmentCount)
        {
            completedAtNanos = now;
        }
        assignPending();
        return true;
    }

    private void revokeOtherCopy(final int otherId, final int winnerId, final int segmentIndex)
    {
        if (otherId == NONE || otherId == winnerId)
        {
            return;
        }
        final Device other = devices.get(otherId);
        if (other != null && other.backlog.removeFirstOccurrence(segmentIndex))
        {
            sender.revoke(otherId, segmentIndex);
        }
    }

    /**
     * A device reports that it could not download a segment; the segment is reassigned by backlog.
     *
     * @param deviceId     the reporting device.
     * @param segmentIndex the segment.
     */
    public void onFailure(final int deviceId, final int segmentIndex)
    {
        checkIndex(segmentIndex);
        final Device device = devices.get(deviceId);
        if (device == null || !device.backlog.removeFirstOccurrence(segmentIndex))
        {
            return;
        }
        device.progress(clock.getAsLong());
        device.stats.failures++;
        device.limit = Math.max(config.minimumBacklog(), device.limit / 2);
        device.consecutiveFailures++;
        device.coolUntilNanos = clock.getAsLong() + failureBackoff(device.consecutiveFailures);
        trimToLimit(device);
        release(segmentIndex, device, true);
        assignPending();
    }

    /**
     * Detects stalled devices: a device holding work that stayed silent longer than its detection timeout has all
     * its segments reassigned and keeps only the minimum assignment.
     *
     * @return the number of devices declared stalled.
     */
    public int doWork()
    {
        final long now = clock.getAsLong();
        int work = 0;
        candidates.clear();
        for (final Device device : devices.values())
        {
            if (!device.backlog.isEmpty() && now - device.headStartNanos >= timeoutOf(device))
            {
                candidates.add(device);
            }
        }
        for (int i = 0, n = candidates.size(); i < n; i++)
        {
            final Device device = candidates.get(i);
            device.stats.timeouts++;
            device.limit = config.minimumBacklog();
            device.progress(now);
            while (!device.backlog.isEmpty())
            {
                final int segment = device.backlog.pollFirst();
                sender.revoke(device.id, segment);
                release(segment, device, true);
            }
            work++;
        }
        candidates.clear();
        // Also hands work to devices whose failure backoff has just ended.
        assignPending();
        return work;
    }

    /**
     * The earliest time at which {@link #doWork()} may declare a device stalled, for scheduling a timer.
     *
     * @return a clock value, or {@link Long#MAX_VALUE} when no device holds work.
     */
    public long nextDeadlineNanos()
    {
        long deadline = Long.MAX_VALUE;
        for (final Device device : devices.values())
        {
            if (!device.backlog.isEmpty())
            {
                deadline = Math.min(deadline, device.headStartNanos + timeoutOf(device));
            }
            if (device.cooling(clock.getAsLong()))
            {
                deadline = Math.min(deadline, device.coolUntilNanos);
            }
        }
        return deadline;
    }

    /**
     * Whether every segment has been completed.
     *
     * @return {@code true} once the download is complete.
     */
    public boolean isComplete()
    {
        return doneCount == segmentCount;
    }

    /**
     * When the last segment was completed.
     *
     * @return a clock value, or -1 while incomplete.
     */
    public long completedAtNanos()
    {
        return completedAtNanos;
    }

    /**
     * Number of segments of the file.
     *
     * @return the count.
     */
    public int segmentCount()
    {
        return segmentCount;
    }

    /**
     * Number of completed segments.
     *
     * @return the count.
     */
    public int completedCount()
    {
        return doneCount;
    }

    /**
     * Number of segments assigned to no device.
     *
     * @return the count.
     */
    public int pendingCount()
    {
        return pendingCount;
    }

    /**
     * Whether a segment has been completed.
     *
     * @param segmentIndex the segment.
     * @return {@code true} if completed.
     */
    public boolean isCompleted(final int segmentIndex)
    {
        checkIndex(segmentIndex);
        return state[segmentIndex] == DONE;
    }

    /**
     * The byte range of a segment.
     *
     * @param segmentIndex the segment.
     * @return its range.
     */
    public SegmentRange range(final int segmentIndex)
    {
        return SegmentRange.of(segmentIndex, fileSize, config.segmentSize());
    }

    /**
     * Endgame duplicates handed out so far.
     *
     * @return the count.
     */
    public long endgameDuplicates()
    {
        return endgameDuplicates;
    }

    /**
     * The current backlog of a device, oldest first.
     *
     * @param deviceId a device in the group.
     * @return a copy of its segment indices.
     */
    public int[] backlog(final int deviceId)
    {
        final Device device = device(deviceId);
        final int[] copy = new int[device.backlog.size()];
        int i = 0;
        for (final int segment : device.backlog)
        {
            copy[i++] = segment;
        }
        return copy;
    }

    /**
     * Whether a device is in the group.
     *
     * @param deviceId the device.
     * @return {@code true} if it joined and has not left.
     */
    public boolean isMember(final int deviceId)
    {
        return devices.containsKey(deviceId);
    }

    /**
     * Statistics of a device, current or departed.
     *
     * @param deviceId the device.
     * @return its statistics.
     */
    public DeviceStatistics statistics(final int deviceId)
    {
        final Device device = devices.get(deviceId);
        if (device != null)
        {
            return device.statistics(clock.getAsLong());
        }
        final DeviceStatistics gone = departed.get(deviceId);
        if (gone == null)
        {
            throw new IllegalArgumentException("unknown device: " + deviceId);
        }
        return gone;
    }

    /**
     * Statistics of every device in the group, in join order.
     *
     * @return a new list of snapshots.
     */
    public List<DeviceStatistics> statistics()
    {
        final List<DeviceStatistics> all = new ArrayList<>(devices.size());
        for (final Device device : devices.values())
        {
            all.add(device.statistics(clock.getAsLong()));
        }
        return all;
    }

    private long failureBackoff(final int consecutiveFailures)
    {
        final long base = Math.max(1, config.stallTimeoutNanos() / 16);
        return Math.min(config.stallTimeoutNanos(), base << Math.min(4, consecutiveFailures - 1));
    }

    private long timeoutOf(final Device device)
    {
        final long own = device.segmentNanos > 0 ? (long)(device.segmentNanos * config.stallTimeoutFactor()) : 0;
        return Math.max(config.stallTimeoutNanos(), own);
    }

    private Device device(final int deviceId)
    {
        final Device device = devices.get(deviceId);
        if (device == null)
        {
            throw new IllegalArgumentException("not a member: " + deviceId);
        }
        return device;
    }

    private void checkIndex(final int segmentIndex)
    {
        if (segmentIndex < 0 || segmentIndex >= segmentCount)
        {
            throw new IllegalArgumentException("no segment " + segmentIndex + " in " + segmentCount);
        }
    }

    private void trimToLimit(final Device device)
    {
        // Only not-yet-started tail segments are given back; the head may be in progress.
        while (device.backlog.size() > device.limit && device.backlog.size() > 1)
        {
            final int tail = device.backlog.pollLast();
            sender.revoke(device.id, tail);
            release(tail, device, false);
        }
    }

    /**
     * The segment no longer belongs to {@code from}: keep it with its other holder, or move it to another device
     * by backlog, or make it pending.
     */
    private void release(final int segment, final Device from, final boolean failed)
    {
        if (state[segment] != ASSIGNED)
        {
            return;
        }
        if (holder[segment] == from.id)
        {
            holder[segment] = duplicateHolder[segment];
            duplicateHolder[segment] = NONE;
        }
        else if (duplicateHolder[segment] == from.id)
        {
            duplicateHolder[segment] = NONE;
        }
        if (holder[segment] != NONE)
        {
            return;
        }
        if (failed)
        {
            lastFailedDevice[segment] = from.id;
            from.stats.reassignedAway++;
            if (reassignElsewhere(segment, from))
            {
                return;
            }
        }
        state[segment] = PENDING;
        setPending(segment);
    }

    private boolean reassignElsewhere(final int segment, final Device from)
    {
        final long now = clock.getAsLong();
        Device target = null;
        Device withTail = null;
        int ties = 0;
        for (final Device device : devices.values())
        {
            if (device == from || device.cooling(now))
            {
                continue;
            }
            final int size = device.backlog.size();
            if (size < config.maxBacklog())
            {
                if (target == null || size < target.backlog.size())
                {
                    target = device;
                    ties = 1;
                }
                else if (size == target.backlog.size() && random.nextInt(++ties) == 0)
                {
                    target = device;
                }
            }
            else if (device.backlog.peekLast() > segment && !isDuplicateHeldBy(device.backlog.peekLast(), device) &&
                (withTail == null || size < withTail.backlog.size()))
            {
                withTail = device;
            }
        }
        if (target == null && withTail != null)
        {
            // Swap: the least-loaded other device gives back its newest, not yet started, less urgent segment.
            target = withTail;
            final int tail = target.backlog.pollLast();
            sender.revoke(target.id, tail);
            release(tail, target, false);
        }
        if (target == null)
        {
            return false;
        }
        target.stats.reassignedTo++;
        give(segment, target, false);
        return true;
    }

    private void give(final int segment, final Device device, final boolean duplicate)
    {
        if (duplicate)
        {
            duplicateHolder[segment] = device.id;
            device.stats.endgameDuplicates++;
            endgameDuplicates++;
        }
        else
        {
            state[segment] = ASSIGNED;
            holder[segment] = device.id;
            clearPending(segment);
        }
        if (device.backlog.isEmpty())
        {
            device.headStartNanos = clock.getAsLong();
        }
        device.backlog.addLast(segment);
        sender.assign(device.id, range(segment), duplicate);
    }

    private void setPending(final int segment)
    {
        if (!pending.get(segment))
        {
            pending.set(segment);
            pendingCount++;
            firstPending = Math.min(firstPending, segment);
        }
    }

    private void clearPending(final int segment)
    {
        if (pending.get(segment))
        {
            pending.clear(segment);
            pendingCount--;
            if (segment == firstPending)
            {
                final int next = pending.nextSetBit(segment + 1);
                firstPending = next < 0 ? segmentCount : next;
            }
        }
    }

    private void assignPending()
    {
        // First pass: a device is not handed back a segment it just failed while another device could take it;
        // it takes a later segment instead, so a bad link does not hold up the segments needed first.
        int segment = pending.nextSetBit(firstPending);
        while (segment >= 0)
        {
            final Device target = smallestBacklogWithRoom(lastFailedDevice[segment]);
            if (target == null)
            {
                break;
            }
            if (target.id != lastFailedDevice[segment])
            {
                give(segment, target, false);
            }
            segment = pending.nextSetBit(segment + 1);
        }
        segment = pending.nextSetBit(firstPending);
        while (segment >= 0)
        {
            final Device target = smallestBacklogWithRoom(NONE);
            if (target == null)
            {
                return;
            }
            give(segment, target, false);
            segment = pending.nextSetBit(segment + 1);
        }
        if (config.endgame() && doneCount < segmentCount)
        {
            assignEndgame();
        }
    }

    private boolean isDuplicateHeldBy(final int segment, final Device device)
    {
        return duplicateHolder[segment] == device.id;
    }

    private Device smallestBacklogWithRoom(final int avoid)
    {
        final long now = clock.getAsLong();
        Device best = null;
        int ties = 0;
        for (final Device device : devices.values())
        {
            final int size = device.backlog.size();
            if (size >= device.limit || device.cooling(now))
            {
                continue;
            }
            if (best == null || better(device, best, avoid))
            {
                best = device;
                ties = 1;
            }
            else if (!better(best, device, avoid) && random.nextInt(++ties) == 0)
            {
                best = device;
            }
        }
        return best;
    }

    private static boolean better(final Device a, final Device b, final int avoid)
    {
        final boolean aAvoided = a.id == avoid;
        final boolean bAvoided = b.id == avoid;
        if (aAvoided != bAvoided)
        {
            return bAvoided;
        }
        return a.backlog.size() < b.backlog.size();
    }

    private void assignEndgame()
    {
        final long now = clock.getAsLong();
        candidates.clear();
        candidates.addAll(devices.values());
        for (int i = 0, n = candidates.size(); i < n; i++)
        {
            final Device idle = candidates.get(i);
            // Only a device that is idle, has a measured rate and is not failing gets a duplicate.
            if (idle.backlog.isEmpty() && idle.segmentNanos > 0 && idle.consecutiveFailures == 0 && !idle.cooling(now))
            {
                giveDuplicate(idle, now);
            }
        }
        candidates.clear();
    }

    private boolean giveDuplicate(final Device idle, final long now)
    {
        final long ownFinish = now + (idle.backlog.size() + 1) * idle.segmentNanos;
        int latestSegment = NONE;
        long latestFinish = Long.MIN_VALUE;
        for (final Device device : devices.values())
        {
            if (device == idle)
            {
                continue;
            }
            int position = 0;
            final Iterator<Integer> it = device.backlog.iterator();
            while (it.hasNext())
            {
                final int segment = it.next();
                position++;
                if (duplicateHolder[segment] != NONE || holder[segment] != device.id)
                {
                    continue;
                }
                final long finish = expectedFinish(device, position, now);
                if (finish > latestFinish)
                {
                    latestFinish = finish;
                    latestSegment = segment;
                }
            }
        }
        if (latestSegment == NONE || latestFinish <= ownFinish)
        {
            return false;
        }
        give(latestSegment, idle, true);
        return true;
    }

    private long expectedFinish(final Device device, final int position, final long now)
    {
        if (device.segmentNanos <= 0)
        {
            // Nothing measured yet: assume it may take as long as the detection timeout per segment.
            return device.headStartNanos + position * config.stallTimeoutNanos();
        }
        final long finish = device.headStartNanos + position * device.segmentNanos;
        if (finish < now)
        {
            // Overdue: the link is worse than measured.
            return Long.MAX_VALUE - (device.backlog.size() - position);
        }
        return finish;
    }

    private static final class Stats
    {
        long bytes;
        int completed;
        int failures;
        int timeouts;
        int reassignedAway;
        int reassignedTo;
        int endgameDuplicates;
        int lateCompletions;
    }

    private static final class Device
    {
        final int id;
        final ArrayDeque<Integer> backlog = new ArrayDeque<>();
        final Stats stats = new Stats();
        int limit;
        long headStartNanos;
        long segmentNanos;
        double smoothedBytes;
        int consecutiveFailures;
        long coolUntilNanos;
        double rateBytesPerSecond;

        Device(final int id, final int limit, final long now)
        {
            this.id = id;
            this.limit = limit;
            this.headStartNanos = now;
            this.coolUntilNanos = now;
        }

        void progress(final long now)
        {
            headStartNanos = now;
        }

        boolean cooling(final long now)
        {
            return consecutiveFailures > 0 && now - coolUntilNanos < 0;
        }

        void completed(final long now, final int length)
        {
            final long took = Math.max(1, now - headStartNanos);
            // Smoothing time and bytes separately keeps the rate sane when reports arrive in bursts.
            if (segmentNanos == 0)
            {
                segmentNanos = took;
                smoothedBytes = length;
            }
            else
            {
                segmentNanos = (long)(RATE_SMOOTHING * took + (1 - RATE_SMOOTHING) * segmentNanos);
                smoothedBytes = RATE_SMOOTHING * length + (1 - RATE_SMOOTHING) * smoothedBytes;
            }
            rateBytesPerSecond = smoothedBytes * 1e9 / Math.max(1, segmentNanos);
            stats.bytes += length;
            stats.completed++;
            headStartNanos = now;
        }

        DeviceStatistics statistics(final long now)
        {
            return new DeviceStatistics(id, stats.bytes, stats.completed, backlog.size(), limit, cooling(now),
                stats.failures, stats.timeouts, stats.reassignedAway, stats.reassignedTo, stats.endgameDuplicates,
                stats.lateCompletions, rateBytesPerSecond);
        }
    }
}
