package dev.c2cast.pseudobroadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.junit.jupiter.api.Timeout;

/**
 * Reliable messaging across a link that delays every frame by an independent random amount (so frames, data and
 * acknowledgements alike, overtake one another), loses some and duplicates some. Real paths do this: a veth pair
 * reorders when the sending thread migrates between cores, and a CI run once stalled on a stale acknowledgement.
 */
class ReliableMessengerReorderingPropertyTest
{
    private static final long MILLI = 1_000_000L;

    @Property(seeds = 200)
    @Timeout(120)
    void everyMessageArrivesExactlyOnceInOrderWhateverTheOrderOfFrames(final Gen gen)
    {
        final Simulation simulation = new Simulation();
        final ChaoticLink link = new ChaoticLink(simulation, gen.random(), gen.longBetween(0, 30) * MILLI,
            gen.intBetween(0, 20) / 100.0, gen.intBetween(0, 10) / 100.0);
        final NodeId a = new NodeId(1);
        final NodeId b = new NodeId(2);
        final int messages = gen.intBetween(1, 400);
        final int window = gen.intBetween(1, 64);
        final ReliableConfig config = new ReliableConfig(window, 5 * MILLI, 200 * MILLI, 40);
        final List<Integer> got = new ArrayList<>();
        final int[] failures = new int[1];
        final ReliableMessenger receiver = new ReliableMessenger(link.endpoint(b), config, gen.random(),
            new ReliableListener()
            {
                @Override
                public void onMessage(final long source, final ByteBuf buffer, final int offset, final int length)
                {
                    assertEquals(4 + buffer.getInt(offset) % 31, length, "message length");
                    got.add(buffer.getInt(offset));
                }

                @Override
                public void onPeerUnreachable(final long peer, final int undelivered)
                {
                    failures[0]++;
                }
            });
        final NumberedMessages pump = new NumberedMessages(b, messages, 31);
        final ReliableMessenger sender = new ReliableMessenger(link.endpoint(a), config, gen.random(), pump);
        pump.messenger(sender);
        pump.run();

        final boolean done = simulation.runUntil(() -> pump.accepted() == messages && sender.inFlight(b) == 0, 600_000 * MILLI);

        assertEquals(0, failures[0] + pump.failures(), "no peer may be declared unreachable");
        assertTrue(done, "stalled: sent " + pump.accepted() + " of " + messages + ", in flight " + sender.inFlight(b) +
            ", delivered " + got.size());
        assertEquals(messages, got.size(), "exactly once");
        for (int n = 0; n < messages; n++)
        {
            assertEquals(n, got.get(n), "in order at " + n);
        }
        assertEquals(messages, receiver.messagesDelivered());
        assertEquals(0, sender.malformed() + receiver.malformed(), "nothing a real peer sends is malformed");
    }

    /** Two or more endpoints; each frame is delivered after its own random delay, or lost, or delivered twice. */
    private static final class ChaoticLink
    {
        private final Simulation simulation;
        private final SplittableRandom random;
        private final long maxDelayNanos;
        private final double loss;
        private final double duplication;
        private final Map<Long, Endpoint> endpoints = new HashMap<>();

        ChaoticLink(
            final Simulation simulation, final SplittableRandom random, final long maxDelayNanos, final double loss,
            final double duplication)
        {
            this.simulation = simulation;
            this.random = random;
            this.maxDelayNanos = maxDelayNanos;
            this.loss = loss;
            this.duplication = duplication;
        }

        Transport endpoint(final NodeId node)
        {
            final Endpoint endpoint = new Endpoint(node);
            endpoints.put(node.value(), endpoint);
            return endpoint;
        }

        private void carry(final long source, final long destination, final int frameType, final ByteBuf payload)
        {
            final byte[] bytes = new byte[payload.readableBytes()];
            payload.getBytes(payload.readerIndex(), bytes);
            final int copies = random.nextDouble() < loss ? 0 : random.nextDouble() < duplication ? 2 : 1;
            for (int i = 0; i < copies; i++)
            {
                simulation.schedule(1 + random.nextLong(maxDelayNanos + 1), () ->
                {
                    final Endpoint target = endpoints.get(destination);
                    final FrameListener listener = target == null ? null : target.listeners.get(frameType);
                    if (listener != null)
                    {
                        listener.onFrame(source, destination, false, Unpooled.wrappedBuffer(bytes), 0, bytes.length);
                    }
                });
            }
        }

        private final class Endpoint implements Transport
        {
            private final NodeId node;
            private final Map<Integer, FrameListener> listeners = new HashMap<>();
            private final TransportCounters counters = new TransportCounters();

            Endpoint(final NodeId node)
            {
                this.node = node;
            }

            @Override
            public NodeId localNode()
            {
                return node;
            }

            @Override
            public int groupId()
            {
                return 1;
            }

            @Override
            public int maxPayloadLength()
            {
                return 1200;
            }

            @Override
            public boolean send(final int frameType, final long destination, final ByteBuf payload)
            {
                carry(node.value(), destination, frameType, payload);
                return true;
            }

            @Override
            public void listener(final int frameType, final FrameListener listener)
            {
                if (listener == null)
                {
                    listeners.remove(frameType);
                }
                else
                {
                    listeners.put(frameType, listener);
                }
            }

            @Override
            public TransportCounters counters()
            {
                return counters;
            }

            @Override
            public TimerService timers()
            {
                return simulation;
            }

            @Override
            public void close()
            {
                listeners.clear();
            }
        }
    }
}
