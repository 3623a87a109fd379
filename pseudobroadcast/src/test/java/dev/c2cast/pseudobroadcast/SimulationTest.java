package dev.c2cast.pseudobroadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

import org.junit.jupiter.api.Test;

class SimulationTest
{
    @Test
    void runsInDeadlineOrderThenSchedulingOrder()
    {
        final Simulation simulation = new Simulation();
        final List<String> order = new ArrayList<>();
        simulation.scheduleAt(20, () -> order.add("b"));
        simulation.scheduleAt(10, () -> order.add("a"));
        simulation.scheduleAt(20, () -> order.add("c"));
        assertEquals(3, simulation.runAll(10));
        assertEquals(List.of("a", "b", "c"), order);
        assertEquals(20, simulation.nanoTime());
    }

    @Test
    void cancelledTimersDoNotRunAndIdsAreNotReused()
    {
        final Simulation simulation = new Simulation();
        final List<String> order = new ArrayList<>();
        final long id = simulation.scheduleAt(5, () -> order.add("cancelled"));
        assertTrue(simulation.cancel(id));
        assertFalse(simulation.cancel(id));
        simulation.runAll(10);
        final long reused = simulation.scheduleAt(6, () -> order.add("later"));
        assertFalse(simulation.cancel(id), "a stale id must not cancel the slot's next timer");
        simulation.runAll(10);
        assertEquals(List.of("later"), order);
        assertTrue(reused != id);
    }

    @Test
    void runUntilStopsAtTheLimitAndMovesTheClock()
    {
        final Simulation simulation = new Simulation(100);
        final List<Long> times = new ArrayList<>();
        simulation.schedule(50, () -> times.add(simulation.nanoTime()));
        simulation.schedule(500, () -> times.add(simulation.nanoTime()));
        assertEquals(1, simulation.runUntil(300));
        assertEquals(300, simulation.nanoTime());
        assertEquals(List.of(150L), times);
        assertEquals(1, simulation.pending());
        assertThrows(IllegalStateException.class, () ->
        {
            final Simulation looping = new Simulation();
            final Runnable[] again = new Runnable[1];
            again[0] = () -> looping.schedule(1, again[0]);
            looping.schedule(1, again[0]);
            looping.runAll(100);
        });
    }

    @Property(seeds = 50)
    void matchesAReferencePriorityQueue(final Gen gen)
    {
        final Simulation simulation = new Simulation();
        final PriorityQueue<long[]> reference = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) :
            Long.compare(a[1], b[1]));
        final List<Long> ran = new ArrayList<>();
        final List<Long> expected = new ArrayList<>();
        final List<long[]> live = new ArrayList<>();
        long sequence = 0;
        for (int i = 0; i < 500; i++)
        {
            if (gen.chance(0.2) && !live.isEmpty())
            {
                final long[] victim = live.remove(gen.nextInt(live.size()));
                assertTrue(simulation.cancel(victim[2]));
                reference.remove(victim);
            }
            else
            {
                final long deadline = gen.longBetween(0, 1000);
                final long tag = sequence++;
                final long id = simulation.scheduleAt(deadline, () -> ran.add(tag));
                final long[] entry = {deadline, tag, id};
                reference.add(entry);
                live.add(entry);
            }
        }
        long[] next;
        while ((next = reference.poll()) != null)
        {
            expected.add(next[1]);
        }
        simulation.runAll(10_000);
        assertEquals(expected, ran);
    }
}
