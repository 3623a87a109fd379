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
 * <b>Leases.</b> Every assignment is a lease with a number never reused. A segment whose only copy is taken from a
 * live device (to trim a failing device's backlog, or in a swap) is <em>revoking</em> until that device answers the
 * revocation: with {@link ControlMessage.Outcome#STORED} (it had finished; the segment is complete) or
 * {@link ControlMessage.Outcome#DROPPED} (it never will; only now is the segment handed to someone else). The
 * answer is matched by lease number, so delayed, reordered or repeated control messages cannot make two devices
 * download a segment. A revoking segment still counts in the device's backlog bound.
 * <p>
 * <b>The only double downloads.</b> (1) The <em>endgame duplicate</em>: when no unassigned segment is left and a
 * device is idle, it is given a second lease of the outstanding segment expected to finish last, if it is expected
 * to beat the holder; at most once per segment; whichever copy completes first wins and the other lease is revoked.
 * (2) A <em>dead holder</em>: a device declared stalled by the detection timeout, or that left, loses its leases
 * at once without an answer; if it was in fact alive and stores such a segment before the revocation reaches it,
 * that is one more download of the segment per such holder (its late report is accepted if the segment is not yet
 * complete). Nothing else downloads a segment twice.
 * <p>
 * Threading: confined to one thread (an event loop in production, a virtual-clock simulator in tests); time comes
 * from the injected clock and ties are broken with the injected random source.
 */
public final class MicroDownload
{
    private static final byte PENDING = 0;
    private static final byte ASSIGNED = 1;
    private static final byte REVOKING = 2;
    private static final byte DONE = 3;
    private static final int NONE = -1;
    private static final long NO_LEASE = 0;
    private static final double RATE_SMOOTHING = 0.3;

    private final MicroDownloadConfig config;
    private final long fileSize;
    private final int segmentCount;
    private final LongSupplier clock;
    private final SplittableRandom random;
    private final AssignmentSender sender;

    private final byte[] state;
    private final int[] holder;
    private final long[] lease;
    private final int[] duplicateHolder;
    private final long[] duplicateLease;
    private final int[] lastFailedDevice;
    private final BitSet pending;
    /** Pending segments taken from a failed or stalled device: they may go above a device's limit, up to the bound. */
    private final BitSet urgent;
    /** Segments that were ever given an endgame duplicate: never a second one. */
    private final BitSet duplicated;
    private final Map<Integer, Device> devices = new LinkedHashMap<>();
    private final Map<Integer, DeviceStatistics> departed = new LinkedHashMap<>();
    private final List<Device> candidates = new ArrayList<>();
    private long nextLease = 1;
    private int doneCount;
    private int pendingCount;
    private int revokingCount;
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
        this.lease = new long[segmentCount];
        this.duplicateHolder = new int[segmentCount];
        this.duplicateLease = new long[segmentCount];
        this.lastFailedDevice = new int[segmentCount];
        Arrays.fill(holder, NONE);
        Arrays.fill(duplicateHolder, NONE);
        Arrays.fill(lastFailedDevice, NONE);
        this.pending = new BitSet(segmentCount);
        this.urgent = new BitSet(segmentCount);
        this.duplicated = new BitSet(segmentCount);
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
     * Removes a device; its leases end at once (a dead holder: no revocation is sent and no answer awaited) and its
     * segments are reassigned by backlog. Its later reports are ignored.
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
        while (!device.revoking.isEmpty())
        {
            endRevocation(device.revoking.pollFirst());
        }
        departed.put(deviceId, device.statistics(clock.getAsLong()));
        assignPending();
    }

    /**
     * A device reports what became of a lease: after the download ended, or in answer to a revocation.
     *
     * @param deviceId     the reporting device.
     * @param segmentIndex the segment.
     * @param leaseNumber  the lease the report is about.
     * @param outcome      what became of it.
     * @return {@code true} if this completed the segment.
     */
    public boolean onReport(
        final int deviceId, final int segmentIndex, final long leaseNumber, final ControlMessage.Outcome outcome)
    {
        checkIndex(segmentIndex);
        Objects.requireNonNull(outcome, "outcome");
        final Device device = devices.get(deviceId);
        if (device == null || state[segmentIndex] == DONE)
        {
            // A non-member's report, or about a complete segment (every lease of it was already ended).
            return false;
        }
        final boolean current = state[segmentIndex] == ASSIGNED &&
            (holder[segmentIndex] == deviceId && lease[segmentIndex] == leaseNumber ||
            duplicateHolder[segmentIndex] == deviceId && duplicateLease[segmentIndex] == leaseNumber);
        final boolean answering = state[segmentIndex] == REVOKING && holder[segmentIndex] == deviceId &&
            lease[segmentIndex] == leaseNumber;
        final long now = clock.getAsLong();
        if (outcome == ControlMessage.Outcome.STORED)
        {
            if (current)
            {
                removeFromBacklog(device, segmentIndex, now);
                device.completed(now, segmentLength(segmentIndex));
            }
            else
            {
                if (answering)
                {
                    device.answered(now);
                }
                else
                {
                    // A lease ended without an answer (the device was declared stalled, or it was a revoked endgame
                    // copy): the data is valid, so the segment is complete; the dead-holder duplicate of the docs.
                    device.stats.lateCompletions++;
                }
                device.stats.bytes += segmentLength(segmentIndex);
                device.stats.completed++;
            }
            device.consecutiveFailures = 0;
            device.coolUntilNanos = now;
            if (device.limit < config.initialBacklog())
            {
                device.limit++;
            }
            complete(segmentIndex, deviceId, now);
        }
        else if (current)
        {
            fail(device, segmentIndex, now);
        }
        else if (answering)
        {
            device.revoking.removeFirstOccurrence(segmentIndex);
            device.answered(now);
            endRevocation(segmentIndex);
        }
        assignPending();
        return outcome == ControlMessage.Outcome.STORED && state[segmentIndex] == DONE;
    }

    /**
     * A device reports that it stored a segment, under the lease it holds for it (a convenience for in-process
     * drivers; over a network use {@link #onReport}).
     *
     * @param deviceId     the reporting device.
     * @param segmentIndex the segment.
     * @return {@code true} if this completed the segment, {@code false} for a stale or repeated report.
     */
    public boolean onSuccess(final int deviceId, final int segmentIndex)
    {
        checkIndex(segmentIndex);
        return onReport(deviceId, segmentIndex, leaseOf(deviceId, segmentIndex), ControlMessage.Outcome.STORED);
    }

    /**
     * A device reports that it could not download a segment it holds; the segment is reassigned by backlog.
     *
     * @param deviceId     the reporting device.
     * @param segmentIndex the segment.
     */
    public void onFailure(final int deviceId, final int segmentIndex)
    {
        checkIndex(segmentIndex);
        onReport(deviceId, segmentIndex, leaseOf(deviceId, segmentIndex), ControlMessage.Outcome.FAILED);
    }

    /**
     * The lease a device holds for a segment, assigned or being revoked.
     *
     * @param deviceId     the device.
     * @param segmentIndex the segment.
     * @return the lease number, or 0 if the device holds no lease of the segment.
     */
    public long leaseOf(final int deviceId, final int segmentIndex)
    {
        checkIndex(segmentIndex);
        if (state[segmentIndex] == ASSIGNED || state[segmentIndex] == REVOKING)
        {
            if (holder[segmentIndex] == deviceId)
            {
                return lease[segmentIndex];
            }
            if (duplicateHolder[segmentIndex] == deviceId)
            {
                return duplicateLease[segmentIndex];
            }
        }
        return NO_LEASE;
    }

    /**
     * Detects stalled devices: a device holding work that stayed silent longer than its detection timeout, or that
     * left a revocation unanswered that long, is declared dead: its leases end at once (revocations are sent but not
     * awaited), its segments are reassigned and it keeps only the minimum assignment.
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
            if (stalled(device, now))
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
                sender.revoke(device.id, segment, leaseOf(device.id, segment));
                release(segment, device, true);
            }
            while (!device.revoking.isEmpty())
            {
                endRevocation(device.revoking.pollFirst());
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
            if (!device.revoking.isEmpty())
            {
                deadline = Math.min(deadline, device.revokingSinceNanos + timeoutOf(device));
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
     * Number of segments whose only lease is being revoked, awaiting the holder's answer before reassignment.
     *
     * @return the count.
     */
    public int revokingCount()
    {
        return revokingCount;
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
     * The segments a device holds a lease of, oldest first, without those being revoked.
     *
     * @param deviceId a device in the group.
     * @return a copy of its segment indices.
     */
    public int[] backlog(final int deviceId)
    {
        return toArray(device(deviceId).backlog);
    }

    /**
     * The segments whose lease is being revoked from a device, awaiting its answer.
     *
     * @param deviceId a device in the group.
     * @return a copy of their indices.
     */
    public int[] revoking(final int deviceId)
    {
        return toArray(device(deviceId).revoking);
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
     * Statistics of a device, current or departed. Its {@link DeviceStatistics#backlog()} counts the leases it
     * holds including those being revoked.
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

    private int segmentLength(final int segmentIndex)
    {
        // As range(i).length(), without allocating on the per-report path.
        return (int)Math.min(config.segmentSize(), fileSize - (long)segmentIndex * config.segmentSize());
    }

    private static int[] toArray(final ArrayDeque<Integer> segments)
    {
        final int[] copy = new int[segments.size()];
        int i = 0;
        for (final int segment : segments)
        {
            copy[i++] = segment;
        }
        return copy;
    }

    private boolean stalled(final Device device, final long now)
    {
        final long timeout = timeoutOf(device);
        return !device.backlog.isEmpty() && now - device.headStartNanos >= timeout ||
            !device.revoking.isEmpty() && now - device.revokingSinceNanos >= timeout;
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

    private void removeFromBacklog(final Device device, final int segment, final long now)
    {
        final boolean head = !device.backlog.isEmpty() && device.backlog.peekFirst() == segment;
        device.backlog.removeFirstOccurrence(segment);
        if (head && !device.backlog.isEmpty())
        {
            // Not a completion: the next segment starts now, for the rate measurement and stall detection.
            device.progress(now);
        }
    }

    private void complete(final int segment, final int winnerId, final long now)
    {
        if (state[segment] == REVOKING)
        {
            final Device revoked = devices.get(holder[segment]);
            if (revoked != null && revoked.revoking.removeFirstOccurrence(segment))
            {
                // The answer is in, or no longer needed (a later one is stale).
                revokingCount--;
            }
        }
        else if (state[segment] == ASSIGNED)
        {
            endOtherCopy(holder[segment], lease[segment], winnerId, segment, now);
            endOtherCopy(duplicateHolder[segment], duplicateLease[segment], winnerId, segment, now);
        }
        state[segment] = DONE;
        clearPending(segment);
        doneCount++;
        holder[segment] = NONE;
        duplicateHolder[segment] = NONE;
        if (doneCount == segmentCount)
        {
            completedAtNanos = now;
        }
    }

    private void endOtherCopy(final int otherId, final long otherLease, final int winnerId, final int segment,
        final long now)
    {
        if (otherId == NONE)
        {
            return;
        }
        final Device other = devices.get(otherId);
        if (other != null && other.backlog.contains(segment))
        {
            removeFromBacklog(other, segment, now);
            if (otherId != winnerId)
            {
                sender.revoke(otherId, segment, otherLease);
            }
        }
    }

    private void fail(final Device device, final int segment, final long now)
    {
        removeFromBacklog(device, segment, now);
        device.progress(now);
        device.stats.failures++;
        device.limit = Math.max(config.minimumBacklog(), device.limit / 2);
        device.consecutiveFailures++;
        device.coolUntilNanos = now + failureBackoff(device.consecutiveFailures);
        trimToLimit(device);
        release(segment, device, true);
    }

    private void trimToLimit(final Device device)
    {
        // Only not-yet-started tail segments are given back; the head may be in progress.
        while (device.backlog.size() > device.limit && device.backlog.size() > 1)
        {
            takeBack(device, device.backlog.pollLast());
        }
    }

    /**
     * Takes a lease back from a live device. The only copy of a segment waits for the device's answer before it
     * goes to anyone else; a copy with another holder is simply dropped (the other copy carries on).
     */
    private void takeBack(final Device device, final int segment)
    {
        final long revoked = leaseOf(device.id, segment);
        final boolean soleCopy = holder[segment] == device.id && duplicateHolder[segment] == NONE ||
            duplicateHolder[segment] == device.id && holder[segment] == NONE;
        if (soleCopy)
        {
            if (duplicateHolder[segment] == device.id)
            {
                holder[segment] = device.id;
                lease[segment] = duplicateLease[segment];
                duplicateHolder[segment] = NONE;
            }
            state[segment] = REVOKING;
            if (device.revoking.isEmpty())
            {
                device.revokingSinceNanos = clock.getAsLong();
            }
            device.revoking.addLast(segment);
            revokingCount++;
        }
        else
        {
            release(segment, device, false);
        }
        sender.revoke(device.id, segment, revoked);
    }

    /** A revoked lease is answered or abandoned: the segment becomes pending. */
    private void endRevocation(final int segment)
    {
        if (state[segment] != REVOKING)
        {
            return;
        }
        revokingCount--;
        state[segment] = PENDING;
        holder[segment] = NONE;
        setPending(segment);
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
            lease[segment] = duplicateLease[segment];
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
        state[segment] = PENDING;
        if (failed)
        {
            lastFailedDevice[segment] = from.id;
            from.stats.reassignedAway++;
            if (reassignElsewhere(segment, from))
            {
                return;
            }
            urgent.set(segment);
        }
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
            final int load = device.load();
            if (load < config.maxBacklog())
            {
                if (target == null || load < target.load())
                {
                    target = device;
                    ties = 1;
                }
                else if (load == target.load() && random.nextInt(++ties) == 0)
                {
                    target = device;
                }
            }
            else if (device.backlog.size() > 1 && device.backlog.peekLast() > segment &&
                !isDuplicateHeldBy(device.backlog.peekLast(), device) &&
                (withTail == null || load < withTail.load()))
            {
                withTail = device;
            }
        }
        if (target == null && withTail != null)
        {
            // Swap: the least-loaded other device gives back its newest, not yet started, less urgent segment; the
            // taken segment goes first into the room its answer frees.
            takeBack(withTail, withTail.backlog.pollLast());
            if (withTail.load() < config.maxBacklog())
            {
                target = withTail;
            }
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
        final long number = nextLease++;
        if (duplicate)
        {
            duplicateHolder[segment] = device.id;
            duplicateLease[segment] = number;
            duplicated.set(segment);
            device.stats.endgameDuplicates++;
            endgameDuplicates++;
        }
        else
        {
            state[segment] = ASSIGNED;
            holder[segment] = device.id;
            lease[segment] = number;
            clearPending(segment);
        }
        if (device.backlog.isEmpty())
        {
            device.headStartNanos = clock.getAsLong();
        }
        device.backlog.addLast(segment);
        sender.assign(device.id, range(segment), number, duplicate);
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
        urgent.clear(segment);
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
        // Segments taken from a failed or stalled device first, to any device below the hard bound.
        int segment = urgent.nextSetBit(0);
        while (segment >= 0)
        {
            final Device target = leastLoadedBelowBound(lastFailedDevice[segment]);
            if (target == null)
            {
                break;
            }
            target.stats.reassignedTo++;
            give(segment, target, false);
            segment = urgent.nextSetBit(segment + 1);
        }
        // A device is not handed back a segment it just failed while another device could take it; it takes a
        // later segment instead, so a bad link does not hold up the segments needed first.
        segment = pending.nextSetBit(firstPending);
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

    private Device leastLoadedBelowBound(final int avoid)
    {
        final long now = clock.getAsLong();
        Device best = null;
        for (final Device device : devices.values())
        {
            if (device.id == avoid || device.cooling(now) || device.load() >= config.maxBacklog())
            {
                continue;
            }
            if (best == null || device.load() < best.load())
            {
                best = device;
            }
        }
        return best;
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
            if (device.load() >= device.limit || device.cooling(now))
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
        return a.load() < b.load();
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
            if (idle.load() == 0 && idle.segmentNanos > 0 && idle.consecutiveFailures == 0 && !idle.cooling(now))
            {
                giveDuplicate(idle, now);
            }
        }
        candidates.clear();
    }

    private boolean giveDuplicate(final Device idle, final long now)
    {
        final long ownFinish = now + idle.segmentNanos;
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
                if (duplicated.get(segment) || holder[segment] != device.id)
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
        final ArrayDeque<Integer> revoking = new ArrayDeque<>();
        final Stats stats = new Stats();
        int limit;
        long headStartNanos;
        long revokingSinceNanos;
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

        int load()
        {
            return backlog.size() + revoking.size();
        }

        void progress(final long now)
        {
            headStartNanos = now;
        }

        void answered(final long now)
        {
            revokingSinceNanos = now;
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
            return new DeviceStatistics(id, stats.bytes, stats.completed, load(), limit, cooling(now),
                stats.failures, stats.timeouts, stats.reassignedAway, stats.reassignedTo, stats.endgameDuplicates,
                stats.lateCompletions, rateBytesPerSecond);
        }
    }
}
