package dev.c2cast.pseudobroadcast;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A deterministic discrete-event loop on a virtual clock: the one thread, clock and timer queue that a
 * {@link SimulatedMedium} and every engine of every simulated node share. Events run in deadline order, ties in
 * the order they were scheduled, and the clock jumps to each deadline as its event runs, so a run is a pure
 * function of its inputs and seeds.
 * <p>
 * The queue is a binary heap over primitive arrays with recycled slots: scheduling and running an event does not
 * allocate once the queue has grown to its working size.
 * <p>
 * Not thread-safe: confined to the thread that calls the {@code run*} methods.
 */
public final class Simulation implements TimerService, LongSupplier
{
    private static final int INITIAL_CAPACITY = 64;

    private long now;
    private long nextSequence;
    private long executed;
    private int pending;

    private long[] deadlines = new long[INITIAL_CAPACITY];
    private long[] sequences = new long[INITIAL_CAPACITY];
    private Runnable[] tasks = new Runnable[INITIAL_CAPACITY];
    private int[] generations = new int[INITIAL_CAPACITY];
    private int[] heap = new int[INITIAL_CAPACITY];
    private int heapSize;
    private int[] free = new int[INITIAL_CAPACITY];
    private int freeCount;
    private int slotsUsed;

    /** A simulation whose clock starts at zero. */
    public Simulation()
    {
        this(0);
    }

    /**
     * A simulation whose clock starts at a given time.
     *
     * @param startNanos the initial reading of the clock.
     */
    public Simulation(final long startNanos)
    {
        this.now = startNanos;
        Arrays.fill(generations, 1);
    }

    @Override
    public long nanoTime()
    {
        return now;
    }

    @Override
    public long getAsLong()
    {
        return now;
    }

    @Override
    public long scheduleAt(final long deadlineNanos, final Runnable task)
    {
        if (task == null)
        {
            throw new NullPointerException("task");
        }
        final int slot = allocateSlot();
        deadlines[slot] = Math.max(deadlineNanos, now);
        sequences[slot] = nextSequence++;
        tasks[slot] = task;
        heapPush(slot);
        pending++;
        return ((long)generations[slot] << 32) | slot;
    }

    @Override
    public boolean cancel(final long timerId)
    {
        final int slot = (int)timerId;
        final int generation = (int)(timerId >>> 32);
        if (slot < 0 || slot >= slotsUsed || generations[slot] != generation || tasks[slot] == null)
        {
            return false;
        }
        tasks[slot] = null;
        pending--;
        return true;
    }

    /**
     * Runs the earliest pending event, moving the clock to its deadline.
     *
     * @return true if an event ran, false if none was pending.
     */
    public boolean step()
    {
        while (heapSize > 0)
        {
            final int slot = heapPop();
            final Runnable task = tasks[slot];
            final long deadline = deadlines[slot];
            releaseSlot(slot);
            if (task != null)
            {
                pending--;
                now = deadline;
                executed++;
                task.run();
                return true;
            }
        }
        return false;
    }

    /**
     * Runs every event due up to and including a time, then sets the clock to that time if it is later.
     *
     * @param timeNanos the time to run until.
     * @return number of events run.
     */
    public long runUntil(final long timeNanos)
    {
        long count = 0;
        while (heapSize > 0)
        {
            final int top = heap[0];
            if (deadlines[top] > timeNanos)
            {
                break;
            }
            if (step())
            {
                count++;
            }
        }
        if (timeNanos > now)
        {
            now = timeNanos;
        }
        return count;
    }

    /**
     * Runs every event due within a span from now.
     *
     * @param nanos the span.
     * @return number of events run.
     */
    public long runFor(final long nanos)
    {
        return runUntil(now + nanos);
    }

    /**
     * Runs until no event is pending, with a bound so that self-rescheduling timers cannot hang the caller.
     *
     * @param maxEvents the bound.
     * @return number of events run.
     * @throws IllegalStateException if the bound was reached with events still pending.
     */
    public long runAll(final long maxEvents)
    {
        long count = 0;
        while (count < maxEvents && step())
        {
            count++;
        }
        if (pending > 0 && count >= maxEvents)
        {
            throw new IllegalStateException("still " + pending + " events pending after " + maxEvents);
        }
        return count;
    }

    /**
     * Runs events until a condition holds or a time is reached.
     *
     * @param condition checked before each event.
     * @param limitNanos the latest time to run to.
     * @return true if the condition held.
     */
    public boolean runUntil(final BooleanSupplier condition, final long limitNanos)
    {
        while (!condition.getAsBoolean())
        {
            if (heapSize == 0 || deadlines[heap[0]] > limitNanos)
            {
                runUntil(limitNanos);
                return condition.getAsBoolean();
            }
            step();
        }
        return true;
    }

    /**
     * Events scheduled and neither run nor cancelled.
     *
     * @return the count.
     */
    public int pending()
    {
        return pending;
    }

    /**
     * Events run since creation.
     *
     * @return the count.
     */
    public long executed()
    {
        return executed;
    }

    private int allocateSlot()
    {
        if (freeCount > 0)
        {
            return free[--freeCount];
        }
        if (slotsUsed == tasks.length)
        {
            final int capacity = tasks.length * 2;
            deadlines = Arrays.copyOf(deadlines, capacity);
            sequences = Arrays.copyOf(sequences, capacity);
            tasks = Arrays.copyOf(tasks, capacity);
            final int oldLength = generations.length;
            generations = Arrays.copyOf(generations, capacity);
            Arrays.fill(generations, oldLength, capacity, 1);
            heap = Arrays.copyOf(heap, capacity);
            free = Arrays.copyOf(free, capacity);
        }
        return slotsUsed++;
    }

    private void releaseSlot(final int slot)
    {
        tasks[slot] = null;
        generations[slot] = generations[slot] == Integer.MAX_VALUE ? 1 : generations[slot] + 1;
        free[freeCount++] = slot;
    }

    private boolean before(final int a, final int b)
    {
        final long da = deadlines[a];
        final long db = deadlines[b];
        return da < db || (da == db && sequences[a] < sequences[b]);
    }

    private void heapPush(final int slot)
    {
        int index = heapSize++;
        while (index > 0)
        {
            final int parent = (index - 1) >>> 1;
            final int parentSlot = heap[parent];
            if (!before(slot, parentSlot))
            {
                break;
            }
            heap[index] = parentSlot;
            index = parent;
        }
        heap[index] = slot;
    }

    private int heapPop()
    {
        final int top = heap[0];
        final int last = heap[--heapSize];
        int index = 0;
        final int half = heapSize >>> 1;
        while (index < half)
        {
            int child = 2 * index + 1;
            int childSlot = heap[child];
            final int right = child + 1;
            if (right < heapSize && before(heap[right], childSlot))
            {
                child = right;
                childSlot = heap[right];
            }
            if (!before(childSlot, last))
            {
                break;
            }
            heap[index] = childSlot;
            index = child;
        }
        heap[index] = last;
        return top;
    }
}
