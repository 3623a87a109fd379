package dev.c2cast.examples.microcast;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.c2cast.microcast.nc.p2.EngineTimers;

/**
 * Engine timers on the device's single-threaded scheduled executor, on the monotonic clock. Confined to that
 * executor's thread, as the engine is.
 */
final class ExecutorTimers implements EngineTimers
{
    private final ScheduledExecutorService executor;
    private final Map<Long, ScheduledFuture<?>> pending = new HashMap<>();
    private long nextId;

    ExecutorTimers(final ScheduledExecutorService executor)
    {
        this.executor = executor;
    }

    @Override
    public long nanoTime()
    {
        return System.nanoTime();
    }

    @Override
    public long scheduleAt(final long deadlineNanos, final Runnable task)
    {
        final long id = ++nextId;
        final long delay = Math.max(0, deadlineNanos - System.nanoTime());
        pending.put(id, executor.schedule(() ->
        {
            pending.remove(id);
            task.run();
        }, delay, TimeUnit.NANOSECONDS));
        return id;
    }

    @Override
    public boolean cancel(final long timerId)
    {
        final ScheduledFuture<?> future = pending.remove(timerId);
        return future != null && future.cancel(false);
    }
}
