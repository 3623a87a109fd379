package dev.c2cast.microcast.nc.num;

/**
 * Solves the MicroCast NUM problems P1 and P2 (microcast.txt, section IV) for the common video rate z.
 * <p>
 * The utility U(z) is strictly increasing, so maximising it is maximising z. With i.i.d. local loss p, the
 * formulation reduces to a linear program in z and the shared rates s_i (what device i downloads and then spreads
 * to all others): device i downloads everything it does not receive locally, {@code z - sum_{j != i} s_j <= r_i}
 * with {@code r_i = R_i (1 - q)}; it can only share what it downloaded, {@code s_i <= z - sum_{j != i} s_j}; and the
 * shared traffic must fit the provisioned airtime, {@code a * sum_i s_i <= beta}. The policies differ only in the
 * airtime {@code a} one unit of rate needs to reach all N - 1 other devices:
 * <ul>
 *   <li>pseudo-broadcast with coding: {@code 1 / (C (1 - p))} (the fifth constraint of P1: each receiver gets a
 *       share 1 - p of the hyperlink rate, and every coded packet it gets is innovative);</li>
 *   <li>pseudo-broadcast without coding: {@code (N - 1) / (C max_k k (1 - p)^k)} over hyperlinks of k receivers,
 *       k in [1, N - 1] (constraint (2): a plain packet counts only if all k receivers got it; k = 1 is unicast,
 *       which P1 also contains);</li>
 *   <li>unicast (P2): {@code (N - 1) / (C (1 - p))}.</li>
 * </ul>
 * With {@code B = beta / a} and {@code r_min}, {@code sum r} over the devices, the optimum is {@code sum r} if
 * {@code sum r <= B}, else {@code min(r_min + B, (sum r + (N - 1) B) / N)}. No cooperation gives each device its
 * own {@code r_i}. The paper solved the same problems by sub-gradient iterations over random ON/OFF link states
 * (section VI-A); their average converges to this optimum, which this class computes exactly.
 * <p>
 * Stateless and thread-safe.
 */
public final class NumSolver
{
    private NumSolver()
    {
    }

    /**
     * The average per-device throughput a policy sustains: the common video rate z for the cooperative policies,
     * the mean of the devices' own cellular goodput for {@link NumPolicy#NO_COOPERATION}.
     *
     * @param policy   the cooperation policy.
     * @param scenario the network.
     * @return bit/s.
     */
    public static double averageThroughput(final NumPolicy policy, final NumScenario scenario)
    {
        final int n = scenario.devices();
        double sum = 0;
        double min = Double.MAX_VALUE;
        for (int i = 0; i < n; i++)
        {
            final double r = scenario.cellularRate(i) * (1 - scenario.cellularLoss());
            sum += r;
            min = Math.min(min, r);
        }
        if (policy == NumPolicy.NO_COOPERATION)
        {
            return sum / n;
        }
        final double shared = sharingCapacity(policy, scenario);
        if (sum <= shared)
        {
            return sum;
        }
        return Math.min(min + shared, (sum + (n - 1) * shared) / n);
    }

    /**
     * B: the largest total rate the devices can spread to all others within the provisioned local airtime.
     *
     * @param policy   the cooperation policy.
     * @param scenario the network.
     * @return bit/s; 0 for {@link NumPolicy#NO_COOPERATION} and for a single device.
     */
    public static double sharingCapacity(final NumPolicy policy, final NumScenario scenario)
    {
        final int others = scenario.devices() - 1;
        if (others == 0 || policy == NumPolicy.NO_COOPERATION)
        {
            return 0;
        }
        final double c = scenario.localCapacity();
        final double success = 1 - scenario.localLoss();
        final double perReceiverAirtimeRate;
        switch (policy)
        {
            case PSEUDO_BROADCAST_CODED:
                perReceiverAirtimeRate = c * success * others;
                break;
            case PSEUDO_BROADCAST_UNCODED:
                perReceiverAirtimeRate = c * bestHyperlinkYield(success, others);
                break;
            case UNICAST:
                perReceiverAirtimeRate = c * success;
                break;
            default:
                throw new IllegalArgumentException("not a cooperative policy: " + policy);
        }
        return scenario.provisioning() * perReceiverAirtimeRate / others;
    }

    /**
     * max over k in [1, maxReceivers] of k * success^k: receiver-deliveries per uncoded hyperlink transmission.
     *
     * @param success      per-link delivery probability 1 - p.
     * @param maxReceivers largest hyperlink, N - 1.
     * @return the best yield.
     */
    static double bestHyperlinkYield(final double success, final int maxReceivers)
    {
        double best = 0;
        double power = 1;
        for (int k = 1; k <= maxReceivers; k++)
        {
            power *= success;
            best = Math.max(best, k * power);
        }
        return best;
    }
}
