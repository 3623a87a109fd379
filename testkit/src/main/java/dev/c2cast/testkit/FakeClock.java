package dev.c2cast.testkit;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A virtual monotonic clock in nanoseconds that moves only when told to. Inject it wherever an engine takes a
 * {@link LongSupplier} nano clock.
 * <p>
 * Not thread-safe: confined to the test thread that drives the simulation.
 */
public final class FakeClock implements LongSupplier
{
    private long nanos;

    /** A clock starting at zero. */
    public FakeClock()
    {
        this(0);
    }

    /**
     * A clock starting at a given time.
     *
     * @param startNanos initial reading.
     */
    public FakeClock(final long startNanos)
    {
        this.nanos = startNanos;
    }

    /**
     * The current reading.
     *
     * @return nanoseconds.
     */
    public long nanoTime()
    {
        return nanos;
    }

    @Override
    public long getAsLong()
    {
        return nanos;
    }

    /**
     * Moves the clock forward.
     *
     * @param amount how far, not negative.
     * @param unit   unit of {@code amount}.
     * @return the new reading.
     */
    public long advance(final long amount, final TimeUnit unit)
    {
        return advanceNanos(unit.toNanos(amount));
    }

    /**
     * Moves the clock forward.
     *
     * @param deltaNanos how far, not negative.
     * @return the new reading.
     */
    public long advanceNanos(final long deltaNanos)
    {
        if (deltaNanos < 0)
        {
            throw new IllegalArgumentException("time never goes backwards: " + deltaNanos);
        }
        nanos += deltaNanos;
        return nanos;
    }

    /**
     * Sets the clock to a later time.
     *
     * @param timeNanos the new reading, not before the current one.
     */
    public void advanceTo(final long timeNanos)
    {
        if (timeNanos < nanos)
        {
            throw new IllegalArgumentException("time never goes backwards: " + timeNanos + " < " + nanos);
        }
        nanos = timeNanos;
    }
}
