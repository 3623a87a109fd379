package dev.c2cast.examples.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a process's resources once, in reverse order of registration, either when the command ends or when the JVM
 * is asked to stop (Ctrl-C, SIGTERM) through a shutdown hook. Long-running commands wait on {@link #await(long)}.
 * <p>
 * Thread-safe.
 */
public final class Shutdown implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch requested = new CountDownLatch(1);
    private Thread hook;
    private boolean closed;

    /** Creates an empty shutdown list without a hook. */
    public Shutdown()
    {
    }

    /**
     * Installs a JVM shutdown hook that closes the resources; removed again by {@link #close()}.
     *
     * @return this.
     */
    public synchronized Shutdown installHook()
    {
        if (hook == null && !closed)
        {
            hook = new Thread(this::closeFromHook, "c2cast-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        return this;
    }

    /**
     * Adds a resource to close; if already closed, closes it at once.
     *
     * @param resource the resource.
     * @param <T>      its type.
     * @return the resource.
     */
    public <T extends AutoCloseable> T register(final T resource)
    {
        final boolean closeNow;
        synchronized (this)
        {
            closeNow = closed;
            if (!closeNow)
            {
                resources.push(resource);
            }
        }
        if (closeNow)
        {
            closeQuietly(resource);
        }
        return resource;
    }

    /** Asks waiting commands to end, as Ctrl-C does. */
    public void request()
    {
        requested.countDown();
    }

    /**
     * Waits until a stop is requested or the time runs out.
     *
     * @param timeoutMillis how long to wait, or a negative value to wait without bound.
     * @return true if a stop was requested.
     * @throws InterruptedException if interrupted.
     */
    public boolean await(final long timeoutMillis) throws InterruptedException
    {
        if (timeoutMillis < 0)
        {
            requested.await();
            return true;
        }
        return requested.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Whether a stop was requested.
     *
     * @return true after {@link #request()}, a shutdown signal or {@link #close()}.
     */
    public boolean isRequested()
    {
        return requested.getCount() == 0;
    }

    private void closeFromHook()
    {
        synchronized (this)
        {
            hook = null;
        }
        closeResources();
    }

    /** Closes every resource in reverse order of registration (once) and removes the hook. */
    @Override
    public void close()
    {
        final Thread installed;
        synchronized (this)
        {
            installed = hook;
            hook = null;
        }
        if (installed != null)
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(installed);
            }
            catch (final IllegalStateException ex)
            {
                LOG.debug("JVM already shutting down", ex);
            }
        }
        closeResources();
    }

    private void closeResources()
    {
        requested.countDown();
        while (true)
        {
            final AutoCloseable next;
            synchronized (this)
            {
                closed = true;
                next = resources.poll();
            }
            if (next == null)
            {
                return;
            }
            closeQuietly(next);
        }
    }

    private static void closeQuietly(final AutoCloseable resource)
    {
        try
        {
            resource.close();
        }
        catch (final Exception ex)
        {
            LOG.warn("closing {} failed", resource, ex);
        }
    }
}
