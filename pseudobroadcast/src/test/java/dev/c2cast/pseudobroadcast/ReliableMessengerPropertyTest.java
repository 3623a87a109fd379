package dev.c2cast.pseudobroadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.junit.jupiter.api.Test;

class ReliableMessengerPropertyTest
{
    private static final long SECOND = 1_000_000_000L;

    /**
     * Three senders stream numbered messages to one receiver over a medium that loses 20% of every frame (data and
     * acknowledgements, per receiver, link-layer retries off), while a fourth node overhears: every message arrives
     * exactly once and in order, and nothing is declared unreachable.
     */
    @Property(seeds = 60)
    void everyMessageArrivesExactlyOnceInOrderUnderTwentyPercentLoss(final Gen gen)
    {
        final Simulation simulation = new Simulation();
        final SimulatedMedium medium = new SimulatedMedium(simulation,
            MediumConfig.builder().maxRetries(0).queueCapacity(gen.intBetween(8, 128)).build(), gen.random());
        final int senders = 3;
        final int messages = gen.intBetween(50, 300);
        final ReliableConfig config = new ReliableConfig(gen.intBetween(1, 64), 5_000_000, 200_000_000, 30);
        final NodeId sink = new NodeId(100);
        final SimulatedTransport sinkTransport = medium.attach(sink);
        final List<List<Integer>> received = new ArrayList<>();
        final int[] failures = new int[1];
        for (int i = 0; i < senders; i++)
        {
            received.add(new ArrayList<>());
        }
        final ReliableMessenger receiver = new ReliableMessenger(sinkTransport, config, gen.random(), new ReliableListener()
        {
            @Override
            public void onMessage(final long source, final ByteBuf buffer, final int offset, final int length)
            {
                assertEquals(4 + buffer.getInt(offset) % 97, length);
                received.get((int)source - 1).add(buffer.getInt(offset));
            }

            @Override
            public void onPeerUnreachable(final long peer, final int undelivered)
            {
                failures[0]++;
            }
        });
        final SimulatedTransport overhearer = medium.attach(new NodeId(50));
        final ReliableMessenger[] sending = new ReliableMessenger[senders];
        final List<NumberedMessages> pumps = new ArrayList<>();
        for (int i = 0; i < senders; i++)
        {
            final SimulatedTransport transport = medium.attach(new NodeId(i + 1));
            final NumberedMessages pump = new NumberedMessages(sink, messages, 97);
            pumps.add(pump);
            sending[i] = new ReliableMessenger(transport, config, gen.random(), pump);
            pump.messenger(sending[i]);
            simulation.schedule(gen.longBetween(0, 1_000_000), pump);
        }
        for (final SimulatedTransport transport : List.of(sinkTransport, overhearer))
        {
            medium.receiverLoss(transport.localNode(), 0.2);
        }
        for (int i = 0; i < senders; i++)
        {
            medium.receiverLoss(new NodeId(i + 1), 0.2);
        }

        simulation.runUntil(() -> received.stream().allMatch(list -> list.size() >= messages) &&
            java.util.Arrays.stream(sending).allMatch(s -> s.inFlight(sink) == 0), 600 * SECOND);
        simulation.runFor(10 * SECOND);

        assertEquals(0, failures[0] + pumps.stream().mapToInt(NumberedMessages::failures).sum(),
            "no peer may be declared unreachable");
        for (int i = 0; i < senders; i++)
        {
            final List<Integer> got = received.get(i);
            assertEquals(messages, got.size(), "sender " + (i + 1) + " delivered " + got.size() + " of " + messages);
            for (int n = 0; n < messages; n++)
            {
                assertEquals(n, got.get(n), "out of order or duplicated at " + n);
            }
            assertEquals(0, sending[i].inFlight(sink));
            assertTrue(sending[i].retransmissions() > 0, "20% loss must cause retransmissions");
        }
        assertEquals(0, simulation.pending() > 0 && medium.busy() ? 1 : 0, "the medium drains");
        assertEquals(senders * (long)messages, receiver.messagesDelivered());
    }

    @Test
    void anUnreachablePeerFailsAfterTheRetransmissionsAndAFreshSessionRecovers()
    {
        final Simulation simulation = new Simulation();
        final SimulatedMedium medium = new SimulatedMedium(simulation, MediumConfig.defaults(), new SplittableRandom(9));
        final SimulatedTransport a = medium.attach(new NodeId(1));
        final SimulatedTransport b = medium.attach(new NodeId(2));
        final List<String> events = new ArrayList<>();
        final ReliableConfig config = new ReliableConfig(4, 10_000_000, 80_000_000, 5);
        final ReliableMessenger sender = new ReliableMessenger(a, config, new SplittableRandom(1), new ReliableListener()
        {
            @Override
            public void onMessage(final long source, final ByteBuf buffer, final int offset, final int length)
            {
            }

            @Override
            public void onPeerUnreachable(final long peer, final int undelivered)
            {
                events.add("unreachable " + peer + " " + undelivered + " at " + simulation.nanoTime() / 1_000_000);
            }

            @Override
            public void onWindowAvailable(final long peer)
            {
                events.add("window");
            }
        });
        final List<Integer> got = new ArrayList<>();
        new ReliableMessenger(b, config, new SplittableRandom(2), new ReliableListener()
        {
            @Override
            public void onMessage(final long source, final ByteBuf buffer, final int offset, final int length)
            {
                got.add((int)buffer.getByte(offset));
            }

            @Override
            public void onPeerUnreachable(final long peer, final int undelivered)
            {
            }
        });
        medium.linkLoss(a.localNode(), b.localNode(), 1.0);
        for (int i = 0; i < 4; i++)
        {
            assertTrue(sender.send(b.localNode(), Unpooled.wrappedBuffer(new byte[] {(byte)i})));
        }
        assertFalse(sender.send(b.localNode(), Unpooled.wrappedBuffer(new byte[] {9})), "the window is bounded");
        assertEquals(4, sender.inFlight(b.localNode()));
        simulation.runAll(10_000);
        // Back-off 10, 20, 40, 80, 80 ms after the first send, then the sixth timeout (80 ms) gives up: 310 ms.
        assertEquals(List.of("unreachable 2 4 at 310"), events);
        assertEquals(0, sender.inFlight(b.localNode()));
        assertEquals(5 * 4, sender.retransmissions());

        medium.linkLoss(a.localNode(), b.localNode(), 0.0);
        assertTrue(sender.send(b.localNode(), Unpooled.wrappedBuffer(new byte[] {7})));
        simulation.runAll(10_000);
        assertEquals(List.of(7), got);
    }
}
