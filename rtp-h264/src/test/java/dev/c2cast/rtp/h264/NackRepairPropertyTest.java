package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.c2cast.testkit.FakeScheduler;
import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Impairment;
import dev.c2cast.testkit.Property;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * NACK-based repair on a virtual clock: our sender keeps a {@link RetransmissionHistory} and answers generic NACKs
 * with {@link SenderFeedback}; our receiver ({@link JitterBuffer} asking for each new gap through
 * {@link JitterBufferListener#onMissing}, then {@link H264Depacketizer}) gets the stream over a seeded lossy link with
 * 10 ms one-way delay and 2 ms jitter; it NACKs what is still missing 5 ms after a gap opens (the jitter reorders
 * packets of one access unit, so an immediate NACK would mostly ask for packets already on their way). With the repair off, 5 % loss costs packets and whole GOPs; with it on, every
 * lost packet whose retransmission gets through is recovered within the 80 ms jitter-buffer latency.
 */
class NackRepairPropertyTest
{
    private static final int SSRC = 0x5EED;
    private static final int FIRST_SEQUENCE = 65_400;
    private static final int ACCESS_UNITS = 240;
    private static final int GOP = 30;
    private static final long LATENCY_NANOS = 80_000_000L;
    private static final long REORDER_WAIT_NANOS = 5_000_000L;

    /** What one run measured. */
    private record Outcome(long sent, long released, long lost, int accessUnits, long retransmissions, long nacks)
    {
    }

    @Property(seeds = 6)
    void repairRecoversLostPacketsAndEveryEmittedAccessUnitIsIntact(final Gen gen)
    {
        final long seed = gen.random().nextLong();
        final List<List<byte[]>> sent = new ArrayList<>();
        for (int k = 0; k < ACCESS_UNITS; k++)
        {
            sent.add(TestStreams.accessUnit(gen, k % GOP == 0, true, 4000));
        }
        final Impairment link = new Impairment(0.05, 0, 0, 10_000_000L, 2_000_000L);
        final Outcome off = run(sent, link, false, false, seed);
        final Outcome repairedLosslessRepairs = run(sent, link, true, false, seed);
        final Outcome repairedLossyRepairs = run(sent, link, true, true, seed);

        System.out.println("[NackRepairPropertyTest] 5 % loss, " + ACCESS_UNITS + " access units: no repair " + off + "; repair "
            + repairedLosslessRepairs + "; repair with 5 % loss on NACKs and retransmissions too " + repairedLossyRepairs);
        assertTrue(off.lost() > 0, "5 % loss loses packets: " + off);
        assertTrue(off.accessUnits() < ACCESS_UNITS, "and access units: " + off);
        // the original transmissions are the same seeded trace in every run
        assertEquals(repairedLosslessRepairs.sent(), repairedLosslessRepairs.released(), "every packet delivered when repairs get through");
        assertEquals(0, repairedLosslessRepairs.lost(), "nothing given up on");
        assertTrue(repairedLosslessRepairs.retransmissions() >= off.lost(), repairedLosslessRepairs + " vs " + off);
        assertEquals(ACCESS_UNITS, repairedLosslessRepairs.accessUnits(), "every access unit emitted");
        assertTrue(repairedLossyRepairs.lost() * 4 <= off.lost(), "loss on the repair path too leaves little: " + repairedLossyRepairs + " vs " + off);
        assertTrue(repairedLossyRepairs.accessUnits() >= off.accessUnits(), repairedLossyRepairs + " vs " + off);
    }

    private static Outcome run(final List<List<byte[]>> sent, final Impairment link, final boolean repair, final boolean lossyRepair, final long seed)
    {
        final FakeScheduler scheduler = new FakeScheduler();
        final SplittableRandom originals = new SplittableRandom(seed);
        final SplittableRandom repairs = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        final Map<Long, List<byte[]>> byTimestamp = new HashMap<>();
        final List<List<byte[]>> emitted = new ArrayList<>();
        final H264Depacketizer depacketizer = new H264Depacketizer((au, ts, key, complete) ->
        {
            // after loss of non-slice NAL units only (AUD, SEI, parameter sets) an access unit is still emitted, with
            // cached parameter sets put back: what must be identical is its slices
            final List<byte[]> nals = slices(TestStreams.nals(PacketizerTest.bytes(au)));
            assertTrue(complete);
            final List<byte[]> expected = slices(byTimestamp.get(ts));
            assertEquals(expected.size(), nals.size(), "AU at " + ts);
            for (int n = 0; n < nals.size(); n++)
            {
                assertArrayEquals(expected.get(n), nals.get(n), "AU at " + ts + " NAL " + n);
            }
            emitted.add(nals);
        });
        depacketizer.expectSequenceNumber(FIRST_SEQUENCE);
        final RetransmissionHistory history = new RetransmissionHistory(1024);
        final long[] nacks = {0};
        final JitterBuffer[] receiver = new JitterBuffer[1];
        final SenderFeedback feedback = new SenderFeedback(history, SSRC,
            packet -> deliver(scheduler, receiver[0], packet, link, repairs, lossyRepair), () -> { });
        receiver[0] = new JitterBuffer(1024, LATENCY_NANOS, scheduler.clock(), new JitterBufferListener()
        {
            @Override
            public void onPacket(final ByteBuf packet, final long extendedSequence)
            {
                depacketizer.onPacket(packet);
                packet.release();
            }

            @Override
            public void onLoss(final long firstExtendedSequence, final long count)
            {
                depacketizer.onLoss();
            }

            @Override
            public void onMissing(final long firstExtendedSequence, final long count)
            {
                if (!repair)
                {
                    return;
                }
                // wait out ordinary reordering, then ask only for what is still missing
                scheduler.schedule(REORDER_WAIT_NANOS, TimeUnit.NANOSECONDS, () ->
                {
                    for (long s = firstExtendedSequence; s < firstExtendedSequence + count; s++)
                    {
                        if (receiver[0].isMissing(s))
                        {
                            nacks[0]++;
                            final ByteBuf nack = Unpooled.buffer();
                            Rtcp.writeNackRange(nack, 0x1234, SSRC, (int)(s & 0xFFFF), 1);
                            final int copies = lossyRepair ? link.copies(repairs) : 1;
                            if (copies > 0)
                            {
                                scheduler.schedule(link.delayNanos(repairs), TimeUnit.NANOSECONDS, () ->
                                    Rtcp.parse(nack, nack.readerIndex(), nack.readableBytes(), feedback));
                            }
                        }
                    }
                });
            }
        });
        final H264Packetizer packetizer = new H264Packetizer(PacketizerConfig.defaults(SSRC, FIRST_SEQUENCE));
        final long[] sentPackets = {0};
        for (int k = 0; k < sent.size(); k++)
        {
            final long timestamp = 3000L * k;
            byTimestamp.put(timestamp, sent.get(k));
            final ByteBuf au = TestStreams.concat(sent.get(k));
            scheduler.scheduleAt(scheduler.clock().nanoTime() + k * 33_333_333L, () -> packetizer.packetize(au, timestamp, (h, p, i, l) ->
            {
                final ByteBuf packet = Unpooled.buffer(h.readableBytes() + l);
                packet.writeBytes(h, h.readerIndex(), h.readableBytes()).writeBytes(p, i, l);
                history.store(packet);
                sentPackets[0]++;
                // the first packet and the last access unit always arrive: a receiver cannot NACK what it never knew of
                final boolean edge = packet.getUnsignedShort(RtpHeader.SEQUENCE_OFFSET) == FIRST_SEQUENCE || timestamp == 3000L * (sent.size() - 1);
                deliver(scheduler, receiver[0], packet, link, originals, !edge);
                packet.release();
            }));
        }
        schedulePoll(scheduler, receiver[0]);
        scheduler.runFor(sent.size() * 33_333_333L + 1_000_000_000L, TimeUnit.NANOSECONDS);
        receiver[0].flush();
        history.close();
        return new Outcome(sentPackets[0], receiver[0].released(), receiver[0].lost(), emitted.size(), feedback.retransmissions(), nacks[0]);
    }

    private static List<byte[]> slices(final List<byte[]> nals)
    {
        final List<byte[]> slices = new ArrayList<>();
        for (final byte[] nal : nals)
        {
            if (NalUnitType.isPicture(nal[0] & 0x1F))
            {
                slices.add(nal);
            }
        }
        return slices;
    }

    private static void deliver(
        final FakeScheduler scheduler, final JitterBuffer receiver, final ByteBuf packet, final Impairment link, final SplittableRandom random,
        final boolean lossy)
    {
        final int copies = lossy ? link.copies(random) : 1;
        for (int c = 0; c < copies; c++)
        {
            final byte[] bytes = new byte[packet.readableBytes()];
            packet.getBytes(packet.readerIndex(), bytes);
            scheduler.schedule(link.delayNanos(random), TimeUnit.NANOSECONDS, () ->
            {
                receiver.offer(Unpooled.wrappedBuffer(bytes));
                receiver.poll();
            });
        }
    }

    private static void schedulePoll(final FakeScheduler scheduler, final JitterBuffer receiver)
    {
        scheduler.schedule(1, TimeUnit.MILLISECONDS, () ->
        {
            receiver.poll();
            schedulePoll(scheduler, receiver);
        });
    }
}
