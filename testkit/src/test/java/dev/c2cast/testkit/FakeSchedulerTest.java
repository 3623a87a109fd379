package dev.c2cast.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class FakeSchedulerTest
{
    @Test
    void runsInDeadlineOrderThenInsertionOrder()
    {
        final FakeScheduler scheduler = new FakeScheduler();
        final List<String> log = new ArrayList<>();
        scheduler.schedule(20, TimeUnit.MILLISECONDS, () -> log.add("c@" + scheduler.clock().nanoTime()));
        scheduler.schedule(10, TimeUnit.MILLISECONDS, () -> log.add("a@" + scheduler.clock().nanoTime()));
        scheduler.schedule(10, TimeUnit.MILLISECONDS, () -> log.add("b@" + scheduler.clock().nanoTime()));
        assertEquals(3, scheduler.runFor(1, TimeUnit.SECONDS));
        assertEquals(List.of("a@10000000", "b@10000000", "c@20000000"), log);
        assertEquals(1_000_000_000L, scheduler.clock().nanoTime());
    }

    @Test
    void cancelledTasksDoNotRunAndTasksMayReschedule()
    {
        final FakeScheduler scheduler = new FakeScheduler();
        final int[] ticks = {0};
        final FakeScheduler.Timer cancelled = scheduler.schedule(5, TimeUnit.MILLISECONDS, () -> ticks[0] += 100);
        final Runnable[] tick = new Runnable[1];
        tick[0] = () ->
        {
            ticks[0]++;
            scheduler.schedule(10, TimeUnit.MILLISECONDS, tick[0]);
        };
        scheduler.schedule(0, TimeUnit.MILLISECONDS, tick[0]);
        cancelled.cancel();
        scheduler.runFor(95, TimeUnit.MILLISECONDS);
        assertEquals(10, ticks[0]);
        assertFalse(cancelled.cancel());
        assertThrows(IllegalStateException.class, () -> scheduler.runAll(50));
    }

    @Test
    void clockNeverGoesBackwards()
    {
        final FakeClock clock = new FakeClock(100);
        assertThrows(IllegalArgumentException.class, () -> clock.advanceTo(99));
        assertThrows(IllegalArgumentException.class, () -> clock.advanceNanos(-1));
        assertEquals(150, clock.advanceNanos(50));
    }
}
