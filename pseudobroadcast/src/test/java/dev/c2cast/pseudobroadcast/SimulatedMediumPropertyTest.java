package dev.c2cast.pseudobroadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class SimulatedMediumPropertyTest
{
    /**
     * Random stations, losses, configurations and traffic: one transmitter at a time, airtime as configured, every
     * transmission accounted for at every other station (delivered or lost, never both), attempts within the retry
     * limit, broadcast sent once, and the counters of medium, log and transports agree.
     */
    @Property(seeds = 60)
    void transmissionsAreSerialAndEveryReceiverAccountedFor(final Gen gen)
    {
        final MediumConfig config = MediumConfig.builder()
            .capacityBitsPerSecond(gen.longBetween(1_000_000, 100_000_000))
            .frameOverheadBytes(gen.intBetween(0, 100))
            .frameOverheadNanos(gen.longBetween(0, 200_000))
            .maxRetries(gen.intBetween(0, 7))
            .reservedShare(gen.chance(0.3) ? gen.doubleBetween(0, 0.9) : 0)
            .competingFrameBytes(gen.chance(0.3) ? gen.intBetween(1, 1500) : 0)
            .queueCapacity(gen.intBetween(1, 64))
            .maxPayloadLength(gen.intBetween(16, 1400))
            .build();
        final Simulation simulation = new Simulation();
        final EventLog log = new EventLog();
        final SimulatedMedium medium = new SimulatedMedium(simulation, config, gen.random(), log);
        final int stations = gen.intBetween(2, 10);
        final SimulatedTransport[] nodes = new SimulatedTransport[stations];
        for (int i = 0; i < stations; i++)
        {
            nodes[i] = medium.attach(new NodeId(i + 1));
            final double p = gen.chance(0.5) ? gen.doubleBetween(0, 1) : 0;
            medium.receiverLoss(nodes[i].localNode(), p);
        }
        final ByteBuf payload = Unpooled.buffer(config.maxPayloadLength());
        payload.writeZero(config.maxPayloadLength());
        long accepted = 0;
        for (int step = 0; step < 400; step++)
        {
            final int from = gen.nextInt(stations);
            final int to = (from + 1 + gen.nextInt(stations - 1)) % stations;
            payload.setIndex(0, gen.intBetween(0, config.maxPayloadLength()));
            final boolean sent = gen.chance(0.3) ? nodes[from].broadcast(payload) : nodes[from].send(nodes[to].localNode(), payload);
            if (sent)
            {
                accepted++;
            }
            if (gen.chance(0.5))
            {
                simulation.runFor(gen.longBetween(0, 3_000_000));
            }
        }
        simulation.runAll(1_000_000);

        long previousEnd = 0;
        long realTransmissions = 0;
        for (final long[] t : log.transmissions)
        {
            assertTrue(t[0] >= previousEnd, "overlapping transmissions");
            previousEnd = t[1];
            if (t[2] >= 0)
            {
                realTransmissions++;
                final boolean broadcast = t[3] == NodeId.BROADCAST_VALUE;
                assertTrue(t[4] >= 1 && t[4] <= (broadcast ? 1 : 1 + config.maxRetries()), "attempts " + t[4]);
                assertTrue(t[1] - t[0] > 0);
            }
        }
        assertEquals(accepted, realTransmissions, "every accepted frame is transmitted once");
        assertEquals(accepted, medium.transmissions());
        assertEquals(realTransmissions * (stations - 1), log.deliveries + log.losses,
            "every other station either got or lost every frame");
        assertEquals(medium.deliveries(), log.deliveries);
        assertEquals(medium.losses(), log.losses);
        long heard = 0;
        long sentByNodes = 0;
        for (final SimulatedTransport node : nodes)
        {
            for (final long peer : node.counters().peers())
            {
                final PeerCounters c = node.counters().peer(peer);
                heard += c.framesReceived() + c.framesOverheard();
                sentByNodes += c.framesSent();
            }
            sentByNodes += node.counters().framesBroadcast();
        }
        assertEquals(log.deliveries, heard, "transports saw every delivery");
        assertEquals(accepted, sentByNodes);
        assertEquals(0, simulation.pending());
    }
}
