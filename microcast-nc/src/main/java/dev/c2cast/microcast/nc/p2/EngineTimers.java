package dev.c2cast.microcast.nc.p2;

import java.util.Objects;

import dev.c2cast.pseudobroadcast.TimerService;

/**
 * The clock and one-shot timers of the thread an engine is confined to (a Netty event loop or a discrete-event
 * simulation).
 * <p>
 * Threading: called only from the engine's thread; tasks run on it.
 */
public interface EngineTimers
{
    /**
     * Current time.
     *
     * @return monotonic nanoseconds.
     */
    long nanoTime();

    /**
     * Runs a task once at or after a deadline.
     *
     * @param deadlineNanos when to run, on the {@link #nanoTime()} scale.
     * @param task          the task.
     * @return an id for {@link #cancel(long)}.
     */
    long scheduleAt(long deadlineNanos, Runnable task);

    /**
     * Cancels a scheduled task.
     *
     * @param timerId the id {@link #scheduleAt(long, Runnable)} returned.
     * @return true if the task had not yet run.
     */
    boolean cancel(long timerId);

    /**
     * The engine timers of a pseudobroadcast transport's thread or of its discrete-event simulation, so an engine
     * and the transport it sends on share one clock and one timer queue.
     *
     * @param timers {@code transport.timers()} or a {@code Simulation}.
     * @return timers that delegate to {@code timers}.
     */
    static EngineTimers of(final TimerService timers)
    {
        Objects.requireNonNull(timers, "timers");
        return new EngineTimers()
        {
            @Override
            public long nanoTime()
            {
                return timers.nanoTime();
            }

            @Override
            public long scheduleAt(final long deadlineNanos, final Runnable task)
            {
                return timers.scheduleAt(deadlineNanos, task);
            }

            @Override
            public boolean cancel(final long timerId)
            {
                return timers.cancel(timerId);
            }
        };
    }
}
