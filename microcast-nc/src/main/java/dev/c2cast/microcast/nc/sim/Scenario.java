package dev.c2cast.microcast.nc.sim;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.Arrays;
import java.util.Properties;

/**
 * One simulated experiment: the devices, their cellular rates, the local channel, the file and the engine.
 * Immutable; validated when built. A scenario file is a Java properties file:
 * <pre>
 * engine = MICRONC_P2            # MICRONC_P2, BITTORRENT_PULL, R2_PUSH, NO_COOPERATION
 * devices = 7
 * cellular.kbps = 480,550,600,670   # per device, missing entries are 0 (no cellular link)
 * cellular.schedule.2 = 0:600,10000:200   # optional: device 2's rate steps (ms:kbps)
 * local.capacity.bps = 20000000
 * local.loss = 0.02              # per-attempt loss on every link
 * local.loss.1-3 = 0.3           # optional: one directed link
 * background.share = 0.8         # share of capacity taken by background traffic
 * file.bytes = 9930000
 * generation.size = 32
 * symbol.size = 1024
 * topology = CLIQUE              # CLIQUE or STAR
 * seed = 1
 * pause = 2:10000:5000           # optional: device 2 paused at 10 s for 5 s
 * time.limit.s = 600
 * </pre>
 *
 * @param engine          the engine every device runs.
 * @param cellularKbps    per-device constant cellular rate in kbit/s (0: none); length is the device count.
 * @param schedules       per-device rate steps as pairs {ms, kbps}, or null for the constant rate.
 * @param localCapacity   local channel capacity in bit/s.
 * @param localLoss       per-attempt loss on every local link.
 * @param linkLoss        directed overrides as {from, to, loss} rows.
 * @param backgroundShare share of the local capacity taken by background traffic, in [0, 1).
 * @param fileBytes       file size.
 * @param generationSize  packets per segment g.
 * @param symbolSize      payload bytes per packet.
 * @param topology        neighbour relation of the baselines.
 * @param seed            seed of every random draw.
 * @param pausedDevice    device paused, or -1.
 * @param pauseAtMillis   when the pause starts.
 * @param pauseForMillis  how long it lasts.
 * @param timeLimitSeconds simulated time after which the run stops.
 */
public record Scenario(
    EngineKind engine,
    double[] cellularKbps,
    long[][] schedules,
    long localCapacity,
    double localLoss,
    double[][] linkLoss,
    double backgroundShare,
    long fileBytes,
    int generationSize,
    int symbolSize,
    Topology topology,
    long seed,
    int pausedDevice,
    long pauseAtMillis,
    long pauseForMillis,
    long timeLimitSeconds)
{
    /** Default generation size (the paper copy lost its value). */
    public static final int GENERATION_SIZE_DEFAULT = 32;
    /** Default symbol size: a coded frame then fits one 1500-byte MTU. */
    public static final int SYMBOL_SIZE_DEFAULT = 1024;
    /** Default local capacity: 20 Mbit/s, as measured with iperf in section VI-B. */
    public static final long LOCAL_CAPACITY_DEFAULT = 20_000_000L;
    /** Default time limit. */
    public static final long TIME_LIMIT_SECONDS_DEFAULT = 900;

    /**
     * Validates the parameters.
     *
     * @param engine           engine.
     * @param cellularKbps     cellular rates.
     * @param schedules        rate schedules.
     * @param localCapacity    local capacity.
     * @param localLoss        local loss.
     * @param linkLoss         link loss overrides.
     * @param backgroundShare  background share.
     * @param fileBytes        file size.
     * @param generationSize   generation size.
     * @param symbolSize       symbol size.
     * @param topology         topology.
     * @param seed             seed.
     * @param pausedDevice     paused device or -1.
     * @param pauseAtMillis    pause start.
     * @param pauseForMillis   pause length.
     * @param timeLimitSeconds time limit.
     */
    public Scenario
    {
        final int n = cellularKbps.length;
        require(n >= 1 && n <= 64, "devices must be in [1, 64]");
        cellularKbps = cellularKbps.clone();
        for (final double r : cellularKbps)
        {
            require(r >= 0 && !Double.isInfinite(r), "cellular rates must be finite and >= 0");
        }
        schedules = schedules == null ? new long[n][] : schedules.clone();
        require(schedules.length == n, "one schedule slot per device");
        require(localCapacity > 0, "local capacity must be positive");
        require(localLoss >= 0 && localLoss < 1, "local loss must be in [0, 1)");
        linkLoss = linkLoss == null ? new double[0][] : linkLoss.clone();
        for (final double[] row : linkLoss)
        {
            require(row.length == 3 && row[0] >= 0 && row[0] < n && row[1] >= 0 && row[1] < n && row[2] >= 0 &&
                row[2] <= 1, "link loss rows are {from, to, loss}");
        }
        require(backgroundShare >= 0 && backgroundShare < 1, "background share must be in [0, 1)");
        require(fileBytes > 0, "file must not be empty");
        require(generationSize >= 1 && generationSize <= 64, "generation size must be in [1, 64]");
        require(symbolSize >= 1 && symbolSize <= 1300, "symbol size must be in [1, 1300]");
        require(pausedDevice >= -1 && pausedDevice < n, "paused device out of range");
        require(pauseAtMillis >= 0 && pauseForMillis >= 0, "pause times must not be negative");
        require(timeLimitSeconds > 0, "time limit must be positive");
        require(engine != null && topology != null, "engine and topology are required");
    }

    /**
     * A scenario with defaults for everything but the engine, the cellular rates and the file.
     *
     * @param engine       engine.
     * @param cellularKbps per-device cellular rate, kbit/s.
     * @param fileBytes    file size.
     * @return the scenario: clique, no loss, no background, 20 Mbit/s, seed 1.
     */
    public static Scenario of(final EngineKind engine, final double[] cellularKbps, final long fileBytes)
    {
        return new Scenario(engine, cellularKbps, null, LOCAL_CAPACITY_DEFAULT, 0, null, 0, fileBytes,
            GENERATION_SIZE_DEFAULT, SYMBOL_SIZE_DEFAULT, Topology.CLIQUE, 1, -1, 0, 0, TIME_LIMIT_SECONDS_DEFAULT);
    }

    /**
     * Parses a scenario file (format in the class javadoc).
     *
     * @param reader the file.
     * @return the scenario.
     * @throws IOException if reading fails.
     * @throws IllegalArgumentException if a value is missing or invalid.
     */
    public static Scenario parse(final Reader reader) throws IOException
    {
        final Properties p = new Properties();
        p.load(reader);
        final int n = Integer.parseInt(required(p, "devices").trim());
        require(n >= 1 && n <= 64, "devices must be in [1, 64]");
        final double[] rates = new double[n];
        final String[] given = p.getProperty("cellular.kbps", "").split(",");
        for (int i = 0; i < given.length && i < n; i++)
        {
            if (!given[i].isBlank())
            {
                rates[i] = Double.parseDouble(given[i].trim());
            }
        }
        final long[][] schedules = new long[n][];
        for (int i = 0; i < n; i++)
        {
            final String schedule = p.getProperty("cellular.schedule." + i);
            if (schedule != null)
            {
                final String[] steps = schedule.split(",");
                schedules[i] = new long[steps.length * 2];
                for (int k = 0; k < steps.length; k++)
                {
                    final String[] step = steps[k].trim().split(":");
                    require(step.length == 2, "schedule steps are ms:kbps");
                    schedules[i][2 * k] = Long.parseLong(step[0].trim());
                    schedules[i][2 * k + 1] = Long.parseLong(step[1].trim());
                }
            }
        }
        final java.util.List<double[]> links = new java.util.ArrayList<>();
        for (final String key : p.stringPropertyNames())
        {
            if (key.startsWith("local.loss."))
            {
                final String[] ends = key.substring("local.loss.".length()).split("-");
                require(ends.length == 2, "link loss keys are local.loss.FROM-TO");
                links.add(new double[] {Integer.parseInt(ends[0]), Integer.parseInt(ends[1]),
                    Double.parseDouble(p.getProperty(key).trim())});
            }
        }
        links.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        int pausedDevice = -1;
        long pauseAt = 0;
        long pauseFor = 0;
        final String pause = p.getProperty("pause");
        if (pause != null)
        {
            final String[] parts = pause.trim().split(":");
            require(parts.length == 3, "pause is device:startMs:durationMs");
            pausedDevice = Integer.parseInt(parts[0]);
            pauseAt = Long.parseLong(parts[1]);
            pauseFor = Long.parseLong(parts[2]);
        }
        return new Scenario(
            EngineKind.valueOf(required(p, "engine").trim()),
            rates,
            schedules,
            Long.parseLong(p.getProperty("local.capacity.bps", Long.toString(LOCAL_CAPACITY_DEFAULT)).trim()),
            Double.parseDouble(p.getProperty("local.loss", "0").trim()),
            links.toArray(new double[0][]),
            Double.parseDouble(p.getProperty("background.share", "0").trim()),
            Long.parseLong(required(p, "file.bytes").trim()),
            Integer.parseInt(p.getProperty("generation.size", Integer.toString(GENERATION_SIZE_DEFAULT)).trim()),
            Integer.parseInt(p.getProperty("symbol.size", Integer.toString(SYMBOL_SIZE_DEFAULT)).trim()),
            Topology.valueOf(p.getProperty("topology", "CLIQUE").trim()),
            Long.parseLong(p.getProperty("seed", "1").trim()),
            pausedDevice, pauseAt, pauseFor,
            Long.parseLong(p.getProperty("time.limit.s", Long.toString(TIME_LIMIT_SECONDS_DEFAULT)).trim()));
    }

    /**
     * Parses a scenario from text.
     *
     * @param text the scenario file's content.
     * @return the scenario.
     */
    public static Scenario parse(final String text)
    {
        try
        {
            return parse(new StringReader(text));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Number of devices.
     *
     * @return N.
     */
    public int devices()
    {
        return cellularKbps.length;
    }

    /**
     * Bytes per segment.
     *
     * @return {@code generationSize * symbolSize}.
     */
    public int segmentBytes()
    {
        return generationSize * symbolSize;
    }

    /**
     * Number of segments of the file.
     *
     * @return segments, the last one padded.
     */
    public int segmentCount()
    {
        return (int)((fileBytes + segmentBytes() - 1) / segmentBytes());
    }

    /**
     * A copy with another engine.
     *
     * @param kind the engine.
     * @return the new scenario.
     */
    public Scenario withEngine(final EngineKind kind)
    {
        return new Scenario(kind, cellularKbps, schedules, localCapacity, localLoss, linkLoss, backgroundShare,
            fileBytes, generationSize, symbolSize, topology, seed, pausedDevice, pauseAtMillis, pauseForMillis,
            timeLimitSeconds);
    }

    /**
     * A copy with other channel parameters.
     *
     * @param loss       per-attempt loss on every link.
     * @param background share of capacity taken by background traffic.
     * @return the new scenario.
     */
    public Scenario withChannel(final double loss, final double background)
    {
        return new Scenario(engine, cellularKbps, schedules, localCapacity, loss, linkLoss, background,
            fileBytes, generationSize, symbolSize, topology, seed, pausedDevice, pauseAtMillis, pauseForMillis,
            timeLimitSeconds);
    }

    /**
     * A copy with another topology and seed.
     *
     * @param shape   the topology.
     * @param newSeed the seed.
     * @return the new scenario.
     */
    public Scenario withTopology(final Topology shape, final long newSeed)
    {
        return new Scenario(engine, cellularKbps, schedules, localCapacity, localLoss, linkLoss, backgroundShare,
            fileBytes, generationSize, symbolSize, shape, newSeed, pausedDevice, pauseAtMillis, pauseForMillis,
            timeLimitSeconds);
    }

    /**
     * A copy with one device paused.
     *
     * @param device    the device.
     * @param atMillis  when the pause starts.
     * @param forMillis how long it lasts.
     * @return the new scenario.
     */
    public Scenario withPause(final int device, final long atMillis, final long forMillis)
    {
        return new Scenario(engine, cellularKbps, schedules, localCapacity, localLoss, linkLoss, backgroundShare,
            fileBytes, generationSize, symbolSize, topology, seed, device, atMillis, forMillis, timeLimitSeconds);
    }

    /**
     * A copy of the per-device cellular rates.
     *
     * @return kbit/s per device.
     */
    @Override
    public double[] cellularKbps()
    {
        return cellularKbps.clone();
    }

    /**
     * A shallow copy of the per-device rate schedules.
     *
     * @return {ms, kbps} pairs per device, null entries for constant rates.
     */
    @Override
    public long[][] schedules()
    {
        return schedules.clone();
    }

    /**
     * A shallow copy of the link loss overrides.
     *
     * @return {from, to, loss} rows.
     */
    @Override
    public double[][] linkLoss()
    {
        return linkLoss.clone();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Scenario s && toString().equals(s.toString());
    }

    @Override
    public int hashCode()
    {
        return toString().hashCode();
    }

    @Override
    public String toString()
    {
        return "Scenario[engine=" + engine + ", cellularKbps=" + Arrays.toString(cellularKbps) + ", schedules=" +
            Arrays.deepToString(schedules) + ", localCapacity=" + localCapacity + ", localLoss=" + localLoss +
            ", linkLoss=" + Arrays.deepToString(linkLoss) + ", backgroundShare=" + backgroundShare + ", fileBytes=" +
            fileBytes + ", generationSize=" + generationSize + ", symbolSize=" + symbolSize + ", topology=" +
            topology + ", seed=" + seed + ", pause=" + pausedDevice + ":" + pauseAtMillis + ":" + pauseForMillis +
            ", timeLimitSeconds=" + timeLimitSeconds + "]";
    }

    private static String required(final Properties p, final String key)
    {
        final String value = p.getProperty(key);
        require(value != null, "missing " + key);
        return value;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
