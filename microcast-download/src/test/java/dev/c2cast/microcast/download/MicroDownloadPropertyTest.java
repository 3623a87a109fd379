package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

/**
 * The scheduler's invariants over random files, backlogs, link rates with stalls, joins, leaves and producer
 * failures: once with control messages delivered at once, once with every control message delayed, reordered, lost
 * and retransmitted or delivered twice.
 */
class MicroDownloadPropertyTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    private static final AtomicLong DELAYED_SEGMENTS = new AtomicLong();
    private static final AtomicLong DELAYED_DOUBLE_DOWNLOADS = new AtomicLong();
    private static final AtomicLong DELAYED_ENDGAME_DOUBLES = new AtomicLong();
    private static final AtomicLong DELAYED_DEAD_HOLDER_DOUBLES = new AtomicLong();
    private static final AtomicLong DELAYED_MESSAGES_LOST = new AtomicLong();
    private static final AtomicLong DELAYED_MESSAGES_DUPLICATED = new AtomicLong();

    @AfterAll
    static void printDoubleDownloads()
    {
        if (DELAYED_SEGMENTS.get() > 0)
        {
            System.out.printf("control messages delayed 0-100 ms, reordered, %d lost and retransmitted, %d delivered " +
                "twice: %d of %d segments downloaded twice (%d endgame duplicates, %d after their holder was declared " +
                "dead), 0 otherwise%n", DELAYED_MESSAGES_LOST.get(), DELAYED_MESSAGES_DUPLICATED.get(),
                DELAYED_DOUBLE_DOWNLOADS.get(), DELAYED_SEGMENTS.get(), DELAYED_ENDGAME_DOUBLES.get(),
                DELAYED_DEAD_HOLDER_DOUBLES.get());
        }
    }

    @Property(seeds = 300)
    void everySegmentCompletedExactlyOnceUnderRandomRatesFailuresStallsJoinsAndLeaves(final Gen gen)
    {
        runScenario(gen, false);
    }

    @Property(seeds = 250)
    void noSegmentDownloadedTwiceOutsideTheDocumentedCasesWhenControlMessagesAreDelayedReorderedLostOrRepeated(
        final Gen gen)
    {
        runScenario(gen, true);
    }

    private static void runScenario(final Gen gen, final boolean network)
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
        if (network)
        {
            sim.maxMessageDelayNanos = gen.chance(0.5) ? 100 * MS : gen.longBetween(1 * MS, 100 * MS);
            sim.lossRate = gen.chance(0.3) ? 0 : gen.doubleBetween(0, 0.2);
            sim.duplicateRate = gen.chance(0.3) ? 0 : gen.doubleBetween(0, 0.1);
            sim.retransmissionNanos = gen.longBetween(20 * MS, 200 * MS);
        }
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
                if (network)
                {
                    sim.checkLeasesAccountedFor();
                }
                else
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
        long endgameDoubles = 0;
        long deadHolderDoubles = 0;
        for (int s = 0; s < sim.downloads.length; s++)
        {
            final int count = sim.downloads[s];
            final int index = s;
            assertTrue(count >= 1, () -> "segment never downloaded: " + index);
            assertTrue(scheduler.isCompleted(s));
            if (count == 1)
            {
                continue;
            }
            final int allowed = 1 + (sim.duplicated[s] ? 1 : 0) + sim.deadHolders[s];
            assertTrue(count <= allowed, () -> "segment " + index + " downloaded " + count + " times; endgame " +
                "duplicate " + sim.duplicated[index] + ", holders declared dead " + sim.deadHolders[index]);
            if (!network)
            {
                assertTrue(sim.duplicated[s] && count == 2,
                    () -> "segment " + index + " downloaded " + count + " times without an endgame duplicate");
            }
            if (sim.duplicated[s])
            {
                endgameDoubles++;
            }
            else
            {
                deadHolderDoubles++;
            }
        }
        if (!config.endgame())
        {
            assertEquals(0, endgameDoubles);
            assertEquals(0, scheduler.endgameDuplicates());
            if (!network)
            {
                assertEquals(0, deadHolderDoubles);
            }
        }
        if (network)
        {
            DELAYED_SEGMENTS.addAndGet(sim.downloads.length);
            DELAYED_DOUBLE_DOWNLOADS.addAndGet(endgameDoubles + deadHolderDoubles);
            DELAYED_ENDGAME_DOUBLES.addAndGet(endgameDoubles);
            DELAYED_DEAD_HOLDER_DOUBLES.addAndGet(deadHolderDoubles);
            DELAYED_MESSAGES_LOST.addAndGet(sim.messagesLost);
            DELAYED_MESSAGES_DUPLICATED.addAndGet(sim.messagesDuplicated);
        }
        assertEquals(0, scheduler.pendingCount());
        assertEquals(0, scheduler.revokingCount());
    }
}
