package dev.c2cast.microcast.nc.sim;

import java.util.Arrays;

import dev.c2cast.microcast.nc.p2.MessageType;

/**
 * What one simulated run measured.
 *
 * @param scenario          the scenario run.
 * @param completionNanos   per device, simulated time when it held every segment, or -1 if it never did.
 * @param payloadBytesByType payload bytes all engines queued, indexed by {@link MessageType#ordinal()}.
 * @param framesByType      frames all engines queued, indexed by {@link MessageType#ordinal()}.
 * @param airBytes          bytes on the air: frame length (pseudobroadcast header included) times attempts, summed
 *                          over every transmission; MAC and IP overhead not included.
 * @param transmissions     frames transmitted on the medium.
 * @param attempts          transmission attempts, retries included.
 * @param innovative        coded or plain packets that increased a receiver's rank.
 * @param nonInnovative     packets a receiver absorbed without gaining rank.
 * @param sendFailures      frames the transports refused (queue full).
 * @param endNanos          simulated time at which the run stopped.
 */
public record SimulationResult(
    Scenario scenario,
    long[] completionNanos,
    long[] payloadBytesByType,
    long[] framesByType,
    long airBytes,
    long transmissions,
    long attempts,
    long innovative,
    long nonInnovative,
    long sendFailures,
    long endNanos)
{
    /**
     * Copies the arrays.
     *
     * @param scenario           scenario.
     * @param completionNanos    completion times.
     * @param payloadBytesByType bytes per type.
     * @param framesByType       frames per type.
     * @param airBytes           bytes on the air.
     * @param transmissions      transmissions.
     * @param attempts           attempts.
     * @param innovative         innovative receptions.
     * @param nonInnovative      non-innovative receptions.
     * @param sendFailures       refused frames.
     * @param endNanos           end time.
     */
    public SimulationResult
    {
        completionNanos = completionNanos.clone();
        payloadBytesByType = payloadBytesByType.clone();
        framesByType = framesByType.clone();
    }

    /**
     * A copy of the per-device completion times (ns, -1 if never).
     *
     * @return the array.
     */
    @Override
    public long[] completionNanos()
    {
        return completionNanos.clone();
    }

    /**
     * A copy of the payload bytes per message type.
     *
     * @return the array.
     */
    @Override
    public long[] payloadBytesByType()
    {
        return payloadBytesByType.clone();
    }

    /**
     * A copy of the frames per message type.
     *
     * @return the array.
     */
    @Override
    public long[] framesByType()
    {
        return framesByType.clone();
    }

    /**
     * Whether every device completed.
     *
     * @return true if all completion times are set.
     */
    public boolean allComplete()
    {
        for (final long t : completionNanos)
        {
            if (t < 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Payload bytes of one message type.
     *
     * @param type the type.
     * @return bytes.
     */
    public long payloadBytes(final MessageType type)
    {
        return payloadBytesByType[type.ordinal()];
    }

    /**
     * One device's download rate: file bits over its completion time.
     *
     * @param device device index.
     * @return bit/s, 0 if it never completed.
     */
    public double downloadRate(final int device)
    {
        final long t = completionNanos[device];
        return t <= 0 ? 0 : scenario.fileBytes() * 8e9 / t;
    }

    /**
     * Mean of the devices' download rates (Fig. 8a, 8c).
     *
     * @return bit/s.
     */
    public double averageDownloadRate()
    {
        double sum = 0;
        for (int i = 0; i < completionNanos.length; i++)
        {
            sum += downloadRate(i);
        }
        return sum / completionNanos.length;
    }

    /**
     * One CSV header line matching {@link #csvRow()}.
     *
     * @return the header.
     */
    public static String csvHeader()
    {
        final StringBuilder sb = new StringBuilder(
            "engine,devices,topology,loss,background,seed,air_bytes,transmissions,attempts,innovative,non_innovative," +
            "send_failures,avg_rate_bps");
        for (final MessageType type : MessageType.values())
        {
            sb.append(',').append(type.name().toLowerCase(java.util.Locale.ROOT)).append("_bytes");
        }
        sb.append(",completion_ms");
        return sb.toString();
    }

    /**
     * This result as one CSV row.
     *
     * @return the row; completion times are {@code ;}-separated milliseconds.
     */
    public String csvRow()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(scenario.engine()).append(',').append(scenario.devices()).append(',').append(scenario.topology())
            .append(',').append(scenario.localLoss()).append(',').append(scenario.backgroundShare()).append(',')
            .append(scenario.seed()).append(',').append(airBytes).append(',').append(transmissions).append(',')
            .append(attempts).append(',').append(innovative).append(',').append(nonInnovative).append(',')
            .append(sendFailures).append(',').append(Math.round(averageDownloadRate()));
        for (final long b : payloadBytesByType)
        {
            sb.append(',').append(b);
        }
        sb.append(',');
        for (int i = 0; i < completionNanos.length; i++)
        {
            sb.append(i == 0 ? "" : ";").append(completionNanos[i] < 0 ? -1 : completionNanos[i] / 1_000_000);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof SimulationResult r && csvRow().equals(r.csvRow()) &&
            Arrays.equals(framesByType, r.framesByType) && endNanos == r.endNanos;
    }

    @Override
    public int hashCode()
    {
        return csvRow().hashCode();
    }
}
