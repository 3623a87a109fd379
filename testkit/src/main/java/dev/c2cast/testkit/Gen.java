package dev.c2cast.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A seeded source of test data: integers, sizes biased toward edge cases, byte arrays and weighted event
 * sequences. Two instances built from the same seed produce the same values in the same order.
 * <p>
 * The underlying generator is {@link SplittableRandom}, which (unlike a xorshift byte stream) is not linear over
 * GF(2), so random coefficient matrices drawn from it behave as random matrices should.
 * <p>
 * Not thread-safe: confine to the test's thread, or {@link #split()} one per thread.
 */
public final class Gen
{
    private final long seed;
    private final SplittableRandom random;

    /**
     * Creates a generator for a seed.
     *
     * @param seed the seed; the same seed gives the same sequence.
     */
    public Gen(final long seed)
    {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    private Gen(final long seed, final SplittableRandom random)
    {
        this.seed = seed;
        this.random = random;
    }

    /**
     * The seed this generator was built from.
     *
     * @return the seed.
     */
    public long seed()
    {
        return seed;
    }

    /**
     * An independent generator derived from this one, for another component or thread.
     *
     * @return a new generator whose sequence is determined by this generator's state.
     */
    public Gen split()
    {
        return new Gen(seed, random.split());
    }

    /**
     * A fresh {@link SplittableRandom} derived from this generator, to inject into code under test.
     *
     * @return a new random source.
     */
    public SplittableRandom random()
    {
        return random.split();
    }

    /**
     * A uniformly random long.
     *
     * @return any long value.
     */
    public long nextLong()
    {
        return random.nextLong();
    }

    /**
     * A uniformly random int in {@code [0, bound)}.
     *
     * @param bound exclusive upper bound, positive.
     * @return the value.
     */
    public int nextInt(final int bound)
    {
        return random.nextInt(bound);
    }

    /**
     * A uniformly random int in {@code [min, max]}, both inclusive.
     *
     * @param min lowest value.
     * @param max highest value, {@code >= min}.
     * @return the value.
     */
    public int intBetween(final int min, final int max)
    {
        if (max < min)
        {
            throw new IllegalArgumentException("max < min: " + max + " < " + min);
        }
        return (int)random.nextLong(min, (long)max + 1);
    }

    /**
     * A uniformly random long in {@code [min, max]}, both inclusive.
     *
     * @param min lowest value.
     * @param max highest value, {@code >= min}, {@code < Long.MAX_VALUE}.
     * @return the value.
     */
    public long longBetween(final long min, final long max)
    {
        if (max < min)
        {
            throw new IllegalArgumentException("max < min: " + max + " < " + min);
        }
        return random.nextLong(min, max + 1);
    }

    /**
     * A uniformly random double in {@code [min, max)}.
     *
     * @param min lowest value.
     * @param max upper bound, {@code > min}.
     * @return the value.
     */
    public double doubleBetween(final double min, final double max)
    {
        return random.nextDouble(min, max);
    }

    /**
     * A fair coin.
     *
     * @return true or false with equal probability.
     */
    public boolean bool()
    {
        return random.nextBoolean();
    }

    /**
     * A biased coin.
     *
     * @param probability chance of true, in {@code [0, 1]}.
     * @return true with the given probability.
     */
    public boolean chance(final double probability)
    {
        return random.nextDouble() < probability;
    }

    /**
     * A size in {@code [min, max]} that hits the edges often: about one draw in eight is {@code min}, one in eight
     * {@code max}, one in eight a value next to an edge, the rest uniform.
     *
     * @param min smallest size.
     * @param max largest size.
     * @return the size.
     */
    public int size(final int min, final int max)
    {
        final int roll = random.nextInt(8);
        switch (roll)
        {
            case 0:
                return min;
            case 1:
                return max;
            case 2:
                return bool() ? Math.min(max, min + 1) : Math.max(min, max - 1);
            default:
                return intBetween(min, max);
        }
    }

    /**
     * Random bytes of an exact length.
     *
     * @param length number of bytes.
     * @return a new array.
     */
    public byte[] bytes(final int length)
    {
        final byte[] bytes = new byte[length];
        fill(bytes, 0, length);
        return bytes;
    }

    /**
     * Random bytes with a length from {@link #size(int, int)}.
     *
     * @param minLength shortest length.
     * @param maxLength longest length.
     * @return a new array.
     */
    public byte[] bytes(final int minLength, final int maxLength)
    {
        return bytes(size(minLength, maxLength));
    }

    /**
     * Fills part of an array with random bytes.
     *
     * @param dst    the array.
     * @param offset first index written.
     * @param length number of bytes written.
     */
    public void fill(final byte[] dst, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, dst.length);
        int i = offset;
        final int end = offset + length;
        while (i < end)
        {
            long bits = random.nextLong();
            for (int b = 0; b < 8 && i < end; b++)
            {
                dst[i++] = (byte)bits;
                bits >>>= 8;
            }
        }
    }

    /**
     * One element chosen uniformly.
     *
     * @param choices non-empty list.
     * @param <T>     element type.
     * @return the chosen element.
     */
    public <T> T pick(final List<T> choices)
    {
        if (choices.isEmpty())
        {
            throw new IllegalArgumentException("nothing to pick from");
        }
        return choices.get(random.nextInt(choices.size()));
    }

    /**
     * A shuffled copy of a list (Fisher-Yates with this generator).
     *
     * @param list the list.
     * @param <T>  element type.
     * @return a new list holding the same elements in random order.
     */
    public <T> List<T> shuffled(final List<T> list)
    {
        final List<T> copy = new ArrayList<>(list);
        for (int i = copy.size() - 1; i > 0; i--)
        {
            Collections.swap(copy, i, random.nextInt(i + 1));
        }
        return copy;
    }

    /**
     * A sequence of events drawn from a weighted mix, for state-machine properties (joins, leaves, crashes, ...).
     *
     * @param mix    the events and their weights.
     * @param length number of events.
     * @param <E>    event type.
     * @return the sequence.
     */
    public <E> List<E> events(final EventMix<E> mix, final int length)
    {
        final List<E> events = new ArrayList<>(length);
        for (int i = 0; i < length; i++)
        {
            events.add(mix.draw(this));
        }
        return events;
    }

    @Override
    public String toString()
    {
        return "Gen{seed=" + seed + '}';
    }
}
