package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.c2cast.pseudobroadcast.MediumConfig;
import dev.c2cast.pseudobroadcast.NodeId;
import dev.c2cast.pseudobroadcast.ReliableConfig;
import dev.c2cast.pseudobroadcast.SimulatedMedium;
import dev.c2cast.pseudobroadcast.SimulatedTransport;
import dev.c2cast.pseudobroadcast.Simulation;
import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The control plane on pseudobroadcast's simulated medium, on a virtual clock: the initiator's scheduler, requesters
 * on three devices (one of them the initiator) and a fourth device without a cellular link, 20% loss at every
 * receiver with link-layer retries off so reliable messaging retransmits, and a link that stalls.
 */
class ReliableControlPlaneTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final int SEGMENT = 16 * 1024;

    @TempDir
    Path dir;

    /** A cellular link on the virtual clock: a segment arrives after length / rate; a stalled link never answers. */
    static final class SimulatedLink implements SegmentProducer
    {
        final Simulation simulation;
        final byte[] file;
        final int[] downloads;
        double bytesPerSecond;
        long stallAtNanos = Long.MAX_VALUE;

        SimulatedLink(final Simulation simulation, final byte[] file, final int[] downloads, final double bytesPerSecond)
        {
            this.simulation = simulation;
            this.file = file;
            this.downloads = downloads;
            this.bytesPerSecond = bytesPerSecond;
        }

        @Override
        public CompletableFuture<ByteBuf> fetch(final SegmentRange range)
        {
            final CompletableFuture<ByteBuf> future = new CompletableFuture<>();
            final long at = simulation.nanoTime() + (long)(range.length() * 1e9 / bytesPerSecond);
            if (at < stallAtNanos)
            {
                final long timer = simulation.scheduleAt(at, () ->
                {
                    if (future.complete(Unpooled.copiedBuffer(file, (int)range.offset(), range.length())))
                    {
                        downloads[range.index()]++;
                    }
                });
                future.whenComplete((buf, error) ->
                {
                    if (future.isCancelled())
                    {
                        simulation.cancel(timer);
                    }
                });
            }
            return future;
        }

        @Override
        public void close()
        {
        }
    }

    private final Simulation simulation = new Simulation();
    private final Executor onSimulation = task -> simulation.schedule(0, task);

    private SegmentStore store(final String name, final byte[] file) throws IOException
    {
        return SegmentStore.open(dir.resolve(name), file.length, SEGMENT, "\"v1\"");
    }

    @Test
    void aGroupDownloadsOverLossyReliableMessagingWithAStalledLink() throws IOException
    {
        final byte[] file = new Gen(11).bytes(60 * SEGMENT - 123);
        final int segments = SegmentRange.count(file.length, SEGMENT);
        // Link-layer retries off, so the 20% loss reaches the reliable messaging, which must repair it.
        final SimulatedMedium medium = new SimulatedMedium(simulation, MediumConfig.builder().maxRetries(0).build(),
            new SplittableRandom(5));
        final int[] downloads = new int[segments];
        final double[] rates = {200_000, 100_000, 50_000};
        final List<ReliableControlPlane> planes = new ArrayList<>();
        final List<SegmentStore> stores = new ArrayList<>();
        final List<SimulatedLink> links = new ArrayList<>();
        for (int id = 1; id <= 4; id++)
        {
            final SimulatedTransport transport = medium.attach(new NodeId(id));
            medium.receiverLoss(new NodeId(id), 0.2);
            final ReliableControlPlane plane = ReliableControlPlane.open(transport, ReliableConfig.defaults(),
                new SplittableRandom(id), onSimulation);
            planes.add(plane);
            if (id <= 3)
            {
                final SegmentStore store = store("device-" + id, file);
                stores.add(store);
                final SimulatedLink link = new SimulatedLink(simulation, file, downloads, rates[id - 1]);
                links.add(link);
                plane.attach(new Requester(id, link, store, plane.reports(), onSimulation), 1);
            }
        }
        // Device 3's link stalls at 300 ms: its leases end by the detection timeout and move elsewhere.
        links.get(2).stallAtNanos = 300 * MS;
        final MicroDownloadConfig config = MicroDownloadConfig.defaults().withSegmentSize(SEGMENT)
            .withStallTimeoutNanos(S);
        final CompletableFuture<Void> done = planes.get(0).initiate(config, file.length, new SplittableRandom(3), 10 * MS);

        assertTrue(simulation.runUntil(done::isDone, 120 * S), "download did not complete");
        assertFalse(done.isCompletedExceptionally());
        final MicroDownload scheduler = planes.get(0).scheduler();
        assertTrue(scheduler.isComplete());
        assertEquals(3, scheduler.statistics().size(), "devices 1-3 joined, device 4 has no link");
        assertTrue(scheduler.statistics(3).timeouts() >= 1, "device 3 was declared stalled");
        assertTrue(scheduler.statistics(2).segmentsCompleted() > 0, "device 2 was served over the medium");
        long extra = 0;
        for (int s = 0; s < segments; s++)
        {
            assertTrue(downloads[s] >= 1, "segment " + s + " never downloaded");
            extra += downloads[s] - 1;
        }
        assertTrue(extra <= scheduler.endgameDuplicates(), extra + " extra downloads, endgame duplicates " +
            scheduler.endgameDuplicates());
        long retransmissions = 0;
        for (final ReliableControlPlane plane : planes)
        {
            retransmissions += plane.messenger().retransmissions();
            assertEquals(0, plane.messagesDropped());
        }
        assertTrue(retransmissions > 0, "the lossy medium made the messenger retransmit");
        assertEquals(0, planes.get(3).messagesReceived(), "a device without a link gets no control message");
        assertArrayEquals(file, assemble(stores, file.length, segments));
        System.out.printf("simulated medium, 20%% loss: %d segments in %.2f s of virtual time, %d control messages " +
            "sent, %d retransmissions, %d extra downloads (endgame duplicates %d)%n", segments,
            scheduler.completedAtNanos() / 1e9, planes.stream().mapToLong(ReliableControlPlane::messagesSent).sum(),
            retransmissions, extra, scheduler.endgameDuplicates());
        planes.forEach(ReliableControlPlane::close);
        simulation.runFor(S);
    }

    @Property(seeds = 12)
    void everySeedCompletesWithoutExtraDownloadsOverALossyMedium(final Gen gen) throws IOException
    {
        final byte[] file = gen.bytes(1, 50 * SEGMENT);
        final int segments = SegmentRange.count(file.length, SEGMENT);
        final SimulatedMedium medium = new SimulatedMedium(simulation,
            MediumConfig.builder().maxRetries(gen.intBetween(0, 2)).build(), gen.random());
        final int[] downloads = new int[segments];
        final int devices = gen.intBetween(1, 4);
        final List<ReliableControlPlane> planes = new ArrayList<>();
        final List<SegmentStore> stores = new ArrayList<>();
        for (int id = 1; id <= devices; id++)
        {
            final SimulatedTransport transport = medium.attach(new NodeId(id));
            medium.receiverLoss(new NodeId(id), gen.doubleBetween(0, 0.3));
            final ReliableControlPlane plane = ReliableControlPlane.open(transport, ReliableConfig.defaults(),
                gen.random(), onSimulation);
            planes.add(plane);
            final SegmentStore store = store("seed-device-" + id, file);
            stores.add(store);
            final SimulatedLink link = new SimulatedLink(simulation, file, downloads, gen.doubleBetween(20_000, 500_000));
            if (id > 1 && gen.chance(0.3))
            {
                link.stallAtNanos = gen.longBetween(0, 2 * S);
            }
            plane.attach(new Requester(id, link, store, plane.reports(), onSimulation), 1);
        }
        final CompletableFuture<Void> done = planes.get(0).initiate(MicroDownloadConfig.defaults()
            .withSegmentSize(SEGMENT).withStallTimeoutNanos(S), file.length,
            gen.random(), 10 * MS);
        assertTrue(simulation.runUntil(done::isDone, 600 * S), "download did not complete");
        final MicroDownload scheduler = planes.get(0).scheduler();
        long extra = 0;
        for (int s = 0; s < segments; s++)
        {
            assertTrue(downloads[s] >= 1, "segment " + s + " never downloaded");
            extra += downloads[s] - 1;
        }
        // The documented double downloads only: endgame copies, and leases of a device declared dead (a report
        // delayed by many losses can make a live device look dead), at most the hard bound per declaration.
        long allowed = scheduler.endgameDuplicates();
        for (final DeviceStatistics stats : scheduler.statistics())
        {
            allowed += (long)stats.timeouts() * MicroDownloadConfig.MAX_BACKLOG_DEFAULT;
        }
        assertTrue(extra <= allowed, extra + " extra downloads, " + allowed + " allowed");
        assertArrayEquals(file, assemble(stores, file.length, segments));
        planes.forEach(ReliableControlPlane::close);
        simulation.runFor(S);
    }

    @Test
    void aDetachedDeviceLeavesAndItsSegmentsAreReassigned() throws IOException
    {
        final byte[] file = new Gen(12).bytes(30 * SEGMENT);
        final int segments = SegmentRange.count(file.length, SEGMENT);
        final SimulatedMedium medium = new SimulatedMedium(simulation, MediumConfig.builder().build(),
            new SplittableRandom(6));
        final int[] downloads = new int[segments];
        final List<ReliableControlPlane> planes = new ArrayList<>();
        final List<SegmentStore> stores = new ArrayList<>();
        for (int id = 1; id <= 2; id++)
        {
            final ReliableControlPlane plane = ReliableControlPlane.open(medium.attach(new NodeId(id)),
                ReliableConfig.defaults(), new SplittableRandom(id), onSimulation);
            planes.add(plane);
            final SegmentStore store = store("device-" + id, file);
            stores.add(store);
            plane.attach(new Requester(id, new SimulatedLink(simulation, file, downloads, 100_000), store,
                plane.reports(), onSimulation), 1);
        }
        final CompletableFuture<Void> done = planes.get(0).initiate(
            MicroDownloadConfig.defaults().withSegmentSize(SEGMENT), file.length, new SplittableRandom(4), 10 * MS);
        simulation.runUntil(500 * MS);
        final MicroDownload scheduler = planes.get(0).scheduler();
        assertTrue(scheduler.isMember(2));
        planes.get(1).detach();
        simulation.runUntil(600 * MS);
        assertFalse(scheduler.isMember(2), "the leave reached the initiator");
        assertTrue(simulation.runUntil(done::isDone, 60 * S));
        assertTrue(scheduler.isComplete());
        // The detached requester stopped at once: its queued and current leases were never finished.
        long extra = 0;
        for (final int count : downloads)
        {
            extra += count - 1;
        }
        assertTrue(extra <= scheduler.endgameDuplicates(), extra + " extra downloads");
        assertArrayEquals(file, assemble(stores, file.length, segments));
        planes.forEach(ReliableControlPlane::close);
        simulation.runFor(S);
    }

    @Test
    void aDeviceThatStartedLongBeforeTheInitiatorJoinsAgainAfterItsJoinWasAbandoned() throws IOException
    {
        final byte[] file = new Gen(14).bytes(10 * SEGMENT);
        final SimulatedMedium medium = new SimulatedMedium(simulation, MediumConfig.builder().build(),
            new SplittableRandom(8));
        final int[] downloads = new int[10];
        final ReliableControlPlane device = ReliableControlPlane.open(medium.attach(new NodeId(2)),
            ReliableConfig.defaults(), new SplittableRandom(2), onSimulation);
        final SegmentStore store = store("late-initiator", file);
        device.attach(new Requester(2, new SimulatedLink(simulation, file, downloads, 100_000), store,
            device.reports(), onSimulation), 1);
        // Node 1 does not exist yet: every retransmission of the join goes unanswered until the messenger gives up.
        simulation.runUntil(20 * S);
        assertTrue(device.messenger().peersFailed() >= 1, "the initiator was declared unreachable");
        final ReliableControlPlane initiator = ReliableControlPlane.open(medium.attach(new NodeId(1)),
            ReliableConfig.defaults(), new SplittableRandom(1), onSimulation);
        final CompletableFuture<Void> done = initiator.initiate(MicroDownloadConfig.defaults().withSegmentSize(SEGMENT),
            file.length, new SplittableRandom(3), 10 * MS);
        assertTrue(simulation.runUntil(done::isDone, 120 * S), "the repeated join reached the initiator");
        assertEquals(10, initiator.scheduler().statistics(2).segmentsCompleted());
        initiator.close();
        device.close();
        simulation.runFor(S);
    }

    @Test
    void messagesForgedOrAboutNoSegmentAreDroppedAndCounted() throws IOException
    {
        final byte[] file = new Gen(13).bytes(4 * SEGMENT);
        final SimulatedMedium medium = new SimulatedMedium(simulation, MediumConfig.builder().build(),
            new SplittableRandom(7));
        final ReliableControlPlane initiator = ReliableControlPlane.open(medium.attach(new NodeId(1)),
            ReliableConfig.defaults(), new SplittableRandom(1), onSimulation);
        final SimulatedTransport rogue = medium.attach(new NodeId(2));
        final dev.c2cast.pseudobroadcast.ReliableMessenger messenger = new dev.c2cast.pseudobroadcast.ReliableMessenger(
            rogue, ReliableConfig.defaults(), new SplittableRandom(2), new dev.c2cast.pseudobroadcast.ReliableListener()
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
        initiator.initiate(MicroDownloadConfig.defaults().withSegmentSize(SEGMENT), file.length,
            new SplittableRandom(3), 10 * MS);
        simulation.runFor(MS);
        final NodeId one = new NodeId(1);
        // Device 2 joins, then: a report about a segment the file does not have, a join in device 3's name, a
        // report in device 3's name, an assignment (only the initiator assigns) and bytes that are no message.
        for (final byte[] bytes : List.of(
            ControlCodec.encode(new ControlMessage.Join(2)),
            ControlCodec.encode(new ControlMessage.Report(2, 1_000, 1, ControlMessage.Outcome.STORED, "")),
            ControlCodec.encode(new ControlMessage.Join(3)),
            ControlCodec.encode(new ControlMessage.Report(3, 0, 1, ControlMessage.Outcome.STORED, "")),
            ControlCodec.encode(new ControlMessage.Assignment(1, SegmentRange.of(0, file.length, SEGMENT), 5, false)),
            new byte[] {(byte)0xFF, 0x01}))
        {
            assertTrue(messenger.send(one, Unpooled.wrappedBuffer(bytes)));
        }
        simulation.runFor(100 * MS);
        final MicroDownload scheduler = initiator.scheduler();
        assertTrue(scheduler.isMember(2));
        assertFalse(scheduler.isMember(3));
        assertEquals(0, scheduler.completedCount());
        assertEquals(2, initiator.messagesReceived(), "the join and the report passed the sender checks");
        assertEquals(5, initiator.messagesDropped(), "the report about no segment and the four forged messages");
        initiator.close();
        messenger.close();
        simulation.runFor(S);
    }

    static byte[] assemble(final List<SegmentStore> stores, final long fileSize, final int segments) throws IOException
    {
        final byte[] out = new byte[(int)fileSize];
        for (int s = 0; s < segments; s++)
        {
            boolean found = false;
            for (final SegmentStore store : stores)
            {
                if (store.has(s))
                {
                    final SegmentRange range = store.range(s);
                    final byte[] bytes = store.read(s);
                    System.arraycopy(bytes, 0, out, (int)range.offset(), range.length());
                    found = true;
                    break;
                }
            }
            assertTrue(found, "segment " + s + " stored nowhere");
        }
        return out;
    }
}
