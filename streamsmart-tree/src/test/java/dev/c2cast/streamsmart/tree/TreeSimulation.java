package dev.c2cast.streamsmart.tree;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

import dev.c2cast.streamsmart.tree.wire.Envelope;

/**
 * A deterministic discrete-event simulator driving many {@link TreeMember} state machines and their
 * {@link Relay}s: a virtual clock with one-millisecond resolution, seeded message latency, a media source at the
 * radix, crashes (a member stops for good) and hangs (a member stops processing for a while, then resumes).
 * The same seed gives the same run.
 * <p>
 * Events live in a timing wheel of one-millisecond buckets, processed in insertion order within a bucket; every
 * delay must be shorter than the wheel. Confined to the test thread.
 */
final class TreeSimulation
{
    static final long RADIX = 0;
    static final long STREAM = 42;
    static final byte[] KEY = "c2cast-streamsmart-test-key-0123".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int WHEEL = 1 << 15;
    private static final int MSG = 0;
    private static final int MEDIA = 1;
    private static final int TICK = 2;
    private static final int SOURCE = 3;
    private static final int ACTION = 4;
    private static final boolean TRACE = Boolean.getBoolean("sim.trace");

    /** One simulated packet, shared by reference by every member (as a reference-counted buffer would be). */
    record SimPacket(long seq, boolean keyframe)
    {
    }

    private final TreeConfig config;
    private final SplittableRandom random;
    private final int latencyMs;
    private final int jitterMs;
    private final int mediaIntervalMs;
    private final int keyframeEvery;
    private final List<ArrayList<Event>> wheel = new ArrayList<>(WHEEL);
    private final Map<Long, Node> nodes = new LinkedHashMap<>();
    private final ArrayList<Node> denseNodes = new ArrayList<>();
    private final List<Long> accessList;
    private long nowMs;
    private long nextSeq;
    private boolean sourceRunning;
    private long events;
    private long messages;
    private long mediaDeliveries;
    private MessageFilter dropFilter = (from, to, envelope) -> false;

    /** Decides which control messages the simulated network loses. */
    @FunctionalInterface
    interface MessageFilter
    {
        /**
         * @param from     sender.
         * @param to       destination.
         * @param envelope the message.
         * @return true to lose it.
         */
        boolean drop(long from, long to, Envelope envelope);
    }

    TreeSimulation(
        final TreeConfig config,
        final long seed,
        final Collection<Long> accessList,
        final int latencyMs,
        final int jitterMs,
        final int mediaIntervalMs,
        final int keyframeEvery)
    {
        this(config, seed, accessList, latencyMs, jitterMs, mediaIntervalMs, keyframeEvery, null);
    }

    /** A simulation whose radix places members with its own strategy (null: the configured kind). */
    TreeSimulation(
        final TreeConfig config,
        final long seed,
        final Collection<Long> accessList,
        final int latencyMs,
        final int jitterMs,
        final int mediaIntervalMs,
        final int keyframeEvery,
        final Topology strategy)
    {
        this.config = config;
        this.random = new SplittableRandom(seed);
        this.latencyMs = latencyMs;
        this.jitterMs = jitterMs;
        this.mediaIntervalMs = mediaIntervalMs;
        this.keyframeEvery = keyframeEvery;
        this.accessList = new ArrayList<>(accessList);
        for (int i = 0; i < WHEEL; i++)
        {
            wheel.add(new ArrayList<>());
        }
        final Node radix = new Node(RADIX);
        radix.engine = TreeMember.radix(config, RADIX, STREAM, KEY, accessList, strategy, radix, this::nanoTime,
            random.split());
        nodes.put(RADIX, radix);
        scheduleTick(radix);
    }

    long nanoTime()
    {
        return nowMs * 1_000_000L;
    }

    long nowMs()
    {
        return nowMs;
    }

    TreeMember radix()
    {
        return nodes.get(RADIX).engine;
    }

    /**
     * Adds a member clone (not yet announced or joined).
     */
    Node addMember(final long id, final LongFunction<Intent> intentPolicy, final boolean leafOnly)
    {
        final Node node = new Node(id);
        node.leafOnly = leafOnly;
        node.engine = TreeMember.member(config, id, intentPolicy, leafOnly, node, this::nanoTime, random.split());
        nodes.put(id, node);
        if (id >= 0 && id < 1_000_000)
        {
            while (denseNodes.size() <= id)
            {
                denseNodes.add(null);
            }
            denseNodes.set((int)id, node);
        }
        scheduleTick(node);
        return node;
    }

    Node node(final long id)
    {
        return nodes.get(id);
    }

    Collection<Node> nodes()
    {
        return nodes.values();
    }

    /** Control messages for which the filter answers true are lost from now on (media is not affected). */
    void dropMessages(final MessageFilter filter)
    {
        this.dropFilter = filter;
    }

    void announce()
    {
        nodes.get(RADIX).engine.announce();
    }

    void startSource()
    {
        if (!sourceRunning)
        {
            sourceRunning = true;
            schedule(0, new Event(SOURCE, RADIX, RADIX, null, null));
        }
    }

    void stopSource()
    {
        sourceRunning = false;
    }

    long lastSeq()
    {
        return nextSeq - 1;
    }

    void crash(final long id)
    {
        if (TRACE)
        {
            System.out.println(nowMs + " CRASH " + id);
        }
        final Node node = nodes.get(id);
        node.alive = false;
        node.relay.clear();
    }

    void hang(final long id, final long durationMs)
    {
        if (TRACE)
        {
            System.out.println(nowMs + " HANG " + id + " for " + durationMs);
        }
        final Node node = nodes.get(id);
        node.hungUntilMs = nowMs + durationMs;
        node.everHung = true;
    }

    void at(final long delayMs, final Runnable action)
    {
        final Event event = new Event(ACTION, 0, 0, null, null);
        event.action = action;
        schedule(delayMs, event);
    }

    void runFor(final long ms)
    {
        runUntil(nowMs + ms);
    }

    void runUntil(final long endMs)
    {
        while (nowMs <= endMs)
        {
            final ArrayList<Event> bucket = wheel.get((int)(nowMs & (WHEEL - 1)));
            for (int i = 0; i < bucket.size(); i++)
            {
                fire(bucket.get(i));
            }
            bucket.clear();
            nowMs++;
        }
        nowMs = endMs;
        // nowMs now names the last processed millisecond; the next run starts after it.
        nowMs++;
    }

    long events()
    {
        return events;
    }

    long messages()
    {
        return messages;
    }

    long mediaDeliveries()
    {
        return mediaDeliveries;
    }

    private void fire(final Event event)
    {
        events++;
        if (event.kind == ACTION)
        {
            event.action.run();
            return;
        }
        if (event.kind == SOURCE)
        {
            if (sourceRunning)
            {
                final Node radix = nodes.get(RADIX);
                if (radix.alive && radix.engine.state() == TreeMember.State.ATTACHED)
                {
                    final long seq = nextSeq++;
                    radix.engine.onMediaFrom(RADIX);
                    radix.relay.onPacket(seq, seq % keyframeEvery == 0, new SimPacket(seq, seq % keyframeEvery == 0));
                }
                schedule(mediaIntervalMs, event);
            }
            return;
        }
        final Node node = event.target != null ? event.target : lookup(event.to);
        if (node == null || !node.alive)
        {
            return;
        }
        if (event.kind == TICK)
        {
            if (nowMs >= node.hungUntilMs)
            {
                node.engine.onTick();
            }
            schedule(config.heartbeatIntervalNanos() / 1_000_000L, event);
            return;
        }
        if (nowMs < node.hungUntilMs)
        {
            return;
        }
        if (event.kind == MSG)
        {
            if (TRACE && event.envelope.getBodyCase() != Envelope.BodyCase.HEARTBEAT)
            {
                System.out.println(nowMs + " " + event.from + " -> " + event.to + " "
                    + event.envelope.getBodyCase() + " " + shortText(event.envelope));
            }
            node.engine.onMessage(event.from, event.envelope);
        }
        else
        {
            mediaDeliveries++;
            node.engine.onMediaFrom(event.from);
            node.relay.onPacket(event.packet.seq(), event.packet.keyframe(), event.packet);
        }
    }

    private static String shortText(final Envelope envelope)
    {
        return com.google.protobuf.TextFormat.printer().emittingSingleLine(true).printToString(envelope).replaceAll("stream_id: 42 from: \\d+ ", "");
    }

    private Node lookup(final long id)
    {
        if (id >= 0 && id < denseNodes.size())
        {
            final Node node = denseNodes.get((int)id);
            if (node != null)
            {
                return node;
            }
        }
        return nodes.get(id);
    }

    private void scheduleTick(final Node node)
    {
        final long interval = config.heartbeatIntervalNanos() / 1_000_000L;
        final Event tick = new Event(TICK, node.id, node.id, null, null);
        tick.target = node;
        schedule(random.nextLong(interval), tick);
    }

    private void schedule(final long delayMs, final Event event)
    {
        if (delayMs >= WHEEL - 1 || delayMs < 0)
        {
            throw new IllegalArgumentException("delay outside the wheel: " + delayMs);
        }
        wheel.get((int)((nowMs + delayMs) & (WHEEL - 1))).add(event);
    }

    private int latency()
    {
        return latencyMs + (jitterMs > 0 ? random.nextInt(jitterMs + 1) : 0);
    }

    private static final class Event
    {
        private final int kind;
        private final long to;
        private final long from;
        private final Envelope envelope;
        private final SimPacket packet;
        private Runnable action;
        private Node target;

        Event(final int kind, final long to, final long from, final Envelope envelope, final SimPacket packet)
        {
            this.kind = kind;
            this.to = to;
            this.from = from;
            this.envelope = envelope;
            this.packet = packet;
        }
    }

    /** One simulated clone: engine, relay, and what its phone received. */
    final class Node implements Outbox, Relay.Ops<SimPacket>
    {
        final long id;
        TreeMember engine;
        final Relay<SimPacket> relay;
        final BitSet received = new BitSet();
        long firstSeq = -1;
        boolean alive = true;
        boolean leafOnly;
        boolean everHung;
        long hungUntilMs = -1;

        Node(final long id)
        {
            this.id = id;
            this.relay = new Relay<>(config.ringCapacity(), this);
        }

        boolean hung()
        {
            return nowMs < hungUntilMs;
        }

        @Override
        public void send(final long to, final Envelope envelope)
        {
            messages++;
            if (dropFilter.drop(id, to, envelope))
            {
                return;
            }
            schedule(latency(), new Event(MSG, to, id, envelope, null));
        }

        @Override
        public void attachChild(final long child, final boolean hasResume, final long resumeFrom)
        {
            relay.attach(child, hasResume, resumeFrom);
        }

        @Override
        public void detachChild(final long child)
        {
            relay.detach(child);
        }

        @Override
        public Relay<SimPacket> relay()
        {
            return relay;
        }

        @Override
        public void stateChanged(final TreeMember member)
        {
        }

        @Override
        public void forward(final long child, final SimPacket packet)
        {
            schedule(latency(), new Event(MEDIA, child, id, null, packet));
        }

        @Override
        public void deliver(final SimPacket packet, final long extSeq)
        {
            if (firstSeq < 0)
            {
                firstSeq = extSeq;
            }
            received.set((int)extSeq);
        }

        @Override
        public SimPacket retain(final SimPacket packet)
        {
            return packet;
        }

        @Override
        public void release(final SimPacket packet)
        {
        }

        /** Sequence numbers in [firstSeq, upTo] this member's phone never received. */
        int gaps(final long upTo)
        {
            if (firstSeq < 0 || upTo < firstSeq)
            {
                return 0;
            }
            final int span = (int)(upTo - firstSeq + 1);
            return span - received.get((int)firstSeq, (int)upTo + 1).cardinality();
        }
    }
}
