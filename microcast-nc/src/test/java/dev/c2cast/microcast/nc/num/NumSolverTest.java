package dev.c2cast.microcast.nc.num;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import dev.c2cast.microcast.nc.sim.Chart;
import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

import org.junit.jupiter.api.Test;

/**
 * The shapes of Figs. 4 and 5 (microcast.txt, section VI-A) under this project's parameters: cellular rate 1 Mbit/s
 * per device, no cellular loss, local capacity 5 Mbit/s (the paper copy lost its values).
 */
class NumSolverTest
{
    static final double R = 1_000_000;
    static final double C = 5_000_000;
    static final int MAX_DEVICES = 10;

    static double rate(final NumPolicy policy, final int n, final double p)
    {
        return NumSolver.averageThroughput(policy, NumScenario.symmetric(n, R, 0, C, p));
    }

    @Test
    void noCooperationIsFlatInN()
    {
        for (int n = 1; n <= MAX_DEVICES; n++)
        {
            assertEquals(R, rate(NumPolicy.NO_COOPERATION, n, 0.2), 1e-6);
        }
    }

    @Test
    void unicastRisesThenFalls()
    {
        for (final double p : new double[] {0, 0.2})
        {
            int peak = 1;
            for (int n = 2; n <= MAX_DEVICES; n++)
            {
                if (rate(NumPolicy.UNICAST, n, p) > rate(NumPolicy.UNICAST, peak, p))
                {
                    peak = n;
                }
            }
            assertTrue(peak > 1 && peak < MAX_DEVICES, "peak at " + peak);
            for (int n = 2; n <= peak; n++)
            {
                assertTrue(rate(NumPolicy.UNICAST, n, p) > rate(NumPolicy.UNICAST, n - 1, p));
            }
            for (int n = peak + 1; n <= MAX_DEVICES; n++)
            {
                assertTrue(rate(NumPolicy.UNICAST, n, p) < rate(NumPolicy.UNICAST, n - 1, p), "n=" + n);
            }
        }
    }

    @Test
    void codedPseudoBroadcastNeverDecreasesInN()
    {
        for (final double p : new double[] {0, 0.1, 0.2, 0.4})
        {
            for (int n = 2; n <= MAX_DEVICES; n++)
            {
                assertTrue(rate(NumPolicy.PSEUDO_BROADCAST_CODED, n, p) >=
                    rate(NumPolicy.PSEUDO_BROADCAST_CODED, n - 1, p), "n=" + n + " p=" + p);
            }
        }
    }

    @Test
    void uncodedEqualsCodedWithoutLossAndPeaksThenFallsAtLossPointTwo()
    {
        for (int n = 1; n <= MAX_DEVICES; n++)
        {
            assertEquals(rate(NumPolicy.PSEUDO_BROADCAST_CODED, n, 0),
                rate(NumPolicy.PSEUDO_BROADCAST_UNCODED, n, 0), 1e-6);
        }
        int peak = 1;
        for (int n = 2; n <= MAX_DEVICES; n++)
        {
            if (rate(NumPolicy.PSEUDO_BROADCAST_UNCODED, n, 0.2) > rate(NumPolicy.PSEUDO_BROADCAST_UNCODED, peak, 0.2))
            {
                peak = n;
            }
        }
        assertTrue(peak > 2 && peak < MAX_DEVICES, "peak at " + peak);
        assertTrue(rate(NumPolicy.PSEUDO_BROADCAST_UNCODED, MAX_DEVICES, 0.2) <
            rate(NumPolicy.PSEUDO_BROADCAST_UNCODED, peak, 0.2));
    }

    @Test
    void codingBeatsNoCodingBeatsUnicastAtEveryLoss()
    {
        for (int n = 2; n <= MAX_DEVICES; n++)
        {
            for (int percent = 1; percent <= 60; percent++)
            {
                final double p = percent / 100.0;
                final double coded = rate(NumPolicy.PSEUDO_BROADCAST_CODED, n, p);
                final double uncoded = rate(NumPolicy.PSEUDO_BROADCAST_UNCODED, n, p);
                final double unicast = rate(NumPolicy.UNICAST, n, p);
                assertTrue(coded >= uncoded && uncoded >= unicast, "n=" + n + " p=" + p);
            }
        }
    }

    @Test
    void gapBetweenCodedAndUncodedGrowsWithGroupSize()
    {
        // Fig. 5(a) vs 5(b): compare 4 and 8 devices at local loss 0.3, where the local area is the bottleneck.
        final double small = rate(NumPolicy.PSEUDO_BROADCAST_CODED, 4, 0.3) - rate(NumPolicy.PSEUDO_BROADCAST_UNCODED, 4, 0.3);
        final double large = rate(NumPolicy.PSEUDO_BROADCAST_CODED, 8, 0.3) - rate(NumPolicy.PSEUDO_BROADCAST_UNCODED, 8, 0.3);
        assertTrue(large > small, small + " vs " + large);
    }

    @Test
    void devicesWithoutCellularStillReceiveTheCommonRate()
    {
        final NumScenario scenario = new NumScenario(
            new double[] {480e3, 550e3, 600e3, 670e3, 0, 0, 0}, 0, 20e6, 0, 1);
        assertEquals(2300e3, NumSolver.averageThroughput(NumPolicy.PSEUDO_BROADCAST_CODED, scenario), 1e-3);
        assertEquals(2300e3 / 7, NumSolver.averageThroughput(NumPolicy.NO_COOPERATION, scenario), 1e-3);
    }

    @Test
    void writesFigures4And5() throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final double[] devices = new double[MAX_DEVICES];
        for (int n = 1; n <= MAX_DEVICES; n++)
        {
            devices[n - 1] = n;
        }
        for (final double p : new double[] {0, 0.2})
        {
            final Chart chart = Chart.lines("Fig. 4: throughput vs devices, local loss " + p, "devices", "bit/s");
            for (final NumPolicy policy : NumPolicy.values())
            {
                final double[] ys = new double[MAX_DEVICES];
                for (int n = 1; n <= MAX_DEVICES; n++)
                {
                    ys[n - 1] = rate(policy, n, p);
                }
                chart.series(policy.name(), devices, ys);
            }
            chart.write(Path.of("target", "figures", p == 0 ? "fig4a" : "fig4b"));
        }
        final double[] losses = new double[11];
        for (int i = 0; i < losses.length; i++)
        {
            losses[i] = i * 0.05;
        }
        for (final int n : new int[] {4, 8})
        {
            final Chart chart = Chart.lines("Fig. 5: throughput vs local loss, " + n + " devices", "loss", "bit/s");
            for (final NumPolicy policy : NumPolicy.values())
            {
                final double[] ys = new double[losses.length];
                for (int i = 0; i < losses.length; i++)
                {
                    ys[i] = rate(policy, n, losses[i]);
                }
                chart.series(policy.name(), losses, ys);
            }
            chart.write(Path.of("target", "figures", n == 4 ? "fig5a" : "fig5b"));
        }
        assertTrue(Path.of("target", "figures", "fig5b.png").toFile().length() > 0);
    }

    @Test
    void rejectsInvalidScenarios()
    {
        assertThrows(IllegalArgumentException.class, () -> new NumScenario(new double[0], 0, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> NumScenario.symmetric(2, 1, 0, 1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> NumScenario.symmetric(2, -1, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new NumScenario(new double[] {1}, 0, 1, 0, 0));
    }

    @Property(seeds = 200)
    void cooperativeRateIsBoundedByAggregateAndNeverBelowWeakestDevice(final Gen gen)
    {
        final int n = gen.intBetween(1, 12);
        final double[] rates = new double[n];
        double sum = 0;
        double min = Double.MAX_VALUE;
        for (int i = 0; i < n; i++)
        {
            rates[i] = gen.intBetween(0, 2_000) * 1000.0;
            sum += rates[i];
            min = Math.min(min, rates[i]);
        }
        final NumScenario scenario = new NumScenario(rates, 0, gen.intBetween(1, 50) * 1e6, gen.intBetween(0, 50) / 100.0, 1);
        double previous = Double.MAX_VALUE;
        for (final NumPolicy policy : new NumPolicy[] {
            NumPolicy.PSEUDO_BROADCAST_CODED, NumPolicy.PSEUDO_BROADCAST_UNCODED, NumPolicy.UNICAST})
        {
            final double z = NumSolver.averageThroughput(policy, scenario);
            assertTrue(z <= sum + 1e-6 && z >= min - 1e-6, policy + " " + z);
            assertTrue(z <= previous + 1e-6, policy + " out of order");
            previous = z;
        }
    }
}
