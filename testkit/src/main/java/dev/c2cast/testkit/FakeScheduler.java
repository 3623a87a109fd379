package dev.c2cast.testkit;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic discrete-event scheduler on a {@link FakeClock}: tasks run in deadline order, ties in the order
 * they were scheduled, and the clock jumps to each deadline as its task runs.
 * <p>
 * Not thread-safe: confined to the test thread. Tasks may schedule further tasks while running.
 */
public final class FakeScheduler
{
    private final FakeClock clock;
    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private long sequence;
    private long executed;

    /**
     * A scheduler with its own clock starting at zero.
     */
    public FakeScheduler()
    {
        this(new FakeClock());
    }

    /**
     * A scheduler on a given clock.
     *
     * @param clock the clock it advances.
     */
    public FakeScheduler(final FakeClock clock)
    {
        this.clock = clock;
    }

    /**
     * The clock this scheduler advances.
     *
     * @return the clock.
     */
    public FakeClock clock()
    {
        return clock;
    }

    /**
     * Schedules a task after a delay from now.
     *
     * @param delay delay, not negative.
     * @param unit  unit of {@code delay}.
     * @param task  what to run.
     * @return a handle that can cancel the task.
     */
    public Timer schedule(final long delay, final TimeUnit unit, final Runnable task)
    {
        return scheduleAt(clock.nanoTime() + unit.toNanos(delay), task);
    }

    /**
     * Schedules a task at an absolute time; a time in the past runs at the next step without moving the clock
     * backwards.
     *
     * @param deadlineNanos when to run.
     * @param task          what to run.
     * @return a handle that can cancel the task.
     */
    public Timer scheduleAt(final long deadlineNanos, final Runnable task)
    {
        final Timer timer = new Timer(Math.max(deadlineNanos, clock.nanoTime()), sequence++, task);
        queue.add(timer);
        return timer;
    }

    /**
     * Runs the earliest pending task, advancing the clock to its deadline.
     *
     * @return true if a task ran, false if none was pending.
     */
    public boolean runNext()
    {
        Timer timer;
        while ((timer = queue.poll()) != null)
        {
            if (!timer.cancelled)
            {
                clock.advanceTo(timer.deadlineNanos);
                executed++;
                timer.task.run();
                return true;
            }
        }
        return false;
    }

    /**
     * Runs every task due up to and including a time, then sets the clock to that time.
     *
     * @param timeNanos the time to run until.
     * @return number of tasks run.
     */
    public int runUntil(final long timeNanos)
    {
        int count = 0;
        Timer timer;
        while ((timer = queue.peek()) != null && timer.deadlineNanos <= timeNanos)
        {
            queue.poll();
            if (!timer.cancelled)
            {
                clock.advanceTo(timer.deadlineNanos);
                executed++;
                count++;
                timer.task.run();
            }
        }
        if (timeNanos > clock.nanoTime())
        {
            clock.advanceTo(timeNanos);
        }
        return count;
    }

    /**
     * Runs every task due within a span from now.
     *
     * @param amount how long.
     * @param unit   unit of {@code amount}.
     * @return number of tasks run.
     */
    public int runFor(final long amount, final TimeUnit unit)
    {
        return runUntil(clock.nanoTime() + unit.toNanos(amount));
    }

    /**
     * Runs tasks until none is pending or a bound on the number of tasks is reached.
     *
     * @param maxTasks the bound, so a self-rescheduling task cannot hang the test.
     * @return number of tasks run.
     * @throws IllegalStateException if the bound was reached with tasks still pending.
     */
    public int runAll(final int maxTasks)
    {
        int count = 0;
        while (count < maxTasks && runNext())
        {
            count++;
        }
        if (pending() > 0 && count >= maxTasks)
        {
            throw new IllegalStateException("still " + pending() + " tasks pending after " + maxTasks);
        }
        return count;
    }

    /**
     * Number of tasks not yet run or cancelled.
     *
     * @return the count.
     */
    public int pending()
    {
        int count = 0;
        for (final Timer timer : queue)
        {
            if (!timer.cancelled)
            {
                count++;
            }
        }
        return count;
    }

    /**
     * Total tasks run so far.
     *
     * @return the count.
     */
    public long executed()
    {
        return executed;
    }

    /**
     * A scheduled task.
     */
    public static final class Timer implements Comparable<Timer>
    {
        private final long deadlineNanos;
        private final long sequence;
        private final Runnable task;
        private boolean cancelled;

        Timer(final long deadlineNanos, final long sequence, final Runnable task)
        {
            this.deadlineNanos = deadlineNanos;
            this.sequence = sequence;
            this.task = task;
        }

        /**
         * When the task is due.
         *
         * @return the deadline in clock nanoseconds.
         */
        public long deadlineNanos()
        {
            return deadlineNanos;
        }

        /**
         * Cancels the task if it has not run.
         *
         * @return true if this call cancelled it.
         */
        public boolean cancel()
        {
            final boolean wasActive = !cancelled;
            cancelled = true;
            return wasActive;
        }

        /**
         * Whether {@link #cancel()} was called.
         *
         * @return true once cancelled.
         */
        public boolean isCancelled()
        {
            return cancelled;
        }

        @Override
        public int compareTo(final Timer other)
        {
            final int byDeadline = Long.compare(deadlineNanos, other.deadlineNanos);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }
}
