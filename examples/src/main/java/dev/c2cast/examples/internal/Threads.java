package dev.c2cast.examples.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the example processes' threads: all daemon, all named, uncaught exceptions logged, so that no stray thread
 * keeps a JVM alive once its command returns.
 */
public final class Threads
{
    private static final Logger LOG = LoggerFactory.getLogger(Threads.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Threads()
    {
    }

    /**
     * Starts a daemon thread.
     *
     * @param name the thread's name (a counter is appended).
     * @param task what it runs.
     * @return the started thread.
     */
    public static Thread start(final String name, final Runnable task)
    {
        final Thread thread = daemon(name, task);
        thread.start();
        return thread;
    }

    /**
     * Creates a daemon thread without starting it.
     *
     * @param name the thread's name (a counter is appended).
     * @param task what it runs.
     * @return the thread.
     */
    public static Thread daemon(final String name, final Runnable task)
    {
        final Thread thread = new Thread(task, name + "-" + COUNTER.incrementAndGet());
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, ex) -> LOG.error("thread {} failed", t.getName(), ex));
        return thread;
    }

    /**
     * A factory of daemon threads for executors.
     *
     * @param name the threads' name prefix.
     * @return the factory.
     */
    public static ThreadFactory factory(final String name)
    {
        return task -> daemon(name, task);
    }
}
