package dev.c2cast.microcast.download;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

import dev.c2cast.testkit.FakeClock;

/**
 * Deterministic, time-stepped simulator of devices with rate schedules driving {@link MicroDownload} on a virtual
 * clock. Each device downloads its lease backlog in FIFO order at its current link rate and follows the lease rules
 * of {@link Requester} (answers every revocation, never starts a lease it saw revoked, reports a segment it already
 * stored without downloading it). Control messages in both directions go through a network model: each is delayed
 * by a random 0..{@link #maxMessageDelayNanos} (so they are reordered), may be lost and retransmitted later
 * ({@link #lossRate}) and may arrive twice ({@link #duplicateRate}). With no delay they are delivered within the
 * same step, in order, but never re-entrantly into the scheduler.
 */
final class DownloadSimulator implements AssignmentSender
{
    /** Link rate of a device over time, bytes per second (0 = stalled). */
    interface RateSchedule
    {
        double bytesPerSecond(long nanos);
    }

    /** Decides whether a producer error ends the download of a segment on a device at a time. */
    interface FailureInjector
    {
        boolean fails(int deviceId, int segmentIndex, long nanos);
    }

    /** Observes events, for invariants and plots. */
    interface Observer
    {
        default void onStep(long nanos)
        {
        }

        default void onAssign(int deviceId, int segmentIndex, boolean duplicate, long nanos)
        {
        }

        default void onRevoke(int deviceId, int segmentIndex, long nanos)
        {
        }
    }

    record Lease(SegmentRange range, long number)
    {
    }

    static final class SimDevice
    {
        final int id;
        final RateSchedule rate;
        final long joinNanos;
        final long leaveNanos;
        final ArrayDeque<Lease> queue = new ArrayDeque<>();
        final Map<Long, ControlMessage.Outcome> ended = new HashMap<>();
        final BitSet stored = new BitSet();
        double headProgress;
        boolean headStarted;
        boolean member;
        boolean gone;
        long bytes;

        SimDevice(final int id, final RateSchedule rate, final long joinNanos, final long leaveNanos)
        {
            this.id = id;
            this.rate = rate;
            this.joinNanos = joinNanos;
            this.leaveNanos = leaveNanos;
        }

        boolean holds(final long lease)
        {
            for (final Lease held : queue)
            {
                if (held.number() == lease)
                {
                    return true;
                }
            }
            return false;
        }

        void resetHead()
        {
            headProgress = 0;
            headStarted = false;
        }
    }

    final FakeClock clock = new FakeClock();
    final MicroDownload scheduler;
    final long stepNanos;
    final Map<Integer, SimDevice> devices = new LinkedHashMap<>();
    /** Downloads of each segment over a cellular link (a segment found already stored is not one). */
    final int[] downloads;
    /** Segments given an endgame duplicate. */
    final boolean[] duplicated;
    /** For each segment, holders that lost its lease by being declared stalled or by leaving. */
    final int[] deadHolders;
    final List<Observer> observers = new ArrayList<>();
    FailureInjector failures = (d, s, t) -> false;
    /** Largest delay of a control message (assignment, revocation, report, leave); 0 delivers them in the step. */
    long maxMessageDelayNanos;
    /** Probability that a transmission of a control message is lost (it is sent again after a retransmission timeout). */
    double lossRate;
    /** Probability that a control message is delivered a second time (a retransmission whose acknowledgement was lost). */
    double duplicateRate;
    /** Retransmission timeout of the network model. */
    long retransmissionNanos = 50_000_000L;
    SplittableRandom delays = new SplittableRandom(0);
    long messagesLost;
    long messagesDuplicated;

    private final PriorityQueue<long[]> inFlight =
        new PriorityQueue<>(Comparator.<long[]>comparingLong(m -> m[0]).thenComparingLong(m -> m[1]));
    private final Map<Long, Runnable> inFlightActions = new HashMap<>();
    /** Revocations not yet delivered, as "device:lease". */
    private final Set<String> revocationsInFlight = new HashSet<>();
    private long sequence;

    DownloadSimulator(final MicroDownloadConfig config, final long fileSize, final long stepNanos, final long seed)
    {
        this.scheduler = new MicroDownload(config, fileSize, clock, new SplittableRandom(seed), this);
        this.stepNanos = stepNanos;
        this.downloads = new int[scheduler.segmentCount()];
        this.duplicated = new boolean[scheduler.segmentCount()];
        this.deadHolders = new int[scheduler.segmentCount()];
    }

    SimDevice addDevice(final int id, final RateSchedule rate, final long joinNanos, final long leaveNanos)
    {
        final SimDevice device = new SimDevice(id, rate, joinNanos, leaveNanos);
        devices.put(id, device);
        return device;
    }

    private void send(final Runnable action)
    {
        long at = clock.nanoTime() + (maxMessageDelayNanos == 0 ? 0 : delays.nextLong(maxMessageDelayNanos + 1));
        long rto = retransmissionNanos;
        while (lossRate > 0 && delays.nextDouble() < lossRate)
        {
            messagesLost++;
            at += rto;
            rto = Math.min(2 * rto, 1_000_000_000L);
        }
        enqueue(at, action);
        if (duplicateRate > 0 && delays.nextDouble() < duplicateRate)
        {
            messagesDuplicated++;
            enqueue(at + retransmissionNanos + (maxMessageDelayNanos == 0 ? 0 : delays.nextLong(maxMessageDelayNanos + 1)),
                action);
        }
    }

    private void enqueue(final long at, final Runnable action)
    {
        final long id = sequence++;
        inFlightActions.put(id, action);
        inFlight.add(new long[] {at, id});
    }

    /** Delivers every message due by now, including those sent while delivering. */
    private void deliver(final long now)
    {
        while (!inFlight.isEmpty() && inFlight.peek()[0] <= now)
        {
            inFlightActions.remove(inFlight.poll()[1]).run();
        }
    }

    @Override
    public void assign(final int deviceId, final SegmentRange segment, final long lease, final boolean endgameDuplicate)
    {
        if (endgameDuplicate)
        {
            duplicated[segment.index()] = true;
        }
        for (final Observer o : observers)
        {
            o.onAssign(deviceId, segment.index(), endgameDuplicate, clock.nanoTime());
        }
        send(() -> deviceOnAssignment(devices.get(deviceId), new Lease(segment, lease)));
    }

    @Override
    public void revoke(final int deviceId, final int segmentIndex, final long lease)
    {
        for (final Observer o : observers)
        {
            o.onRevoke(deviceId, segmentIndex, clock.nanoTime());
        }
        final String key = deviceId + ":" + lease;
        revocationsInFlight.add(key);
        send(() ->
        {
            revocationsInFlight.remove(key);
            deviceOnRevocation(devices.get(deviceId), segmentIndex, lease);
        });
    }

    private void deviceOnAssignment(final SimDevice device, final Lease lease)
    {
        if (!device.member || device.ended.containsKey(lease.number()) || device.holds(lease.number()))
        {
            return;
        }
        if (device.queue.isEmpty())
        {
            device.resetHead();
        }
        device.queue.addLast(lease);
    }

    private void deviceOnRevocation(final SimDevice device, final int segment, final long lease)
    {
        if (!device.member)
        {
            return;
        }
        final ControlMessage.Outcome earlier = device.ended.get(lease);
        if (earlier != null)
        {
            report(device.id, segment, lease, earlier);
            return;
        }
        final Lease head = device.queue.peekFirst();
        if (head != null && head.number() == lease)
        {
            device.queue.pollFirst();
            device.resetHead();
        }
        else
        {
            device.queue.removeIf(l -> l.number() == lease);
        }
        device.ended.put(lease, ControlMessage.Outcome.DROPPED);
        report(device.id, segment, lease, ControlMessage.Outcome.DROPPED);
    }

    private void report(final int deviceId, final int segment, final long lease, final ControlMessage.Outcome outcome)
    {
        send(() -> scheduler.onReport(deviceId, segment, lease, outcome));
    }

    /**
     * Runs until the download completes or {@code maxNanos} of virtual time passed.
     *
     * @return whether it completed.
     */
    boolean run(final long maxNanos)
    {
        while (!scheduler.isComplete() && clock.nanoTime() < maxNanos)
        {
            step();
        }
        return scheduler.isComplete();
    }

    void step()
    {
        final long now = clock.nanoTime();
        for (final SimDevice device : devices.values())
        {
            if (!device.member && !device.gone && now >= device.joinNanos && now < device.leaveNanos)
            {
                device.member = true;
                device.queue.clear();
                scheduler.join(device.id);
            }
            else if (device.member && now >= device.leaveNanos)
            {
                // The device stops at once; its leave reaches the scheduler like any other message.
                device.member = false;
                device.gone = true;
                device.queue.clear();
                final int id = device.id;
                send(() ->
                {
                    for (final int segment : held(id))
                    {
                        deadHolders[segment]++;
                    }
                    scheduler.leave(id);
                });
            }
        }
        deliver(now);
        clock.advanceNanos(stepNanos);
        final long after = clock.nanoTime();
        for (final SimDevice device : devices.values())
        {
            if (!device.member)
            {
                continue;
            }
            double budget = device.rate.bytesPerSecond(now) * stepNanos / 1e9;
            while (!device.queue.isEmpty())
            {
                final Lease head = device.queue.peekFirst();
                final int index = head.range().index();
                if (!device.headStarted && device.stored.get(index))
                {
                    // Already stored under an earlier lease: reported without downloading (as Requester does).
                    device.queue.pollFirst();
                    device.ended.put(head.number(), ControlMessage.Outcome.STORED);
                    report(device.id, index, head.number(), ControlMessage.Outcome.STORED);
                    continue;
                }
                if (budget <= 0)
                {
                    break;
                }
                final double need = head.range().length() - device.headProgress;
                final boolean starting = !device.headStarted;
                device.headStarted = true;
                if (starting && failures.fails(device.id, index, after))
                {
                    device.queue.pollFirst();
                    device.resetHead();
                    device.ended.put(head.number(), ControlMessage.Outcome.FAILED);
                    report(device.id, index, head.number(), ControlMessage.Outcome.FAILED);
                    break;
                }
                if (budget < need)
                {
                    device.headProgress += budget;
                    budget = 0;
                }
                else
                {
                    budget -= need;
                    device.queue.pollFirst();
                    device.resetHead();
                    downloads[index]++;
                    device.stored.set(index);
                    device.bytes += head.range().length();
                    device.ended.put(head.number(), ControlMessage.Outcome.STORED);
                    report(device.id, index, head.number(), ControlMessage.Outcome.STORED);
                }
            }
        }
        deliver(after);
        final Map<Integer, int[]> before = new HashMap<>();
        final Map<Integer, Integer> timeouts = new HashMap<>();
        for (final SimDevice device : devices.values())
        {
            if (scheduler.isMember(device.id))
            {
                before.put(device.id, held(device.id));
                timeouts.put(device.id, scheduler.statistics(device.id).timeouts());
            }
        }
        if (scheduler.doWork() > 0)
        {
            for (final Map.Entry<Integer, int[]> entry : before.entrySet())
            {
                if (scheduler.statistics(entry.getKey()).timeouts() > timeouts.get(entry.getKey()))
                {
                    for (final int segment : entry.getValue())
                    {
                        deadHolders[segment]++;
                    }
                }
            }
        }
        deliver(after);
        for (final Observer o : observers)
        {
            o.onStep(after);
        }
    }

    private int[] held(final int deviceId)
    {
        final int[] backlog = scheduler.backlog(deviceId);
        final int[] revoking = scheduler.revoking(deviceId);
        final int[] all = Arrays.copyOf(backlog, backlog.length + revoking.length);
        System.arraycopy(revoking, 0, all, backlog.length, revoking.length);
        return all;
    }

    /** Checks that the simulated devices hold exactly what the scheduler believes they hold (no message delay). */
    void checkMirror()
    {
        for (final SimDevice device : devices.values())
        {
            if (!device.member)
            {
                continue;
            }
            final int[] expected = scheduler.backlog(device.id);
            final int[] actual = device.queue.stream().mapToInt(l -> l.range().index()).toArray();
            if (!Arrays.equals(expected, actual) || scheduler.revoking(device.id).length != 0)
            {
                throw new AssertionError("device " + device.id + " holds " + Arrays.toString(actual) +
                    " but the scheduler assigned " + Arrays.toString(expected) + " and is revoking " +
                    Arrays.toString(scheduler.revoking(device.id)));
            }
        }
    }

    /**
     * Checks, with any message delay, that every lease a device works on is one the scheduler still counts as that
     * device's, or one whose revocation is on its way, or of a segment the device already stored.
     */
    void checkLeasesAccountedFor()
    {
        for (final SimDevice device : devices.values())
        {
            if (!device.member)
            {
                continue;
            }
            for (final Iterator<Lease> it = device.queue.iterator(); it.hasNext();)
            {
                final Lease lease = it.next();
                final int index = lease.range().index();
                final boolean current = scheduler.isMember(device.id) && scheduler.leaseOf(device.id, index) == lease.number();
                if (!current && !revocationsInFlight.contains(device.id + ":" + lease.number()) &&
                    !device.stored.get(index))
                {
                    throw new AssertionError("device " + device.id + " works on segment " + index + " under lease " +
                        lease.number() + " that the scheduler neither counts nor is revoking");
                }
            }
        }
    }

    /** Piecewise-constant rate: {@code rates[i]} during [{@code i * periodNanos}, {@code (i+1) * periodNanos}). */
    static RateSchedule piecewise(final long periodNanos, final double... rates)
    {
        return t -> rates[(int)Math.min(rates.length - 1, t / periodNanos)];
    }

    static RateSchedule constant(final double rate)
    {
        return t -> rate;
    }
}
