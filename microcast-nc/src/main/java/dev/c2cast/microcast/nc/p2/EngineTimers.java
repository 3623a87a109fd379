package dev.c2cast.microcast.nc.p2;

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
}
