package dev.c2cast.microcast.nc.p2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.c2cast.microcast.nc.CodingParameters;
import dev.c2cast.microcast.nc.CoefficientEncoding;
import dev.c2cast.microcast.nc.Encoder;
import dev.c2cast.microcast.nc.Generation;
import dev.c2cast.pseudobroadcast.MediumConfig;
import dev.c2cast.pseudobroadcast.NodeId;
import dev.c2cast.pseudobroadcast.SimulatedMedium;
import dev.c2cast.pseudobroadcast.SimulatedTransport;
import dev.c2cast.pseudobroadcast.Simulation;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.junit.jupiter.api.Test;

/**
 * Integrity with the real coder on the simulated medium: four honest MicroNC-P2 nodes with the group key, a member
 * that injects well-formed coded packets of wrong data, and an outsider without the key.
 */
class IntegrityTest
{
    static final CodingParameters PARAMETERS = new CodingParameters(16, 1000);
    static final int FILE_LENGTH = 200_000;
    static final byte[] KEY = "c2cast-test-group-key-0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final long POLLUTER = 5;
    static final long OUTSIDER = 6;

    static byte[] file()
    {
        final byte[] file = new byte[FILE_LENGTH];
        new SplittableRandom(99).nextBytes(file);
        return file;
    }

    @Test
    void manifestRoundTripsAndRejectsWrongData()
    {
        final byte[] file = file();
        final SegmentManifest manifest = SegmentManifest.of(file, PARAMETERS);
        assertEquals(13, manifest.segmentCount());
        assertEquals(FILE_LENGTH - 12 * 16_000, manifest.segmentLength(12));
        assertEquals(manifest, SegmentManifest.parse(manifest.toBytes()));
        assertTrue(manifest.matches(1, file, 16_000, 16_000));
        file[16_500] ^= 1;
        assertFalse(manifest.matches(1, file, 16_000, 16_000));
        assertThrows(IllegalArgumentException.class, () -> SegmentManifest.parse(new byte[] {(byte)0xFF}));
        final CodedSegmentStore store = new CodedSegmentStore(manifest, 1);
        assertFalse(store.supply(1, file, 16_000, 16_000));
        assertFalse(store.isDecoded(1));
    }

    @Test
    void groupKeyAuthenticatesFramesAndDropsOthers()
    {
        final GroupAuthenticator member = new GroupAuthenticator(KEY);
        final GroupAuthenticator other = new GroupAuthenticator(new byte[32]);
        final List<byte[]> wire = new ArrayList<>();
        final FrameSender sealed = member.sender(7, (type, destination, payload) ->
        {
            final byte[] bytes = new byte[payload.readableBytes()];
            payload.getBytes(payload.readerIndex(), bytes);
            wire.add(bytes);
            return true;
        });
        final ByteBuf payload = Unpooled.buffer().writeBytes(new byte[] {1, 2, 3});
        assertTrue(sealed.send(DisseminationEngine.CONTROL_FRAME_TYPE, 3, payload));
        assertEquals(3, payload.readableBytes(), "the caller's buffer is left as it was");
        final ByteBuf frame = Unpooled.wrappedBuffer(wire.get(0));
        assertEquals(3, member.open(DisseminationEngine.CONTROL_FRAME_TYPE, 7, frame, 0, frame.readableBytes()));
        assertEquals(-1, member.open(DisseminationEngine.CONTROL_FRAME_TYPE, 8, frame, 0, frame.readableBytes()),
            "another claimed source");
        assertEquals(-1, member.open(DisseminationEngine.DATA_FRAME_TYPE, 7, frame, 0, frame.readableBytes()),
            "another frame type");
        assertEquals(-1, other.open(DisseminationEngine.CONTROL_FRAME_TYPE, 7, frame, 0, frame.readableBytes()));
        frame.setByte(1, 9);
        assertEquals(-1, member.open(DisseminationEngine.CONTROL_FRAME_TYPE, 7, frame, 0, frame.readableBytes()));
        assertEquals(3, member.rejectedFrames());
    }

    @Test
    void pollutingMemberNeverCorruptsAStoredSegmentAndIsIgnoredOutsidersAreDropped()
    {
        final byte[] file = file();
        final SegmentManifest manifest = SegmentManifest.of(file, PARAMETERS);
        final Simulation simulation = new Simulation();
        final SimulatedMedium medium = new SimulatedMedium(simulation, MediumConfig.defaults(), new SplittableRandom(3));
        final int honest = 4;
        final CodedSegmentStore[] stores = new CodedSegmentStore[honest];
        final MicroNcP2[] engines = new MicroNcP2[honest];
        final GroupAuthenticator[] authenticators = new GroupAuthenticator[honest];
        final List<List<Integer>> delivered = new ArrayList<>();
        final SimulatedTransport[] transports = new SimulatedTransport[honest];
        for (int i = 0; i < honest; i++)
        {
            transports[i] = medium.attach(new NodeId(i + 1));
        }
        final SimulatedTransport polluter = medium.attach(new NodeId(POLLUTER));
        final SimulatedTransport outsider = medium.attach(new NodeId(OUTSIDER));
        for (int i = 0; i < honest; i++)
        {
            final int node = i;
            stores[i] = new CodedSegmentStore(manifest, 100 + i);
            authenticators[i] = new GroupAuthenticator(KEY);
            delivered.add(new ArrayList<>());
            final SimulatedTransport transport = transports[i];
            final EngineTimers timers = EngineTimers.of(simulation);
            engines[i] = new MicroNcP2(i + 1, DisseminationConfig.defaults(), stores[i],
                authenticators[i].sender(i + 1, transport::send), timers, new SplittableRandom(i),
                segment -> delivered.get(node).add(segment));
            for (final int type : new int[] {DisseminationEngine.CONTROL_FRAME_TYPE, DisseminationEngine.DATA_FRAME_TYPE})
            {
                transport.listener(type, (source, destination, overheard, buffer, offset, length) ->
                {
                    final int n = authenticators[node].open(type, source, buffer, offset, length);
                    if (n >= 0)
                    {
                        engines[node].onFrame(type, source, destination, overheard, buffer, offset, n);
                    }
                });
            }
        }
        for (int i = 0; i < honest; i++)
        {
            for (int j = 0; j < honest; j++)
            {
                if (i != j)
                {
                    engines[i].addPeer(j + 1);
                }
            }
            engines[i].start();
        }
        // Node 1 downloads the file, one segment every 100 ms.
        for (int s = 0; s < manifest.segmentCount(); s++)
        {
            final int segment = s;
            simulation.scheduleAt(100_000_000L * (s + 1), () ->
            {
                final int offset = segment * PARAMETERS.capacity();
                assertTrue(stores[0].supply(segment, file, offset, manifest.segmentLength(segment)));
                engines[0].onSegmentDownloaded(segment);
            });
        }
        // The polluter is a member (it has the key) and sends well-formed coded packets of garbage every 3 ms; the
        // outsider sends the same without the key.
        final byte[] garbage = new byte[PARAMETERS.capacity()];
        new SplittableRandom(5).nextBytes(garbage);
        final SplittableRandom attack = new SplittableRandom(8);
        final GroupAuthenticator polluterKey = new GroupAuthenticator(KEY);
        final GroupAuthenticator outsiderKey = new GroupAuthenticator("not-the-group-key-at-all-0000000".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII));
        final FrameSender polluterSender = polluterKey.sender(POLLUTER, polluter::send);
        final FrameSender outsiderSender = outsiderKey.sender(OUTSIDER, outsider::send);
        final Runnable[] inject = new Runnable[1];
        inject[0] = () ->
        {
            final int segment = attack.nextInt(manifest.segmentCount());
            final Encoder encoder = new Encoder(Generation.copyOf(PARAMETERS, garbage, 0,
                manifest.segmentLength(segment)), segment, CoefficientEncoding.FULL, false, attack.nextLong());
            final ByteBuf frame = Unpooled.buffer();
            frame.writeInt(segment);
            encoder.writePacket(frame);
            final long target = 1 + attack.nextInt(honest);
            polluterSender.send(DisseminationEngine.DATA_FRAME_TYPE, target, frame);
            outsiderSender.send(DisseminationEngine.DATA_FRAME_TYPE, target, frame);
            if (simulation.nanoTime() < 3_000_000_000L)
            {
                simulation.scheduleAt(simulation.nanoTime() + 3_000_000L, inject[0]);
            }
        };
        simulation.scheduleAt(50_000_000L, inject[0]);

        final boolean done = simulation.runUntil(() ->
        {
            for (final MicroNcP2 engine : engines)
            {
                if (!engine.isComplete())
                {
                    return false;
                }
            }
            return true;
        }, 120_000_000_000L);
        for (int i = 0; i < honest; i++)
        {
            System.out.println("node " + (i + 1) + " decoded " + engines[i].decodedSegments() + " corrupt " +
                stores[i].corruptDecodes() + " ignoresPolluter " + stores[i].isIgnored(POLLUTER) + " rejected " +
                stores[i].rejectedPackets() + " authDrops " + authenticators[i].rejectedFrames() + " ranks " +
                java.util.stream.IntStream.range(0, manifest.segmentCount()).map(stores[i]::rank).boxed().toList());
        }
        assertTrue(done, "every honest node completes");
        long corrupt = 0;
        long outsiderDrops = 0;
        for (int i = 0; i < honest; i++)
        {
            for (int s = 0; s < manifest.segmentCount(); s++)
            {
                final int offset = s * PARAMETERS.capacity();
                assertArrayEquals(java.util.Arrays.copyOfRange(file, offset, offset + manifest.segmentLength(s)),
                    stores[i].segment(s), "node " + (i + 1) + " segment " + s);
            }
            assertEquals(manifest.segmentCount(), delivered.get(i).size(), "each segment delivered once");
            corrupt += stores[i].corruptDecodes();
            outsiderDrops += authenticators[i].rejectedFrames();
            if (stores[i].corruptDecodes() > 0)
            {
                assertTrue(stores[i].isIgnored(POLLUTER), "node " + (i + 1) + " ignores the polluter");
            }
            assertFalse(stores[i].isIgnored(1), "the honest source is never blamed");
        }
        assertTrue(corrupt > 0, "the attack reached at least one full-rank decode");
        assertTrue(outsiderDrops >= 900, "outsider frames dropped and counted: " + outsiderDrops);
    }
}
