package dev.c2cast.microcast.nc.num;

import java.util.Arrays;

/**
 * The parameters of one NUM evaluation point (microcast.txt, section III): per-device cellular rates and losses and
 * one local area shared by all devices with i.i.d. loss. Validated when built.
 *
 * @param cellularRates  cellular link rate R_i of each device in bit/s (0 for a device without cellular access);
 *                       the array is copied.
 * @param cellularLoss   loss probability q of every cellular link, in [0, 1).
 * @param localCapacity  capacity C of the local area (one transmitter at a time) in bit/s.
 * @param localLoss      loss probability p of every local link, in [0, 1).
 * @param provisioning   provisioning factor beta in (0, 1]: the share of local airtime the schedule may use.
 */
public record NumScenario(
    double[] cellularRates, double cellularLoss, double localCapacity, double localLoss, double provisioning)
{
    /** Default provisioning factor: the schedule may use all airtime. */
    public static final double PROVISIONING_DEFAULT = 1.0;

    /**
     * Validates and copies the parameters.
     *
     * @param cellularRates per-device cellular rate in bit/s.
     * @param cellularLoss  cellular loss probability.
     * @param localCapacity local capacity in bit/s.
     * @param localLoss     local loss probability.
     * @param provisioning  provisioning factor.
     */
    public NumScenario
    {
        if (cellularRates.length == 0)
        {
            throw new IllegalArgumentException("at least one device is needed");
        }
        cellularRates = cellularRates.clone();
        for (final double rate : cellularRates)
        {
            if (!(rate >= 0) || Double.isInfinite(rate))
            {
                throw new IllegalArgumentException("cellular rates must be finite and >= 0: " + rate);
            }
        }
        if (!(cellularLoss >= 0 && cellularLoss < 1))
        {
            throw new IllegalArgumentException("cellularLoss must be in [0, 1): " + cellularLoss);
        }
        if (!(localCapacity > 0) || Double.isInfinite(localCapacity))
        {
            throw new IllegalArgumentException("localCapacity must be finite and > 0: " + localCapacity);
        }
        if (!(localLoss >= 0 && localLoss < 1))
        {
            throw new IllegalArgumentException("localLoss must be in [0, 1): " + localLoss);
        }
        if (!(provisioning > 0 && provisioning <= 1))
        {
            throw new IllegalArgumentException("provisioning must be in (0, 1]: " + provisioning);
        }
    }

    /**
     * A scenario of {@code devices} identical devices.
     *
     * @param devices       number of devices N.
     * @param cellularRate  every device's cellular rate in bit/s.
     * @param cellularLoss  cellular loss probability.
     * @param localCapacity local capacity in bit/s.
     * @param localLoss     local loss probability.
     * @return the scenario, with {@link #PROVISIONING_DEFAULT}.
     */
    public static NumScenario symmetric(
        final int devices, final double cellularRate, final double cellularLoss, final double localCapacity,
        final double localLoss)
    {
        if (devices < 1)
        {
            throw new IllegalArgumentException("devices must be >= 1: " + devices);
        }
        final double[] rates = new double[devices];
        Arrays.fill(rates, cellularRate);
        return new NumScenario(rates, cellularLoss, localCapacity, localLoss, PROVISIONING_DEFAULT);
    }

    /**
     * Number of devices N.
     *
     * @return the group size.
     */
    public int devices()
    {
        return cellularRates.length;
    }

    /**
     * A copy of the per-device cellular rates.
     *
     * @return the rates in bit/s.
     */
    @Override
    public double[] cellularRates()
    {
        return cellularRates.clone();
    }

    /**
     * Cellular rate of one device.
     *
     * @param device index in [0, N).
     * @return R_i in bit/s.
     */
    public double cellularRate(final int device)
    {
        return cellularRates[device];
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof NumScenario that &&
            Arrays.equals(cellularRates, that.cellularRates) &&
            Double.compare(cellularLoss, that.cellularLoss) == 0 &&
            Double.compare(localCapacity, that.localCapacity) == 0 &&
            Double.compare(localLoss, that.localLoss) == 0 &&
            Double.compare(provisioning, that.provisioning) == 0;
    }

    @Override
    public int hashCode()
    {
        int h = Arrays.hashCode(cellularRates);
        h = 31 * h + Double.hashCode(cellularLoss);
        h = 31 * h + Double.hashCode(localCapacity);
        h = 31 * h + Double.hashCode(localLoss);
        return 31 * h + Double.hashCode(provisioning);
    }

    @Override
    public String toString()
    {
        return "NumScenario[cellularRates=" + Arrays.toString(cellularRates) + ", cellularLoss=" + cellularLoss +
            ", localCapacity=" + localCapacity + ", localLoss=" + localLoss + ", provisioning=" + provisioning + "]";
    }
}
