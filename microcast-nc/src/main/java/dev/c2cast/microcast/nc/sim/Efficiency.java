package dev.c2cast.microcast.nc.sim;

/**
 * The floor a dissemination scheme's local traffic is measured against: every byte of the file must cross the
 * channel at least once, with its header overhead, and with loss the worst receiver needs more than one
 * transmission per innovative packet. Stateless.
 */
public final class Efficiency
{
    private Efficiency()
    {
    }

    /**
     * kappa: expected transmissions per innovative packet for the worst of {@code receivers} receivers, each of
     * which needs {@code g} packets and misses every transmission independently with probability {@code loss}.
     * It is {@code E[max_j T_j] / g}, T_j being the number of transmissions until receiver j has g of them
     * (a negative binomial), computed as {@code sum_t (1 - P(T <= t)^receivers) / g}.
     *
     * @param g         packets needed per segment.
     * @param receivers receivers of every transmission.
     * @param loss      per-transmission loss probability in [0, 1).
     * @return kappa, at least 1.
     */
    public static double kappa(final int g, final int receivers, final double loss)
    {
        if (g < 1 || receivers < 1 || !(loss >= 0 && loss < 1))
        {
            throw new IllegalArgumentException("invalid kappa arguments");
        }
        if (loss == 0)
        {
            return 1;
        }
        final double q = 1 - loss;
        // pmf[k] = P(Bin(t, q) = k) for k < g, updated as t grows; P(T <= t) = 1 - sum_{k<g} pmf[k].
        final double[] pmf = new double[g];
        pmf[0] = 1;
        double expected = 0;
        for (int t = 0; t < 1_000_000; t++)
        {
            double below = 0;
            for (int k = 0; k < g; k++)
            {
                below += pmf[k];
            }
            final double term = 1 - Math.pow(Math.max(0, 1 - below), receivers);
            expected += term;
            if (t >= g && term < 1e-12)
            {
                break;
            }
            for (int k = g - 1; k > 0; k--)
            {
                pmf[k] = pmf[k] * loss + pmf[k - 1] * q;
            }
            pmf[0] *= loss;
        }
        return expected / g;
    }

    /**
     * The floor of local bytes: {@code fileBytes * (1 + h) * kappa}, h being a data frame's header overhead over
     * its payload.
     *
     * @param scenario  the scenario.
     * @param receivers receivers of every segment (N - 1).
     * @return bytes.
     */
    public static double floorBytes(final Scenario scenario, final int receivers)
    {
        final double overhead =
            (double)(DisseminationSimulator.dataFrameLength(scenario) - scenario.symbolSize()) / scenario.symbolSize();
        return scenario.fileBytes() * (1 + overhead) *
            kappa(scenario.generationSize(), receivers, scenario.localLoss());
    }

    /**
     * Local bytes on the air over the floor.
     *
     * @param result a run's result.
     * @return the ratio.
     */
    public static double ratio(final SimulationResult result)
    {
        return result.airBytes() / floorBytes(result.scenario(), result.scenario().devices() - 1);
    }
}
