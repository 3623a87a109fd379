package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

class MicroDownloadPropertyTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    private static final AtomicLong DELAYED_SEGMENTS = new AtomicLong();
    private static final AtomicLong DELAYED_RACE_DUPLICATES = new AtomicLong();

    @AfterAll
    static void printRaceDuplicates()
    {
        if (DELAYED_SEGMENTS.get() > 0)
        {
            System.out.printf("with control messages delayed up to 100 ms: %d of %d segments (%.3f%%) downloaded " +
                "twice outside the endgame%n", DELAYED_RACE_DUPLICATES.get(), DELAYED_SEGMENTS.get(),
                100.0 * DELAYED_RACE_DUPLICATES.get() / DELAYED_SEGMENTS.get());
        }
    }

    @Property(seeds = 300)
    void everySegmentCompletedExactlyOnceUnderRandomRatesFailuresStallsJoinsAndLeaves(final Gen gen)
    {
        runScenario(gen, 0);
    }

    @Property(seeds = 150)
    void noSegmentLostAndTheDownloadTerminatesWhenControlMessagesAreDelayed(final Gen gen)
    {
        runScenario(gen, 100 * MS);
    }

    private static void runScenario(final Gen gen, final long maxDelay)
    {
        final int segmentSize = gen.intBetween(4 * 1024, 64 * 1024);
        final long fileSize = gen.longBetween(1, 120L * segmentSize);
        final int initialBacklog = gen.intBetween(1, 5);
        final MicroDownloadConfig config = MicroDownloadConfig.defaults()
            .withSegmentSize(segmentSize)
            .withInitialBacklog(initialBacklog)
            .withStallTimeoutNanos(gen.longBetween(200 * MS, 3 * S))
            .withEndgame(gen.chance(0.8));
        final DownloadSimulator sim = new DownloadSimulator(config, fileSize, 10 * MS, gen.nextLong());
        sim.maxMessageDelayNanos = maxDelay;
        sim.delays = gen.random();
        final int deviceCount = gen.intBetween(1, 6);
        for (int id = 0; id < deviceCount; id++)
        {
            // Device 0 is the anchor: present throughout, its link eventually good, so the download can end.
            final boolean anchor = id == 0;
            final int periods = gen.intBetween(1, 8);
            final double[] rates = new double[periods];
            for (int p = 0; p < periods; p++)
            {
                rates[p] = gen.chance(0.2) ? 0 : gen.doubleBetween(2_000, 2_000_000);
            }
            if (anchor)
            {
                rates[periods - 1] = gen.doubleBetween(20_000, 2_000_000);
            }
            final long join = anchor ? 0 : gen.chance(0.5) ? 0 : gen.longBetween(0, 20 * S);
            final long leave = anchor || gen.chance(0.6) ? Long.MAX_VALUE : join + gen.longBetween(10 * MS, 30 * S);
            sim.addDevice(id, DownloadSimulator.piecewise(gen.longBetween(100 * MS, 10 * S), rates), join, leave);
        }
        final double failureRate = gen.chance(0.5) ? 0 : gen.doubleBetween(0, 0.05);
        final java.util.SplittableRandom failureRandom = gen.random();
        sim.failures = (d, s, t) -> failureRate > 0 && failureRandom.nextDouble() < failureRate;

        final MicroDownload scheduler = sim.scheduler;
        sim.observers.add(new DownloadSimulator.Observer()
        {
            @Override
            public void onStep(final long nanos)
            {
                if (maxDelay == 0)
                {
                    sim.checkMirror();
                }
                boolean anyRoom = false;
                for (final DeviceStatistics stats : scheduler.statistics())
                {
                    assertTrue(stats.backlog() <= config.maxBacklog(),
                        () -> "backlog bound broken: " + stats + " > " + config.maxBacklog());
                    anyRoom |= stats.backlog() < stats.backlogLimit() && !stats.coolingDown();
                }
                if (anyRoom)
                {
                    assertEquals(0, scheduler.pendingCount(), "a segment is unassigned while a device has room");
                }
            }
        });

        final boolean completed = sim.run(4 * 3600 * S);
        assertTrue(completed, () -> "did not terminate: " + scheduler.completedCount() + "/" +
            scheduler.segmentCount() + " " + scheduler.statistics());
        long duplicateDownloads = 0;
        for (int s = 0; s < sim.downloads.length; s++)
        {
            final int count = sim.downloads[s];
            final int index = s;
            assertTrue(count >= 1, () -> "segment never downloaded: " + index);
            if (count > 1 && maxDelay > 0 && !sim.duplicated[s])
            {
                // A revocation still in flight when the old holder finished: the race the docs describe.
                DELAYED_RACE_DUPLICATES.incrementAndGet();
            }
            else if (count > 1)
            {
                assertTrue(sim.duplicated[s] && count == 2,
                    () -> "segment " + index + " downloaded " + count + " times without an endgame duplicate");
                duplicateDownloads++;
            }
            assertTrue(scheduler.isCompleted(s));
        }
        if (maxDelay > 0)
        {
            DELAYED_SEGMENTS.addAndGet(sim.downloads.length);
        }
        if (!config.endgame() && maxDelay == 0)
        {
            assertEquals(0, duplicateDownloads);
            assertEquals(0, scheduler.endgameDuplicates());
        }
        assertEquals(0, scheduler.pendingCount());
    }
}
