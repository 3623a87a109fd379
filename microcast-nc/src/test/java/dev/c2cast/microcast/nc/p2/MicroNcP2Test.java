package dev.c2cast.microcast.nc.p2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import dev.c2cast.microcast.nc.sim.VirtualSegmentStore;
import dev.c2cast.microcast.nc.wire.P2Advertise;
import dev.c2cast.microcast.nc.wire.P2Control;
import dev.c2cast.microcast.nc.wire.P2Notify;
import dev.c2cast.microcast.nc.wire.P2Request;

import com.google.protobuf.ByteString;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each rule of MicroNC-P2 (microcast.txt, section V-B) on one engine (node 1, neighbours 2, 3, 4) with a fake
 * clock: g = 4, three segments.
 */
class MicroNcP2Test
{
    static final int G = 4;
    static final int SEGMENTS = 3;

    EngineHarness bed;
    MicroNcP2 engine;
    final SplittableRandom random = new SplittableRandom(7);

    @BeforeEach
    void setUp()
    {
        bed = new EngineHarness(SEGMENTS, G);
        engine = new MicroNcP2(1, EngineHarness.config(), bed.store, bed, bed, new SplittableRandom(1),
            bed.decoded::add);
        engine.addPeer(2);
        engine.addPeer(3);
        engine.addPeer(4);
        engine.start();
    }

    static P2Control advertise(final int... segments)
    {
        final byte[] bits = new byte[(SEGMENTS + 7) / 8];
        for (final int s : segments)
        {
            bits[s / 8] |= (byte)(1 << (s % 8));
        }
        return P2Control.newBuilder().setAdvertise(P2Advertise.newBuilder().setSegmentCount(SEGMENTS)
            .setBitfield(ByteString.copyFrom(bits))).build();
    }

    static P2Control request(final int segment, final int missing)
    {
        return P2Control.newBuilder().setRequest(P2Request.newBuilder().setSegment(segment).setMissing(missing))
            .build();
    }

    static P2Control notify(final int segment, final int sent)
    {
        return P2Control.newBuilder().setNotify(P2Notify.newBuilder().setSegment(segment).setSent(sent)).build();
    }

    @Test
    void advertisesHeldSegmentsPeriodically()
    {
        bed.runFor(2_000);
        assertTrue(bed.drain().isEmpty(), "nothing held, nothing advertised");
        bed.store.loadSource(2);
        bed.runFor(2_000);
        final List<EngineHarness.Sent> sent = bed.drain();
        assertEquals(2, sent.size(), "one advertisement per second");
        for (final EngineHarness.Sent frame : sent)
        {
            assertEquals(FrameSender.BROADCAST, frame.destination());
            assertEquals(P2Control.BodyCase.ADVERTISE, frame.control().getBodyCase());
            assertEquals(0b100, frame.control().getAdvertise().getBitfield().byteAt(0));
        }
    }

    @Test
    void pushesFreshSegmentToOneRandomNeighbourBeforeAdvertising()
    {
        engine.onSegmentDownloaded(1);
        final List<EngineHarness.Sent> sent = bed.drain();
        assertEquals(G + 1, sent.size());
        final long target = sent.get(0).destination();
        assertTrue(target >= 2 && target <= 4);
        for (int i = 0; i < G; i++)
        {
            assertTrue(sent.get(i).isData());
            assertEquals(1, sent.get(i).segment());
            assertEquals(target, sent.get(i).destination());
        }
        final EngineHarness.Sent last = sent.get(G);
        assertEquals(P2Control.BodyCase.ADVERTISE, last.control().getBodyCase());
        assertEquals(FrameSender.BROADCAST, last.destination());
        assertEquals(List.of(1), bed.decoded);
    }

    @Test
    void pushTargetsAreSpreadOverNeighbours()
    {
        final boolean[] seen = new boolean[5];
        final EngineHarness many = new EngineHarness(60, G);
        final MicroNcP2 node = new MicroNcP2(1, EngineHarness.config(), many.store, many, many,
            new SplittableRandom(3), DisseminationListener.NONE);
        node.addPeer(2);
        node.addPeer(3);
        node.addPeer(4);
        node.start();
        for (int s = 0; s < 60; s++)
        {
            node.onSegmentDownloaded(s);
            seen[(int)many.drain().get(0).destination()] = true;
        }
        assertTrue(seen[2] && seen[3] && seen[4]);
    }

    @Test
    void requestStatesMissingDimensionsCountingOverheardPackets()
    {
        final VirtualSegmentStore source = new VirtualSegmentStore(SEGMENTS, G, 8);
        source.loadSource(0);
        for (int i = 0; i < 3; i++)
        {
            EngineHarness.deliver(engine, 2, 3, true, DisseminationEngine.DATA_FRAME_TYPE,
                EngineHarness.codedFrame(source, 0, random));
        }
        assertEquals(3, bed.store.rank(0));
        EngineHarness.deliverControl(engine, 2, FrameSender.BROADCAST, advertise(0));
        final List<EngineHarness.Sent> sent = bed.drain();
        assertEquals(1, sent.size());
        assertEquals(2, sent.get(0).destination());
        assertEquals(P2Control.BodyCase.REQUEST, sent.get(0).control().getBodyCase());
        assertEquals(0, sent.get(0).control().getRequest().getSegment());
        assertEquals(1, sent.get(0).control().getRequest().getMissing());
        assertEquals(2, engine.requestedFrom(0));
        assertEquals(3, engine.counters().innovativeReceived());
    }

    @Test
    void doesNotRequestWhatIsAlreadyRequestedOrHeld()
    {
        bed.store.loadSource(1);
        EngineHarness.deliverControl(engine, 2, FrameSender.BROADCAST, advertise(0, 1));
        EngineHarness.deliverControl(engine, 3, FrameSender.BROADCAST, advertise(0, 1));
        final List<EngineHarness.Sent> sent = bed.drain();
        assertEquals(1, sent.size(), "one request, for segment 0 only, from the first advertiser");
        assertEquals(0, sent.get(0).control().getRequest().getSegment());
        assertEquals(G, sent.get(0).control().getRequest().getMissing());
    }

    @Test
    void serverMergesPendingRequestsAndSendsTheMaximumThenNotifies()
    {
        bed.store.loadSource(0);
        EngineHarness.deliverControl(engine, 2, 1, request(0, 2));
        EngineHarness.deliverControl(engine, 3, 1, request(0, 3));
        bed.runFor(5);
        EngineHarness.deliverControl(engine, 4, 1, request(0, 1));
        assertEquals(1, engine.pendingSegments());
        assertTrue(bed.drain().isEmpty(), "waits for the aggregation window");
        bed.runFor(30);
        final List<EngineHarness.Sent> sent = bed.drain();
        assertEquals(4, sent.size());
        for (int i = 0; i < 3; i++)
        {
            assertTrue(sent.get(i).isData());
            assertEquals(3, sent.get(i).destination(), "served to the requester that asked most");
        }
        final P2Control notify = sent.get(3).control();
        assertEquals(P2Control.BodyCase.NOTIFY, notify.getBodyCase());
        assertEquals(3, notify.getNotify().getSent());
        assertEquals(FrameSender.BROADCAST, sent.get(3).destination());
        assertEquals(0, engine.pendingSegments());
    }

    @Test
    void serverIgnoresOverheardRequestsAndRequestsForSegmentsItLacks()
    {
        EngineHarness.deliverControl(engine, 2, 1, request(0, 2));
        EngineHarness.deliverControl(engine, 2, 3, request(1, 2));
        bed.runFor(100);
        assertTrue(bed.drain().isEmpty());
        assertEquals(0, engine.pendingSegments());
    }

    @Test
    void servesNearestPlaybackDeadlineFirst()
    {
        bed.store.loadSource(0);
        bed.store.loadSource(2);
        EngineHarness.deliverControl(engine, 2, 1, request(2, 1));
        EngineHarness.deliverControl(engine, 3, 1, request(0, 1));
        bed.runFor(100);
        final List<EngineHarness.Sent> data = bed.drain().stream().filter(EngineHarness.Sent::isData).toList();
        assertEquals(2, data.size());
        assertEquals(0, data.get(0).segment(), "segment 0 plays first");
        assertEquals(2, data.get(1).segment());
    }

    @Test
    void requesterStillShortAfterNotificationRequestsAgain()
    {
        EngineHarness.deliverControl(engine, 2, FrameSender.BROADCAST, advertise(0));
        bed.drain();
        final VirtualSegmentStore source = new VirtualSegmentStore(SEGMENTS, G, 8);
        source.loadSource(0);
        EngineHarness.deliver(engine, 2, 1, false, DisseminationEngine.DATA_FRAME_TYPE,
            EngineHarness.codedFrame(source, 0, random));
        EngineHarness.deliverControl(engine, 2, FrameSender.BROADCAST, notify(0, G));
        final List<EngineHarness.Sent> sent = bed.drain();
        assertEquals(1, sent.size());
        assertEquals(2, sent.get(0).destination());
        assertEquals(G - 1, sent.get(0).control().getRequest().getMissing());
    }

    @Test
    void notificationFromAnotherServerOrForACompleteSegmentIsIgnored()
    {
        EngineHarness.deliverControl(engine, 2, FrameSender.BROADCAST, advertise(0));
        bed.drain();
        EngineHarness.deliverControl(engine, 3, FrameSender.BROADCAST, notify(0, G));
        assertTrue(bed.drain().isEmpty());
        final VirtualSegmentStore source = new VirtualSegmentStore(SEGMENTS, G, 8);
        source.loadSource(0);
        while (!bed.store.isDecoded(0))
        {
            EngineHarness.deliver(engine, 2, 1, false, DisseminationEngine.DATA_FRAME_TYPE,
                EngineHarness.codedFrame(source, 0, random));
        }
        assertEquals(List.of(0), bed.decoded);
        EngineHarness.deliverControl(engine, 2, FrameSender.BROADCAST, notify(0, G));
        assertTrue(bed.drain().isEmpty());
    }

    @Test
    void recoveryTimerRequestsAgainWhatNeverCompleted()
    {
        EngineHarness.deliverControl(engine, 2, FrameSender.BROADCAST, advertise(0));
        assertEquals(1, bed.drain().size());
        bed.runFor(900);
        assertTrue(bed.drain().isEmpty(), "not before the recovery timeout");
        bed.runFor(400);
        final List<EngineHarness.Sent> sent = bed.drain();
        assertEquals(1, sent.size());
        assertEquals(P2Control.BodyCase.REQUEST, sent.get(0).control().getBodyCase());
        assertEquals(G, sent.get(0).control().getRequest().getMissing());
    }

    @Test
    void lostRequestIsRecoveredEvenIfTheSenderRefused()
    {
        bed.refuse = true;
        EngineHarness.deliverControl(engine, 2, FrameSender.BROADCAST, advertise(0));
        assertEquals(1, engine.counters().sendFailures());
        bed.refuse = false;
        bed.runFor(1_300);
        assertEquals(1, bed.drain().size());
    }

    @Test
    void malformedFramesAreCountedAndIgnored()
    {
        EngineHarness.deliver(engine, 2, 1, false, DisseminationEngine.CONTROL_FRAME_TYPE, new byte[] {(byte)0xFF, 1});
        EngineHarness.deliver(engine, 2, 1, false, DisseminationEngine.DATA_FRAME_TYPE, new byte[] {0, 0});
        EngineHarness.deliver(engine, 2, 1, false, DisseminationEngine.DATA_FRAME_TYPE, new byte[] {0, 0, 0, 9, 1});
        EngineHarness.deliverControl(engine, 2, 1, request(99, 1));
        EngineHarness.deliverControl(engine, 2, FrameSender.BROADCAST,
            P2Control.newBuilder().setAdvertise(P2Advertise.newBuilder().setSegmentCount(5)).build());
        assertEquals(5, engine.counters().malformedFrames());
        assertTrue(bed.drain().isEmpty());
        assertFalse(engine.isComplete());
    }

    @Test
    void countsBytesPerMessageType()
    {
        engine.onSegmentDownloaded(0);
        assertEquals(G, engine.counters().framesSent(MessageType.CODED_DATA));
        assertEquals(G * (DataFrame.HEADER_LENGTH + bed.store.seededPacketLength()),
            engine.counters().bytesSent(MessageType.CODED_DATA));
        assertEquals(1, engine.counters().framesSent(MessageType.ADVERTISE));
    }
}
