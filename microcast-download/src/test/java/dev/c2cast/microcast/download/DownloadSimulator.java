package dev.c2cast.microcast.download;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

import dev.c2cast.testkit.FakeClock;

/**
 * Deterministic, time-stepped simulator of devices with rate schedules driving {@link MicroDownload} on a virtual
 * clock. Each device downloads its backlog in FIFO order at its current link rate; revocations and assignments are
 * delivered at once (reliable messaging without delay).
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

    static final class SimDevice
    {
        final int id;
        final RateSchedule rate;
        final long joinNanos;
        final long leaveNanos;
        final ArrayDeque<SegmentRange> queue = new ArrayDeque<>();
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
    }

    final FakeClock clock = new FakeClock();
    final MicroDownload scheduler;
    final long stepNanos;
    final Map<Integer, SimDevice> devices = new LinkedHashMap<>();
    final int[] downloads;
    final boolean[] duplicated;
    final List<Observer> observers = new ArrayList<>();
    FailureInjector failures = (d, s, t) -> false;
    /** Largest delay of a control message (assignment, revocation, report); 0 delivers them at once. */
    long maxMessageDelayNanos;
    SplittableRandom delays = new SplittableRandom(0);
    private final java.util.PriorityQueue<long[]> inFlight =
        new java.util.PriorityQueue<>(java.util.Comparator.<long[]>comparingLong(m -> m[0]).thenComparingLong(m -> m[1]));
    private final List<Runnable> inFlightActions = new ArrayList<>();
    private long sequence;
    IntPredicate reportSuccess = s -> true;

    DownloadSimulator(final MicroDownloadConfig config, final long fileSize, final long stepNanos, final long seed)
    {
        this.scheduler = new MicroDownload(config, fileSize, clock, new SplittableRandom(seed), this);
        this.stepNanos = stepNanos;
        this.downloads = new int[scheduler.segmentCount()];
        this.duplicated = new boolean[scheduler.segmentCount()];
    }

    SimDevice addDevice(final int id, final RateSchedule rate, final long joinNanos, final long leaveNanos)
    {
        final SimDevice device = new SimDevice(id, rate, joinNanos, leaveNanos);
        devices.put(id, device);
        return device;
    }

    private void later(final Runnable action)
    {
        final long at = clock.nanoTime() + (maxMessageDelayNanos == 0 ? 0 : delays.nextLong(maxMessageDelayNanos + 1));
        inFlightActions.add(action);
        inFlight.add(new long[] {at, sequence++, inFlightActions.size() - 1});
    }

    private void deliver(final long now)
    {
        while (!inFlight.isEmpty() && inFlight.peek()[0] <= now)
        {
            final long[] m = inFlight.poll();
            inFlightActions.set((int)m[2], null).run();
        }
        if (inFlight.isEmpty())
        {
            inFlightActions.clear();
        }
    }

    @Override
    public void assign(final int deviceId, final SegmentRange segment, final boolean endgameDuplicate)
    {
        if (maxMessageDelayNanos > 0)
        {
            if (endgameDuplicate)
            {
                duplicated[segment.index()] = true;
            }
            later(() ->
            {
                final SimDevice device = devices.get(deviceId);
                if (device.member)
                {
                    if (device.queue.isEmpty())
                    {
                        device.headProgress = 0;
                        device.headStarted = false;
                    }
                    device.queue.addLast(segment);
                }
            });
            return;
        }
        final SimDevice device = devices.get(deviceId);
        if (device.queue.isEmpty())
        {
            device.headProgress = 0;
            device.headStarted = false;
        }
        device.queue.addLast(segment);
        if (endgameDuplicate)
        {
            duplicated[segment.index()] = true;
        }
        for (final Observer o : observers)
        {
            o.onAssign(deviceId, segment.index(), endgameDuplicate, clock.nanoTime());
        }
    }

    @Override
    public void revoke(final int deviceId, final int segmentIndex)
    {
        if (maxMessageDelayNanos > 0)
        {
            later(() ->
            {
                final SimDevice device = devices.get(deviceId);
                final SegmentRange head = device.queue.peekFirst();
                if (head != null && head.index() == segmentIndex)
                {
                    device.queue.pollFirst();
                    device.headProgress = 0;
                    device.headStarted = false;
                }
                else
                {
                    device.queue.removeIf(r -> r.index() == segmentIndex);
                }
            });
            return;
        }
        final SimDevice device = devices.get(deviceId);
        final SegmentRange head = device.queue.peekFirst();
        if (head != null && head.index() == segmentIndex)
        {
            device.queue.pollFirst();
            device.headProgress = 0;
            device.headStarted = false;
        }
        else if (!device.queue.removeIf(r -> r.index() == segmentIndex))
        {
            throw new AssertionError("revocation of a segment device " + deviceId + " does not hold: " + segmentIndex);
        }
        for (final Observer o : observers)
        {
            o.onRevoke(deviceId, segmentIndex, clock.nanoTime());
        }
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
                device.member = false;
                device.gone = true;
                device.queue.clear();
                scheduler.leave(device.id);
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
            while (budget > 0 && !device.queue.isEmpty())
            {
                final SegmentRange head = device.queue.peekFirst();
                final double need = head.length() - device.headProgress;
                final boolean starting = !device.headStarted;
                device.headStarted = true;
                if (starting && failures.fails(device.id, head.index(), after))
                {
                    device.queue.pollFirst();
                    device.headProgress = 0;
            device.headStarted = false;
                    report(device.id, head.index(), false);
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
                    device.headProgress = 0;
            device.headStarted = false;
                    downloads[head.index()]++;
                    device.bytes += head.length();
                    report(device.id, head.index(), true);
                }
            }
        }
        scheduler.doWork();
        for (final Observer o : observers)
        {
            o.onStep(after);
        }
    }

    private void report(final int deviceId, final int segment, final boolean success)
    {
        final Runnable action = () ->
        {
            if (success)
            {
                scheduler.onSuccess(deviceId, segment);
            }
            else
            {
                scheduler.onFailure(deviceId, segment);
            }
        };
        if (maxMessageDelayNanos > 0)
        {
            later(action);
        }
        else
        {
            action.run();
        }
    }

    /** Checks that the simulated devices hold exactly what the scheduler believes they hold. */
    void checkMirror()
    {
        for (final SimDevice device : devices.values())
        {
            if (!device.member)
            {
                continue;
            }
            final int[] expected = scheduler.backlog(device.id);
            final int[] actual = device.queue.stream().mapToInt(SegmentRange::index).toArray();
            if (!Arrays.equals(expected, actual))
            {
                throw new AssertionError("device " + device.id + " holds " + Arrays.toString(actual) +
                    " but the scheduler assigned " + Arrays.toString(expected));
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
