package dev.c2cast.microcast.nc.sim;

import java.util.SplittableRandom;

import dev.c2cast.microcast.nc.p2.BitTorrentPull;
import dev.c2cast.microcast.nc.p2.DataFrame;
import dev.c2cast.microcast.nc.p2.DisseminationConfig;
import dev.c2cast.microcast.nc.p2.DisseminationEngine;
import dev.c2cast.microcast.nc.p2.DisseminationListener;
import dev.c2cast.microcast.nc.p2.EngineCounters;
import dev.c2cast.microcast.nc.p2.EngineTimers;
import dev.c2cast.microcast.nc.p2.FrameSender;
import dev.c2cast.microcast.nc.p2.MessageType;
import dev.c2cast.microcast.nc.p2.MicroNcP2;
import dev.c2cast.microcast.nc.p2.NoCooperation;
import dev.c2cast.microcast.nc.p2.R2Push;
import dev.c2cast.microcast.nc.p2.SegmentStore;
import dev.c2cast.pseudobroadcast.FrameHeader;
import dev.c2cast.pseudobroadcast.MediumConfig;
import dev.c2cast.pseudobroadcast.MediumObserver;
import dev.c2cast.pseudobroadcast.NodeId;
import dev.c2cast.pseudobroadcast.SimulatedMedium;
import dev.c2cast.pseudobroadcast.SimulatedTransport;
import dev.c2cast.pseudobroadcast.Simulation;

/**
 * Runs a {@link Scenario} on pseudobroadcast's {@link SimulatedMedium}: one engine and one
 * {@link VirtualSegmentStore} per device, cellular downloads modelled as timed segment arrivals, and a shared
 * virtual clock, so a run is deterministic for its seed.
 * <p>
 * Cellular downloads: with a cooperative engine, a device with a cellular link takes the next segment nobody has
 * taken yet whenever it finishes one (MicroDownload's smallest-backlog rule with a backlog of one, section V-A);
 * with {@link EngineKind#NO_COOPERATION}, every such device downloads every segment itself. A paused device
 * neither receives frames nor runs timers or downloads until it resumes.
 * <p>
 * Not thread-safe; each call to {@link #run(Scenario)} builds and runs its own simulation.
 */
public final class DisseminationSimulator
{
    private DisseminationSimulator()
    {
    }

    /**
     * Command line: runs each scenario file given and prints one CSV line per run ({@link SimulationResult#csvRow()})
     * after the header.
     *
     * @param args scenario file paths.
     * @throws java.io.IOException if a file cannot be read.
     */
    public static void main(final String[] args) throws java.io.IOException
    {
        if (args.length == 0)
        {
            System.err.println("usage: DisseminationSimulator SCENARIO_FILE...");
            return;
        }
        final StringBuilder out = new StringBuilder(SimulationResult.csvHeader()).append('\n');
        for (final String arg : args)
        {
            try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(arg)))
            {
                out.append(run(Scenario.parse(reader)).csvRow()).append('\n');
            }
        }
        System.out.print(out);
    }

    /**
     * Runs a scenario to completion of every device that can complete, or to its time limit.
     *
     * @param scenario the scenario.
     * @return the measurements.
     */
    public static SimulationResult run(final Scenario scenario)
    {
        return new Run(scenario).execute();
    }

    /**
     * The medium configuration a scenario implies: its capacity and background share, pseudobroadcast's defaults
     * otherwise.
     */
    static MediumConfig mediumConfig(final Scenario scenario)
    {
        return MediumConfig.builder()
            .capacityBitsPerSecond(scenario.localCapacity())
            .reservedShare(scenario.backgroundShare())
            .build();
    }

    /**
     * Length of one coded data frame from a holder of the decoded segment (SEED coefficients) on the medium,
     * pseudobroadcast header included.
     *
     * @param scenario the scenario.
     * @return bytes.
     */
    public static int dataFrameLength(final Scenario scenario)
    {
        return FrameHeader.HEADER_LENGTH + DataFrame.HEADER_LENGTH + VirtualSegmentStore.HEADER_LENGTH + Long.BYTES +
            scenario.symbolSize();
    }

    private static final class Run implements MediumObserver
    {
        final Scenario scenario;
        final int n;
        final int segments;
        final Simulation simulation = new Simulation();
        final SimulatedMedium medium;
        final DisseminationEngine[] engines;
        final boolean[] paused;
        final long[] completion;
        final int[] ownNext;
        final long resumeAt;
        int sharedNext;
        long airBytes;

        Run(final Scenario scenario)
        {
            this.scenario = scenario;
            this.n = scenario.devices();
            this.segments = scenario.segmentCount();
            final SplittableRandom root = new SplittableRandom(scenario.seed());
            final MediumConfig mediumConfig = mediumConfig(scenario);
            this.medium = new SimulatedMedium(simulation, mediumConfig, root.split(), this);
            this.engines = new DisseminationEngine[n];
            this.paused = new boolean[n];
            this.completion = new long[n];
            this.ownNext = new int[n];
            this.resumeAt = (scenario.pauseAtMillis() + scenario.pauseForMillis()) * 1_000_000L;
            java.util.Arrays.fill(completion, -1);
            final DisseminationConfig config = DisseminationConfig.defaults()
                .withPacketAirtimeNanos(mediumConfig.attemptNanos(dataFrameLength(scenario)));
            final SimulatedTransport[] transports = new SimulatedTransport[n];
            for (int i = 0; i < n; i++)
            {
                transports[i] = medium.attach(new NodeId(i + 1));
            }
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (i != j)
                    {
                        medium.linkLoss(new NodeId(i + 1), new NodeId(j + 1), scenario.localLoss());
                    }
                }
            }
            for (final double[] link : scenario.linkLoss())
            {
                if (link[0] != link[1])
                {
                    medium.linkLoss(new NodeId((long)link[0] + 1), new NodeId((long)link[1] + 1), link[2]);
                }
            }
            for (int i = 0; i < n; i++)
            {
                final int device = i;
                final SimulatedTransport transport = transports[i];
                final SegmentStore store =
                    new VirtualSegmentStore(segments, scenario.generationSize(), scenario.symbolSize());
                final FrameSender sender = transport::send;
                final EngineTimers timers = new DeviceTimers(device);
                final DisseminationListener listener = segment -> onDecoded(device);
                engines[i] = create(scenario.engine(), i + 1, config, store, sender, timers, root.split(), listener);
                final DisseminationEngine engine = engines[i];
                for (final int frameType : new int[] {
                    DisseminationEngine.CONTROL_FRAME_TYPE, DisseminationEngine.DATA_FRAME_TYPE})
                {
                    transport.listener(frameType, (source, destination, overheard, buffer, offset, length) ->
                    {
                        if (!paused[device])
                        {
                            engine.onFrame(frameType, source, destination, overheard, buffer, offset, length);
                        }
                    });
                }
            }
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (i != j && neighbours(i, j))
                    {
                        engines[i].addPeer(j + 1);
                    }
                }
            }
        }

        private boolean neighbours(final int i, final int j)
        {
            return scenario.engine() == EngineKind.MICRONC_P2 || scenario.topology() == Topology.CLIQUE ||
                i == 0 || j == 0;
        }

        private static DisseminationEngine create(
            final EngineKind kind, final long node, final DisseminationConfig config, final SegmentStore store,
            final FrameSender sender, final EngineTimers timers, final SplittableRandom random,
            final DisseminationListener listener)
        {
            switch (kind)
            {
                case MICRONC_P2:
                    return new MicroNcP2(node, config, store, sender, timers, random, listener);
                case BITTORRENT_PULL:
                    return new BitTorrentPull(node, config, store, sender, timers, random, listener);
                case R2_PUSH:
                    return new R2Push(node, config, store, sender, timers, random, listener);
                default:
                    return new NoCooperation(node, config, store, sender, timers, random, listener);
            }
        }

        SimulationResult execute()
        {
            if (scenario.pausedDevice() >= 0)
            {
                final int device = scenario.pausedDevice();
                simulation.scheduleAt(scenario.pauseAtMillis() * 1_000_000L, () -> paused[device] = true);
                simulation.scheduleAt(resumeAt, () -> paused[device] = false);
            }
            for (final DisseminationEngine engine : engines)
            {
                engine.start();
            }
            for (int i = 0; i < n; i++)
            {
                if (hasCellular(i))
                {
                    startDownload(i, 0);
                }
            }
            simulation.runUntil(this::done, scenario.timeLimitSeconds() * 1_000_000_000L);
            final long end = simulation.nanoTime();
            for (final DisseminationEngine engine : engines)
            {
                engine.stop();
            }
            final int types = MessageType.values().length;
            final long[] bytes = new long[types];
            final long[] frames = new long[types];
            long innovative = 0;
            long redundant = 0;
            long failures = 0;
            for (final DisseminationEngine engine : engines)
            {
                final EngineCounters c = engine.counters();
                for (final MessageType type : MessageType.values())
                {
                    bytes[type.ordinal()] += c.bytesSent(type);
                    frames[type.ordinal()] += c.framesSent(type);
                }
                innovative += c.innovativeReceived();
                redundant += c.nonInnovativeReceived();
                failures += c.sendFailures();
            }
            return new SimulationResult(scenario, completion, bytes, frames, airBytes, medium.transmissions(),
                medium.attempts(), innovative, redundant, failures, end);
        }

        private boolean done()
        {
            for (int i = 0; i < n; i++)
            {
                if (completion[i] < 0 && (scenario.engine() != EngineKind.NO_COOPERATION || hasCellular(i)))
                {
                    return false;
                }
            }
            return true;
        }

        private boolean hasCellular(final int device)
        {
            return scenario.cellularKbps()[device] > 0 || scenario.schedules()[device] != null;
        }

        private void onDecoded(final int device)
        {
            if (completion[device] < 0 && engines[device] != null && engines[device].isComplete())
            {
                completion[device] = simulation.nanoTime();
            }
        }

        private int nextSegment(final int device)
        {
            if (scenario.engine() == EngineKind.NO_COOPERATION)
            {
                return ownNext[device] < segments ? ownNext[device]++ : -1;
            }
            return sharedNext < segments ? sharedNext++ : -1;
        }

        private void startDownload(final int device, final long at)
        {
            final int segment = nextSegment(device);
            if (segment < 0)
            {
                return;
            }
            final long start = Math.max(at, simulation.nanoTime());
            final long bytes = Math.min(scenario.segmentBytes(),
                scenario.fileBytes() - (long)segment * scenario.segmentBytes());
            final long end = downloadEnd(device, start, bytes * 8);
            if (end == Long.MAX_VALUE)
            {
                return;
            }
            simulation.scheduleAt(end, () -> finishDownload(device, segment));
        }

        private void finishDownload(final int device, final int segment)
        {
            if (paused[device])
            {
                simulation.scheduleAt(resumeAt, () -> finishDownload(device, segment));
                return;
            }
            engines[device].onSegmentDownloaded(segment);
            startDownload(device, simulation.nanoTime());
        }

        /**
         * When a download of {@code bits} started at {@code start} ends under the device's rate schedule.
         */
        private long downloadEnd(final int device, final long start, final double bits)
        {
            final long[] schedule = scenario.schedules()[device];
            if (schedule == null)
            {
                final double rate = scenario.cellularKbps()[device] * 1000;
                return start + (long)Math.ceil(bits * 1e9 / rate);
            }
            double remaining = bits;
            long t = start;
            while (true)
            {
                double rate = 0;
                long next = Long.MAX_VALUE;
                for (int k = 0; k < schedule.length; k += 2)
                {
                    final long stepAt = schedule[k] * 1_000_000L;
                    if (stepAt <= t)
                    {
                        rate = schedule[k + 1] * 1000.0;
                    }
                    else
                    {
                        next = Math.min(next, stepAt);
                    }
                }
                if (rate > 0)
                {
                    final long finish = t + (long)Math.ceil(remaining * 1e9 / rate);
                    if (finish <= next)
                    {
                        return finish;
                    }
                    remaining -= (next - t) * rate / 1e9;
                }
                if (next == Long.MAX_VALUE)
                {
                    return Long.MAX_VALUE;
                }
                t = next;
            }
        }

        @Override
        public void onTransmission(
            final long startNanos, final long endNanos, final long source, final long destination, final int sequence,
            final int frameLength, final int attempts, final boolean acknowledged)
        {
            airBytes += (long)frameLength * attempts;
        }

        @Override
        public void onDelivery(final long timeNanos, final long source, final long receiver, final boolean overheard)
        {
        }

        @Override
        public void onLoss(final long timeNanos, final long source, final long receiver)
        {
        }

        @Override
        public void onQueueDrop(final long timeNanos, final long source)
        {
        }

        @Override
        public void onCompetingTransmission(final long startNanos, final long endNanos)
        {
        }

        /**
         * Timers of one device: tasks that fall due while it is paused run when it resumes.
         */
        private final class DeviceTimers implements EngineTimers
        {
            private final int device;

            DeviceTimers(final int device)
            {
                this.device = device;
            }

            @Override
            public long nanoTime()
            {
                return simulation.nanoTime();
            }

            @Override
            public long scheduleAt(final long deadlineNanos, final Runnable task)
            {
                if (scenario.pausedDevice() != device)
                {
                    return simulation.scheduleAt(deadlineNanos, task);
                }
                return simulation.scheduleAt(deadlineNanos, new Runnable()
                {
                    @Override
                    public void run()
                    {
                        if (paused[device])
                        {
                            simulation.scheduleAt(resumeAt, this);
                        }
                        else
                        {
                            task.run();
                        }
                    }
                });
            }

            @Override
            public boolean cancel(final long timerId)
            {
                return simulation.cancel(timerId);
            }
        }
    }
}
