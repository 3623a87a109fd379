package dev.c2cast.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

class PropertyExtensionTest
{
    /** Runs nested properties through a real JUnit launcher; the outer build must not pick them up itself. */
    static final class Fixture
    {
        static volatile boolean enabled;

        @Property(seeds = 7)
        void sevenSeeds(final Gen gen)
        {
            gen.nextLong();
        }

        @Property(seeds = 30)
        void failsOnSomeSeed(final Gen gen)
        {
            if (enabled && gen.intBetween(0, 3) == 0)
            {
                throw new AssertionError("boom");
            }
        }
    }

    private static TestExecutionSummary run(final String method)
    {
        final LauncherDiscoveryRequest request = request()
            .selectors(selectMethod(Fixture.class, method, Gen.class.getName()))
            .build();
        final Launcher launcher = LauncherFactory.create();
        final SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        return listener.getSummary();
    }

    @Test
    void runsOneInvocationPerSeed()
    {
        final TestExecutionSummary summary = run("sevenSeeds");
        assertEquals(7, summary.getTestsSucceededCount());
    }

    @Test
    void failureNamesItsSeedAndReplayRunsExactlyThatSeed()
    {
        Fixture.enabled = true;
        try
        {
            final TestExecutionSummary summary = run("failsOnSomeSeed");
            assertTrue(summary.getTestsFailedCount() > 0, "some seed must fail");
            final String message = summary.getFailures().get(0).getException().getMessage();
            assertTrue(message.contains("replay with -Dtestkit.seed="), message);
            final String seed = message.replaceAll("(?s).*failed for seed=(-?\\d+);.*", "$1");
            assertNotEquals(message, seed);

            System.setProperty(PropertyExtension.SEED_PROPERTY, seed);
            try
            {
                final TestExecutionSummary replay = run("failsOnSomeSeed");
                assertEquals(1, replay.getTestsStartedCount());
                assertEquals(1, replay.getTestsFailedCount());
                assertTrue(replay.getFailures().get(0).getException().getMessage().contains("seed=" + seed));
            }
            finally
            {
                System.clearProperty(PropertyExtension.SEED_PROPERTY);
            }
        }
        finally
        {
            Fixture.enabled = false;
        }
    }

    @Test
    void derivedSeedsDifferBetweenMethods()
    {
        assertNotEquals(Seeds.mix(Seeds.hash("A#a")), Seeds.mix(Seeds.hash("A#b")));
        assertThrows(IllegalArgumentException.class, () -> new Gen(1).intBetween(3, 2));
    }
}
