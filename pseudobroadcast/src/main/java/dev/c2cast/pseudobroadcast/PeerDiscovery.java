package dev.c2cast.pseudobroadcast;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.c2cast.pseudobroadcast.internal.Long2ObjectHashMap;
import dev.c2cast.pseudobroadcast.wire.Beacon;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * MicroBroadcast's custom WiFi peer discovery (MicroCast V-C): every node broadcasts a protobuf {@code Beacon} at a
 * jittered interval, and keeps a table of the peers it hears with their liveness, beacon loss and traffic
 * counters; a peer silent for the timeout leaves the table.
 * <p>
 * Beacons are control-plane traffic at about one per second, so they are protobuf messages and may allocate.
 * Confined to the transport's thread.
 */
public final class PeerDiscovery implements AutoCloseable
{
    private final Transport transport;
    private final TimerService timers;
    private final DiscoveryConfig config;
    private final SplittableRandom random;
    private final PeerListener listener;
    private final Long2ObjectHashMap<Entry> peers = new Long2ObjectHashMap<>(16);
    private final Runnable onBeaconTimer = this::onBeaconTimer;
    private int sequence;
    private long timerId;
    private long malformed;
    private boolean running;

    /**
     * Discovery on a transport; it takes over the transport's {@link FrameType#BEACON} listener at once, and
     * starts beaconing on {@link #start()}.
     *
     * @param transport the transport.
     * @param config    intervals.
     * @param random    source of the beacon jitter.
     * @param listener  receives join and leave events.
     */
    public PeerDiscovery(
        final Transport transport, final DiscoveryConfig config, final SplittableRandom random,
        final PeerListener listener)
    {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.timers = transport.timers();
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        this.listener = Objects.requireNonNull(listener, "listener");
        transport.listener(FrameType.BEACON, this::onBeacon);
    }

    /**
     * Sends the first beacon after a random fraction of an interval, then keeps beaconing.
     */
    public void start()
    {
        if (!running)
        {
            running = true;
            timerId = timers.schedule((long)(random.nextDouble() * config.beaconIntervalNanos()), onBeaconTimer);
        }
    }

    private void onBeaconTimer()
    {
        timerId = 0;
        final long now = timers.nanoTime();
        final byte[] beacon = Beacon.newBuilder()
            .setNodeId(transport.localNode().value())
            .setSequence(sequence++)
            .setSentAtNanos(now)
            .build()
            .toByteArray();
        transport.send(FrameType.BEACON, NodeId.BROADCAST_VALUE, Unpooled.wrappedBuffer(beacon));
        expire(now);
        final double factor = 1 + config.jitter() * (2 * random.nextDouble() - 1);
        timerId = timers.schedule((long)(config.beaconIntervalNanos() * factor), onBeaconTimer);
    }

    private void expire(final long now)
    {
        final List<Long> gone = new ArrayList<>();
        peers.forEach((node, entry) ->
        {
            if (now - entry.lastSeenNanos > config.peerTimeoutNanos())
            {
                gone.add(node);
            }
        });
        gone.sort(Comparator.naturalOrder());
        for (final Long node : gone)
        {
            peers.remove(node);
            listener.onPeerLeft(new NodeId(node));
        }
    }

    private void onBeacon(
        final long source, final long destination, final boolean overheard, final ByteBuf buffer, final int offset,
        final int length)
    {
        final Beacon beacon;
        try
        {
            beacon = Beacon.parseFrom(buffer.nioBuffer(offset, length));
        }
        catch (final InvalidProtocolBufferException ex)
        {
            malformed++;
            return;
        }
        if (beacon.getNodeId() != source)
        {
            malformed++;
            return;
        }
        final long now = timers.nanoTime();
        Entry entry = peers.get(source);
        if (entry == null)
        {
            entry = new Entry(new NodeId(source), now, beacon.getSequence());
            peers.put(source, entry);
            entry.beaconsReceived = 1;
            entry.lastSeenNanos = now;
            listener.onPeerJoined(entry.node);
            return;
        }
        final int gap = beacon.getSequence() - entry.lastSequence;
        if (gap > 0)
        {
            entry.beaconsMissed += gap - 1;
            entry.lastSequence = beacon.getSequence();
        }
        entry.beaconsReceived++;
        entry.lastSeenNanos = now;
    }

    /**
     * The live peers.
     *
     * @return snapshots sorted by node id.
     */
    public List<PeerInfo> peers()
    {
        final List<PeerInfo> result = new ArrayList<>(peers.size());
        peers.forEach((node, entry) -> result.add(new PeerInfo(entry.node, entry.firstSeenNanos, entry.lastSeenNanos,
            entry.beaconsReceived, entry.beaconsMissed, transport.counters().peer(node))));
        result.sort(Comparator.comparingLong(info -> info.node().value()));
        return result;
    }

    /**
     * Whether a peer is in the table.
     *
     * @param peer the peer.
     * @return true if live.
     */
    public boolean isLive(final NodeId peer)
    {
        return peers.get(peer.value()) != null;
    }

    /**
     * Beacons dropped because they did not parse or named another node than their frame's source.
     *
     * @return the count.
     */
    public long malformed()
    {
        return malformed;
    }

    /**
     * Stops beaconing and releases the transport's beacon listener; the table is kept.
     */
    @Override
    public void close()
    {
        running = false;
        if (timerId != 0)
        {
            timers.cancel(timerId);
            timerId = 0;
        }
        transport.listener(FrameType.BEACON, null);
    }

    private static final class Entry
    {
        final NodeId node;
        final long firstSeenNanos;
        long lastSeenNanos;
        long beaconsReceived;
        long beaconsMissed;
        int lastSequence;

        Entry(final NodeId node, final long firstSeenNanos, final int lastSequence)
        {
            this.node = node;
            this.firstSeenNanos = firstSeenNanos;
            this.lastSequence = lastSequence;
        }
    }
}
