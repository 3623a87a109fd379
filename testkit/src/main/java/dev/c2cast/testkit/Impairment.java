package dev.c2cast.testkit;

import java.util.SplittableRandom;

/**
 * A seeded model of an impaired link for packet-level tests: independent loss, duplication, adjacent reordering
 * and uniform delay jitter, each drawn from the caller's random source so a trace is replayable from its seed.
 *
 * @param lossProbability      chance that a packet is dropped.
 * @param duplicateProbability chance that a delivered packet is delivered twice.
 * @param reorderProbability   chance that a packet is held back behind the next one.
 * @param baseDelayNanos       constant one-way delay.
 * @param jitterNanos          extra delay, uniform in {@code [0, jitterNanos]}.
 */
public record Impairment(
    double lossProbability,
    double duplicateProbability,
    double reorderProbability,
    long baseDelayNanos,
    long jitterNanos)
{
    /** A link that delivers everything once, in order, at once. */
    public static final Impairment NONE = new Impairment(0, 0, 0, 0, 0);

    /**
     * Validates the parameters.
     *
     * @param lossProbability      chance that a packet is dropped.
     * @param duplicateProbability chance that a delivered packet is delivered twice.
     * @param reorderProbability   chance that a packet is held back behind the next one.
     * @param baseDelayNanos       constant one-way delay.
     * @param jitterNanos          extra delay, uniform in {@code [0, jitterNanos]}.
     */
    public Impairment
    {
        checkProbability("lossProbability", lossProbability);
        checkProbability("duplicateProbability", duplicateProbability);
        checkProbability("reorderProbability", reorderProbability);
        if (baseDelayNanos < 0 || jitterNanos < 0)
        {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }

    /**
     * A loss-only link.
     *
     * @param lossProbability chance that a packet is dropped.
     * @return the impairment.
     */
    public static Impairment loss(final double lossProbability)
    {
        return new Impairment(lossProbability, 0, 0, 0, 0);
    }

    /**
     * How many copies of the next packet arrive: 0 (lost), 1 or 2 (duplicated).
     *
     * @param random the trace's random source.
     * @return the number of copies.
     */
    public int copies(final SplittableRandom random)
    {
        if (random.nextDouble() < lossProbability)
        {
            return 0;
        }
        return random.nextDouble() < duplicateProbability ? 2 : 1;
    }

    /**
     * Whether the next packet is swapped with the one after it.
     *
     * @param random the trace's random source.
     * @return true to reorder.
     */
    public boolean reorder(final SplittableRandom random)
    {
        return random.nextDouble() < reorderProbability;
    }

    /**
     * The one-way delay of the next copy.
     *
     * @param random the trace's random source.
     * @return delay in nanoseconds.
     */
    public long delayNanos(final SplittableRandom random)
    {
        return baseDelayNanos + (jitterNanos == 0 ? 0 : random.nextLong(jitterNanos + 1));
    }

    private static void checkProbability(final String name, final double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new IllegalArgumentException(name + " must be in [0, 1]: " + value);
        }
    }
}
