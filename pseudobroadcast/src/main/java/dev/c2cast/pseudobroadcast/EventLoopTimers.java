package dev.c2cast.pseudobroadcast;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.c2cast.pseudobroadcast.internal.Long2ObjectHashMap;

import io.netty.channel.EventLoop;

/**
 * A {@link TimerService} on a Netty event loop: the production driver of the engines. The clock is
 * {@link System#nanoTime()}, the one place it is read.
 * <p>
 * Confined to the event loop: call it only from tasks and handlers running on that loop.
 */
public final class EventLoopTimers implements TimerService
{
    private final EventLoop eventLoop;
    private final Long2ObjectHashMap<ScheduledFuture<?>> timers = new Long2ObjectHashMap<>(16);
    private long nextId = 1;

    /**
     * Timers on an event loop.
     *
     * @param eventLoop the loop that runs the tasks.
     */
    public EventLoopTimers(final EventLoop eventLoop)
    {
        this.eventLoop = eventLoop;
    }

    /**
     * The loop the timers run on.
     *
     * @return the event loop.
     */
    public EventLoop eventLoop()
    {
        return eventLoop;
    }

    @Override
    public long nanoTime()
    {
        return System.nanoTime();
    }

    @Override
    public long scheduleAt(final long deadlineNanos, final Runnable task)
    {
        final long id = nextId++;
        final long delay = Math.max(0, deadlineNanos - System.nanoTime());
        final ScheduledFuture<?> future = eventLoop.schedule(() ->
        {
            if (timers.remove(id) != null)
            {
                task.run();
            }
        }, delay, TimeUnit.NANOSECONDS);
        timers.put(id, future);
        return id;
    }

    @Override
    public boolean cancel(final long timerId)
    {
        final ScheduledFuture<?> future = timers.remove(timerId);
        if (future == null)
        {
            return false;
        }
        future.cancel(false);
        return true;
    }
}
