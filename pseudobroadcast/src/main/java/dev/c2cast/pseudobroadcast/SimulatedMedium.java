package dev.c2cast.pseudobroadcast;

import java.util.Objects;
import java.util.SplittableRandom;

import dev.c2cast.pseudobroadcast.internal.Long2ObjectHashMap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A deterministic discrete-event model of one shared wireless channel, as MicroCast's NUM model assumes (section
 * IV): one transmitter at a time, a capacity in bit/s, a per-frame overhead, independent per-receiver loss, and
 * link-layer retries of a unicast frame until its intended receiver gets it, each retry giving the overhearers
 * another chance. Background traffic is a reserved share of capacity or a saturated competing station.
 * <p>
 * Stations with queued frames take turns round-robin (802.11's long-run per-station fairness). A transmission's
 * outcome is drawn when it starts and its frames are delivered when its last attempt ends. All randomness comes
 * from the injected {@link SplittableRandom}, so the same seed and inputs give the same {@link MediumObserver}
 * log.
 * <p>
 * Many nodes share one {@link Simulation}: attach a transport per node with {@link #attach(NodeId)}, and build each
 * node's engines on that transport and its {@link Transport#timers()}.
 * <p>
 * Not thread-safe: confined to the simulation's thread. Sending and delivering do not allocate once every
 * station's queue slots have been used once.
 */
public final class SimulatedMedium
{
    private final Simulation simulation;
    private final MediumConfig config;
    private final SplittableRandom random;
    private final MediumObserver observer;
    private final Station[] stations;
    private final Long2ObjectHashMap<Station> byNode;
    private final double[][] linkLoss;
    private final double[] receiverLoss;
    private final boolean[] received;
    private final FrameHeader header = new FrameHeader();
    private final Runnable onTransmissionEnd = this::onTransmissionEnd;
    private final int maxFrameLength;
    private final long competingNanos;

    private int stationCount;
    private int lastStation = -1;
    private boolean busy;
    private boolean competingTurn;
    private Station transmitting;
    private int transmittingLength;
    private long transmittingSource;
    private int receiverCount;

    private long transmissions;
    private long attempts;
    private long deliveries;
    private long overheardDeliveries;
    private long losses;
    private long busyNanos;

    /**
     * A medium without an observer.
     *
     * @param simulation the shared event loop and clock.
     * @param config     the channel parameters.
     * @param random     the source of every loss draw.
     */
    public SimulatedMedium(final Simulation simulation, final MediumConfig config, final SplittableRandom random)
    {
        this(simulation, config, random, MediumObserver.NONE);
    }

    /**
     * A medium.
     *
     * @param simulation the shared event loop and clock.
     * @param config     the channel parameters.
     * @param random     the source of every loss draw.
     * @param observer   receives the event log.
     */
    public SimulatedMedium(
        final Simulation simulation, final MediumConfig config, final SplittableRandom random,
        final MediumObserver observer)
    {
        this.simulation = Objects.requireNonNull(simulation, "simulation");
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.stations = new Station[config.maxStations()];
        this.byNode = new Long2ObjectHashMap<>(config.maxStations());
        this.linkLoss = new double[config.maxStations()][config.maxStations()];
        this.receiverLoss = new double[config.maxStations()];
        this.received = new boolean[config.maxStations()];
        this.maxFrameLength = FrameHeader.HEADER_LENGTH + config.maxPayloadLength();
        this.competingNanos = config.competingFrameBytes() > 0 ? config.attemptNanos(config.competingFrameBytes()) : 0;
    }

    /**
     * The event loop this medium runs on.
     *
     * @return the simulation.
     */
    public Simulation simulation()
    {
        return simulation;
    }

    /**
     * The channel parameters.
     *
     * @return the configuration.
     */
    public MediumConfig config()
    {
        return config;
    }

    /**
     * Attaches a node to the medium.
     *
     * @param node the node's id, not attached before.
     * @return the node's transport.
     * @throws IllegalStateException if {@link MediumConfig#maxStations()} are attached or the node already is.
     */
    public SimulatedTransport attach(final NodeId node)
    {
        if (stationCount == stations.length)
        {
            throw new IllegalStateException("medium full: " + stations.length + " stations");
        }
        if (byNode.get(node.value()) != null)
        {
            throw new IllegalStateException(node + " is already attached");
        }
        final int index = stationCount++;
        final SimulatedTransport transport = new SimulatedTransport(this, node, config.groupId(), config.maxPayloadLength());
        final Station station = new Station(index, node.value(), transport, config.queueCapacity());
        stations[index] = station;
        byNode.put(node.value(), station);
        return transport;
    }

    /**
     * Sets the loss probability of one directed link, on top of the receiver's own loss.
     *
     * @param from        sender.
     * @param to          receiver.
     * @param probability per-attempt loss probability in [0, 1]; 1 means out of range.
     */
    public void linkLoss(final NodeId from, final NodeId to, final double probability)
    {
        linkLoss[station(from).index][station(to).index] = checkProbability(probability);
    }

    /**
     * Sets the loss probability of every frame towards one receiver, from any sender.
     *
     * @param to          receiver.
     * @param probability per-attempt loss probability in [0, 1].
     */
    public void receiverLoss(final NodeId to, final double probability)
    {
        receiverLoss[station(to).index] = checkProbability(probability);
    }

    private static double checkProbability(final double probability)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new IllegalArgumentException("probability not in [0, 1]: " + probability);
        }
        return probability;
    }

    private Station station(final NodeId node)
    {
        final Station station = byNode.get(node.value());
        if (station == null)
        {
            throw new IllegalArgumentException(node + " is not attached");
        }
        return station;
    }

    boolean enqueue(final SimulatedTransport transport, final int frameType, final long destination, final int sequence,
        final ByteBuf payload)
    {
        final Station station = byNode.get(transport.localNode().value());
        if (station.count == station.lengths.length)
        {
            observer.onQueueDrop(simulation.nanoTime(), station.node);
            return false;
        }
        final int slot = (station.head + station.count) % station.lengths.length;
        ByteBuf frame = station.frames[slot];
        if (frame == null)
        {
            frame = Unpooled.wrappedBuffer(new byte[maxFrameLength]);
            station.frames[slot] = frame;
        }
        final int payloadLength = payload.readableBytes();
        header.wrap(frame, 0, FrameHeader.HEADER_LENGTH + payloadLength)
            .write(frameType, config.groupId(), station.node, destination, sequence, payloadLength);
        payload.getBytes(payload.readerIndex(), frame, FrameHeader.HEADER_LENGTH, payloadLength);
        station.lengths[slot] = FrameHeader.HEADER_LENGTH + payloadLength;
        station.count++;
        if (!busy)
        {
            startTransmission();
        }
        return true;
    }

    void detach(final SimulatedTransport transport)
    {
        final Station station = byNode.get(transport.localNode().value());
        station.closed = true;
        if (station != transmitting)
        {
            station.count = 0;
        }
    }

    private void startTransmission()
    {
        Station next = null;
        for (int k = 1; k <= stationCount; k++)
        {
            final Station candidate = stations[(lastStation + k) % stationCount];
            if (candidate.count > 0)
            {
                next = candidate;
                break;
            }
        }
        if (next == null)
        {
            return;
        }
        final long now = simulation.nanoTime();
        if (competingTurn)
        {
            competingTurn = false;
            busy = true;
            transmitting = null;
            busyNanos += competingNanos;
            observer.onCompetingTransmission(now, now + competingNanos);
            simulation.scheduleAt(now + competingNanos, onTransmissionEnd);
            return;
        }
        lastStation = next.index;
        final ByteBuf frame = next.frames[next.head];
        final int length = next.lengths[next.head];
        header.wrap(frame, 0, length);
        final long destination = header.destination();
        final Station target = destination == NodeId.BROADCAST_VALUE ? null : byNode.get(destination);
        final int targetIndex = target == null || target.closed ? -1 : target.index;
        final int source = next.index;
        final int count = stationCount;
        for (int r = 0; r < count; r++)
        {
            received[r] = false;
        }
        final int maxAttempts = destination == NodeId.BROADCAST_VALUE ? 1 : 1 + config.maxRetries();
        int attempt = 0;
        do
        {
            attempt++;
            for (int r = 0; r < count; r++)
            {
                if (r != source && !received[r] && !stations[r].closed)
                {
                    final double p = 1 - (1 - linkLoss[source][r]) * (1 - receiverLoss[r]);
                    received[r] = p <= 0 || (p < 1 && random.nextDouble() >= p);
                }
            }
        }
        while (attempt < maxAttempts && (targetIndex < 0 || !received[targetIndex]));

        final long airtime = attempt * config.attemptNanos(length);
        busy = true;
        transmitting = next;
        transmittingLength = length;
        transmittingSource = next.node;
        receiverCount = count;
        transmissions++;
        attempts += attempt;
        busyNanos += airtime;
        observer.onTransmission(now, now + airtime, next.node, destination, header.sequence(), length, attempt,
            targetIndex >= 0 && received[targetIndex]);
        simulation.scheduleAt(now + airtime, onTransmissionEnd);
    }

    private void onTransmissionEnd()
    {
        final Station sender = transmitting;
        if (sender != null)
        {
            final long now = simulation.nanoTime();
            final ByteBuf frame = sender.frames[sender.head];
            final long source = transmittingSource;
            final long destination = frame.getLong(FrameHeader.DESTINATION_OFFSET);
            for (int r = 0; r < receiverCount; r++)
            {
                final Station receiver = stations[r];
                if (r == sender.index || receiver.closed)
                {
                    continue;
                }
                if (received[r])
                {
                    final boolean overheard = destination != NodeId.BROADCAST_VALUE && destination != receiver.node;
                    deliveries++;
                    if (overheard)
                    {
                        overheardDeliveries++;
                    }
                    observer.onDelivery(now, source, receiver.node, overheard);
                    receiver.transport.deliver(frame, 0, transmittingLength);
                }
                else
                {
                    losses++;
                    observer.onLoss(now, source, receiver.node);
                }
            }
            sender.head = (sender.head + 1) % sender.lengths.length;
            sender.count--;
            if (sender.closed)
            {
                sender.count = 0;
            }
            competingTurn = competingNanos > 0;
        }
        transmitting = null;
        busy = false;
        startTransmission();
    }

    /**
     * Whether a frame or the competing station occupies the medium now.
     *
     * @return true while busy.
     */
    public boolean busy()
    {
        return busy;
    }

    /**
     * Frames transmitted (each counted once however many attempts it took).
     *
     * @return the count.
     */
    public long transmissions()
    {
        return transmissions;
    }

    /**
     * Transmission attempts, retries included.
     *
     * @return the count.
     */
    public long attempts()
    {
        return attempts;
    }

    /**
     * Frames handed to receivers, intended or overheard.
     *
     * @return the count.
     */
    public long deliveries()
    {
        return deliveries;
    }

    /**
     * Deliveries to a station that was not the intended destination.
     *
     * @return the count.
     */
    public long overheardDeliveries()
    {
        return overheardDeliveries;
    }

    /**
     * Receivers that missed a frame on every attempt.
     *
     * @return the count.
     */
    public long losses()
    {
        return losses;
    }

    /**
     * Total airtime used, competing station included.
     *
     * @return nanoseconds.
     */
    public long busyNanos()
    {
        return busyNanos;
    }

    private static final class Station
    {
        final int index;
        final long node;
        final SimulatedTransport transport;
        final ByteBuf[] frames;
        final int[] lengths;
        int head;
        int count;
        boolean closed;

        Station(final int index, final long node, final SimulatedTransport transport, final int capacity)
        {
            this.index = index;
            this.node = node;
            this.transport = transport;
            this.frames = new ByteBuf[capacity];
            this.lengths = new int[capacity];
        }
    }
}
