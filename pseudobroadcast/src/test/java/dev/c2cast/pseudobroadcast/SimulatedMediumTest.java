package dev.c2cast.pseudobroadcast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.junit.jupiter.api.Test;

class SimulatedMediumTest
{
    private static final NodeId A = new NodeId(1);
    private static final NodeId B = new NodeId(2);
    private static final NodeId C = new NodeId(3);
    private static final NodeId D = new NodeId(4);

    @Test
    void framesTakeTheirAirtimeAndNeverOverlap()
    {
        final Simulation simulation = new Simulation();
        final EventLog log = new EventLog();
        final MediumConfig config = MediumConfig.builder().capacityBitsPerSecond(8_000_000).frameOverheadBytes(68)
            .frameOverheadNanos(0).build();
        final SimulatedMedium medium = new SimulatedMedium(simulation, config, new SplittableRandom(1), log);
        final SimulatedTransport a = medium.attach(A);
        final SimulatedTransport b = medium.attach(B);
        medium.attach(C);
        final ByteBuf payload = Unpooled.wrappedBuffer(new byte[900]);
        for (int i = 0; i < 10; i++)
        {
            assertTrue(a.send(B, payload));
            assertTrue(b.send(C, payload));
        }
        simulation.runAll(1_000);
        // (68 + 32 + 900) bytes at 8 Mbit/s = 1 ms per frame, 20 frames back to back.
        assertEquals(20, log.transmissions.size());
        assertEquals(20_000_000L, simulation.nanoTime());
        long previousEnd = 0;
        for (final long[] t : log.transmissions)
        {
            assertTrue(t[0] >= previousEnd, "one transmitter at a time");
            assertEquals(1_000_000L, t[1] - t[0]);
            previousEnd = t[1];
        }
        assertEquals(A.value(), log.transmissions.get(0)[2]);
        assertEquals(B.value(), log.transmissions.get(1)[2], "stations with backlog take turns");
        assertEquals(40, log.deliveries);
        assertEquals(20, log.overheard);
        assertEquals(20_000_000L, medium.busyNanos());
    }

    @Test
    void retriesToTheDestinationGiveOverhearersExtraChances()
    {
        final double loss = 0.5;
        final double withRetries = overhearRatio(loss, 6);
        final double withoutRetries = overhearRatio(loss, 0);
        // One attempt: 1 - p = 0.5. Retries continue until B gets it: expected attempts 1/(1-p) = 2 (capped at 7),
        // so C's chance is 1 - E[p^attempts] = 1 - sum_k (1-p) p^(k-1) p^k ~= 0.667.
        assertEquals(0.5, withoutRetries, 0.02);
        assertEquals(2.0 / 3, withRetries, 0.02);
    }

    private static double overhearRatio(final double loss, final int retries)
    {
        final Simulation simulation = new Simulation();
        final SimulatedMedium medium = new SimulatedMedium(simulation,
            MediumConfig.builder().maxRetries(retries).build(), new SplittableRandom(42));
        final SimulatedTransport a = medium.attach(A);
        medium.attach(B);
        final SimulatedTransport c = medium.attach(C);
        medium.receiverLoss(B, loss);
        medium.receiverLoss(C, loss);
        final ByteBuf payload = Unpooled.wrappedBuffer(new byte[100]);
        for (int i = 0; i < 10_000; i++)
        {
            a.send(B, payload);
            simulation.runAll(100);
        }
        return c.counters().peer(A).framesOverheard() / 10_000.0;
    }

    @Test
    void lossIsIndependentPerReceiverAndLinkLossCutsLinks()
    {
        final Simulation simulation = new Simulation();
        final SimulatedMedium medium = new SimulatedMedium(simulation, MediumConfig.defaults(), new SplittableRandom(7));
        final SimulatedTransport a = medium.attach(A);
        final SimulatedTransport b = medium.attach(B);
        final SimulatedTransport c = medium.attach(C);
        final SimulatedTransport d = medium.attach(D);
        medium.receiverLoss(C, 0.2);
        medium.linkLoss(A, D, 1.0);
        final ByteBuf payload = Unpooled.wrappedBuffer(new byte[64]);
        for (int i = 0; i < 5_000; i++)
        {
            a.broadcast(payload);
            simulation.runAll(100);
        }
        assertEquals(5_000, b.counters().peer(A).framesReceived());
        assertEquals(0.8, c.counters().peer(A).framesReceived() / 5_000.0, 0.02);
        assertEquals(0, d.counters().peer(A).framesReceived());
        assertEquals(5_000, a.counters().framesBroadcast());
    }

    @Test
    void reservedShareAndCompetingStationSlowTheGroupDown()
    {
        final long alone = timeToSend(MediumConfig.builder().build());
        final long reserved = timeToSend(MediumConfig.builder().reservedShare(0.5).frameOverheadNanos(0).build());
        final long aloneNoOverhead = timeToSend(MediumConfig.builder().frameOverheadNanos(0).build());
        assertEquals(2.0, (double)reserved / aloneNoOverhead, 0.01);
        final long competing = timeToSend(MediumConfig.builder().competingFrameBytes(1338).build());
        assertEquals(2.0, (double)competing / alone, 0.02, "a saturated competitor takes every other turn");
    }

    private static long timeToSend(final MediumConfig config)
    {
        final Simulation simulation = new Simulation();
        final EventLog log = new EventLog();
        final SimulatedMedium medium = new SimulatedMedium(simulation, config, new SplittableRandom(3), log);
        final SimulatedTransport a = medium.attach(A);
        medium.attach(B);
        final ByteBuf payload = Unpooled.wrappedBuffer(new byte[1306]);
        for (int i = 0; i < 100; i++)
        {
            assertTrue(a.send(B, payload));
        }
        simulation.runAll(10_000);
        return simulation.nanoTime();
    }

    @Test
    void aFullQueueRejectsSendsAndCountsThem()
    {
        final Simulation simulation = new Simulation();
        final EventLog log = new EventLog();
        final SimulatedMedium medium = new SimulatedMedium(simulation, MediumConfig.builder().queueCapacity(4).build(),
            new SplittableRandom(3), log);
        final SimulatedTransport a = medium.attach(A);
        medium.attach(B);
        final ByteBuf payload = Unpooled.wrappedBuffer(new byte[10]);
        int accepted = 0;
        for (int i = 0; i < 10; i++)
        {
            if (a.send(B, payload))
            {
                accepted++;
            }
        }
        assertEquals(4, accepted);
        assertEquals(6, a.counters().sendsRejected());
        assertEquals(6, log.queueDrops);
        simulation.runAll(100);
        assertTrue(a.send(B, payload));
    }

    @Test
    void closedStationsNeitherSendNorReceive()
    {
        final Simulation simulation = new Simulation();
        final SimulatedMedium medium = new SimulatedMedium(simulation, MediumConfig.defaults(), new SplittableRandom(3));
        final SimulatedTransport a = medium.attach(A);
        final SimulatedTransport b = medium.attach(B);
        final int[] got = new int[1];
        b.listener(FrameType.DATA, (s, d, o, buf, off, len) -> got[0]++);
        b.close();
        assertTrue(a.send(B, Unpooled.wrappedBuffer(new byte[1])));
        simulation.runAll(100);
        assertEquals(0, got[0]);
        assertFalse(b.send(A, Unpooled.wrappedBuffer(new byte[1])));
    }

    @Property(seeds = 20)
    void theSameSeedGivesAByteIdenticalEventLog(final Gen gen)
    {
        final long seed = gen.nextLong();
        final byte[] first = scenario(seed);
        final byte[] second = scenario(seed);
        assertArrayEquals(first, second);
        assertFalse(java.util.Arrays.equals(first, scenario(seed + 1)), "a different seed gives a different run");
    }

    /** Six nodes, lossy links, a competing station, random unicast and broadcast traffic and reliable messages. */
    private static byte[] scenario(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Simulation simulation = new Simulation();
        final EventLog log = new EventLog();
        final SimulatedMedium medium = new SimulatedMedium(simulation,
            MediumConfig.builder().competingFrameBytes(500).queueCapacity(16).build(), random.split(), log);
        final SimulatedTransport[] nodes = new SimulatedTransport[6];
        final ReliableMessenger[] reliable = new ReliableMessenger[6];
        for (int i = 0; i < nodes.length; i++)
        {
            nodes[i] = medium.attach(new NodeId(i + 1));
            reliable[i] = new ReliableMessenger(nodes[i], ReliableConfig.defaults(), random.split(), new ReliableListener()
            {
                @Override
                public void onMessage(final long source, final ByteBuf buffer, final int offset, final int length)
                {
                }

                @Override
                public void onPeerUnreachable(final long peer, final int undelivered)
                {
                }
            });
        }
        for (int i = 0; i < nodes.length; i++)
        {
            medium.receiverLoss(nodes[i].localNode(), random.nextDouble(0.0, 0.4));
        }
        final ByteBuf payload = Unpooled.buffer(1000);
        payload.writeZero(1000);
        for (int step = 0; step < 300; step++)
        {
            final int from = random.nextInt(nodes.length);
            final int to = (from + 1 + random.nextInt(nodes.length - 1)) % nodes.length;
            payload.setIndex(0, random.nextInt(1000));
            switch (random.nextInt(3))
            {
                case 0 -> nodes[from].broadcast(payload);
                case 1 -> nodes[from].send(nodes[to].localNode(), payload);
                default -> reliable[from].send(nodes[to].localNode(), payload);
            }
            simulation.runFor(random.nextLong(0, 2_000_000));
        }
        simulation.runFor(60_000_000_000L);
        assertTrue(log.deliveries > 0 && log.losses > 0 && log.competing > 0);
        return log.toByteArray();
    }
}
