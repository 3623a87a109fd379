package dev.c2cast.pseudobroadcast;

/**
 * A clock and one-shot timers for engines: a {@link Simulation} in tests and simulators, a Netty event loop in
 * production. Engines never read the system clock or start threads; they ask the service.
 * <p>
 * Confined to the thread that runs the timers (the simulation thread or the event loop).
 */
public interface TimerService
{
    /**
     * The current time.
     *
     * @return monotonic nanoseconds.
     */
    long nanoTime();

    /**
     * Runs a task at an absolute time (a time in the past runs as soon as possible).
     *
     * @param deadlineNanos when, on the {@link #nanoTime()} scale.
     * @param task          what to run, on the service's thread.
     * @return a non-zero timer id for {@link #cancel(long)}.
     */
    long scheduleAt(long deadlineNanos, Runnable task);

    /**
     * Runs a task after a delay.
     *
     * @param delayNanos delay from now, not negative.
     * @param task       what to run.
     * @return a non-zero timer id for {@link #cancel(long)}.
     */
    default long schedule(final long delayNanos, final Runnable task)
    {
        return scheduleAt(nanoTime() + delayNanos, task);
    }

    /**
     * Cancels a timer that has not fired.
     *
     * @param timerId an id from {@link #scheduleAt(long, Runnable)}.
     * @return true if this call cancelled it.
     */
    boolean cancel(long timerId);
}
