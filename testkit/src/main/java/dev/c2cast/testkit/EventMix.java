package dev.c2cast.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * A weighted set of events to draw sequences from with {@link Gen#events(EventMix, int)}.
 * <pre>{@code
 * EventMix<Op> mix = EventMix.<Op>builder().add(Op.JOIN, 5).add(Op.LEAVE, 2).add(Op.CRASH, 1).build();
 * }</pre>
 *
 * @param <E> the event type.
 */
public final class EventMix<E>
{
    private final List<E> events;
    private final int[] cumulative;
    private final int total;

    private EventMix(final List<E> events, final int[] cumulative)
    {
        this.events = List.copyOf(events);
        this.cumulative = cumulative.clone();
        this.total = cumulative[cumulative.length - 1];
    }

    /**
     * Starts a mix.
     *
     * @param <E> event type.
     * @return a builder.
     */
    public static <E> Builder<E> builder()
    {
        return new Builder<>();
    }

    E draw(final Gen gen)
    {
        final int roll = gen.nextInt(total);
        for (int i = 0; i < cumulative.length; i++)
        {
            if (roll < cumulative[i])
            {
                return events.get(i);
            }
        }
        throw new IllegalStateException("unreachable: roll " + roll + " of " + total);
    }

    /**
     * Collects events with their weights.
     *
     * @param <E> event type.
     */
    public static final class Builder<E>
    {
        private final List<E> events = new ArrayList<>();
        private final List<Integer> weights = new ArrayList<>();

        private Builder()
        {
        }

        /**
         * Adds an event.
         *
         * @param event  the event.
         * @param weight relative weight, positive.
         * @return this builder.
         */
        public Builder<E> add(final E event, final int weight)
        {
            if (weight <= 0)
            {
                throw new IllegalArgumentException("weight must be positive: " + weight);
            }
            events.add(event);
            weights.add(weight);
            return this;
        }

        /**
         * Builds the mix.
         *
         * @return the immutable mix.
         */
        public EventMix<E> build()
        {
            if (events.isEmpty())
            {
                throw new IllegalStateException("an event mix needs at least one event");
            }
            final int[] cumulative = new int[weights.size()];
            int sum = 0;
            for (int i = 0; i < cumulative.length; i++)
            {
                sum = Math.addExact(sum, weights.get(i));
                cumulative[i] = sum;
            }
            return new EventMix<>(events, cumulative);
        }
    }
}
