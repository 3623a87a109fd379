package dev.c2cast.microcast.nc.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Local-traffic efficiency of MicroNC-P2: all bytes on the air (data and every control message) over the floor
 * F x (1 + h) x kappa, for 4 and 7 devices of which the first four download (480/550/600/670 kbit/s).
 */
@DisabledIfSystemProperty(named = "c2cast.expectSimd", matches = "true", disabledReason = "no coder kernel involved")
class LocalTrafficEfficiencySimulationTest
{
    static final long FILE = 3_000_000L;
    static final double[] RATES = {480, 550, 600, 670, 0, 0, 0};

    @Test
    void kappaMatchesClosedFormsAndGrowsWithLossAndReceivers()
    {
        assertEquals(1.0, Efficiency.kappa(32, 6, 0), 0);
        // One receiver needs g / (1 - p) transmissions on average: kappa = 1 / (1 - p).
        assertEquals(1 / 0.8, Efficiency.kappa(32, 1, 0.2), 1e-9);
        assertEquals(1 / 0.95, Efficiency.kappa(1, 1, 0.05), 1e-9);
        // Two receivers, g = 1: E[max of two geometrics] = (2 / q - 1 / (1 - p^2)).
        final double q = 0.7;
        assertEquals(2 / q - 1 / (1 - 0.09), Efficiency.kappa(1, 2, 0.3), 1e-9);
        assertTrue(Efficiency.kappa(32, 6, 0.2) > Efficiency.kappa(32, 3, 0.2));
        assertTrue(Efficiency.kappa(32, 3, 0.2) > Efficiency.kappa(32, 3, 0.05));
    }

    @Test
    void microNcStaysCloseToTheFloor()
    {
        final double[] losses = {0, 0.02, 0.05, 0.2};
        final StringBuilder report = new StringBuilder();
        final double[][] ratios = new double[2][losses.length];
        for (int k = 0; k < 2; k++)
        {
            final int devices = k == 0 ? 4 : 7;
            for (int i = 0; i < losses.length; i++)
            {
                final SimulationResult result = DisseminationSimulator.run(Scenario.of(EngineKind.MICRONC_P2,
                    Arrays.copyOf(RATES, devices), FILE).withChannel(losses[i], 0));
                assertTrue(result.allComplete());
                ratios[k][i] = Efficiency.ratio(result);
                report.append(String.format(java.util.Locale.ROOT, "N=%d p=%.2f kappa=%.4f ratio=%.4f%n", devices,
                    losses[i], Efficiency.kappa(32, devices - 1, losses[i]), ratios[k][i]));
            }
        }
        System.out.print("Local-traffic efficiency of MicroNC-P2\n" + report);
        for (int k = 0; k < 2; k++)
        {
            for (int i = 0; i < losses.length; i++)
            {
                assertTrue(ratios[k][i] <= (losses[i] <= 0.05 ? 1.20 : 1.35), report.toString());
            }
        }
        Figures.write(Chart.lines("MicroNC-P2 local bytes over the floor F(1+h)kappa", "per-link loss", "ratio")
            .series("4 devices", losses, ratios[0]).series("7 devices", losses, ratios[1]), "efficiency");
    }
}
