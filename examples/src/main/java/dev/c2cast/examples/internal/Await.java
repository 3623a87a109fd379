package dev.c2cast.examples.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a bound, polling every 10 ms: no unbounded waits in the example processes or tests. */
public final class Await
{
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private Await()
    {
    }

    /**
     * Waits until a condition holds.
     *
     * @param condition   what to wait for.
     * @param timeoutMillis the bound.
     * @param what        described in the timeout message.
     * @throws TimeoutException if the condition still fails after the bound.
     */
    public static void until(final BooleanSupplier condition, final long timeoutMillis, final String what) throws TimeoutException
    {
        if (!within(condition, timeoutMillis))
        {
            throw new TimeoutException("timed out after " + timeoutMillis + " ms waiting for " + what);
        }
    }

    /**
     * Waits until a condition holds or the bound passes.
     *
     * @param condition     what to wait for.
     * @param timeoutMillis the bound.
     * @return whether the condition held.
     */
    public static boolean within(final BooleanSupplier condition, final long timeoutMillis)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return condition.getAsBoolean();
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }
}
