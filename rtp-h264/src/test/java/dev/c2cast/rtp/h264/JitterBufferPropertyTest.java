package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import dev.c2cast.testkit.FakeClock;
import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Impairment;
import dev.c2cast.testkit.Property;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class JitterBufferPropertyTest
{
    private static ByteBuf packet(final int seq)
    {
        final ByteBuf b = Unpooled.buffer(13);
        RtpHeader.writeFixedHeader(b, false, 96, seq, 0, 1);
        b.writeByte(1);
        return b;
    }

    private static final class Recorder implements JitterBufferListener
    {
        final List<Long> released = new ArrayList<>();
        long lost;

        @Override
        public void onPacket(final ByteBuf packet, final long extendedSequence)
        {
            released.add(extendedSequence);
            packet.release();
        }

        final java.util.Set<Long> announced = new java.util.HashSet<>();

        @Override
        public void onLoss(final long firstExtendedSequence, final long count)
        {
            lost += count;
            for (long s = firstExtendedSequence; s < firstExtendedSequence + count; s++)
            {
                assertTrue(announced.contains(s), "a gap given up on was announced as missing first (to NACK it): " + s);
            }
        }

        @Override
        public void onMissing(final long firstExtendedSequence, final long count)
        {
            assertTrue(count >= 1);
            for (long s = firstExtendedSequence; s < firstExtendedSequence + count; s++)
            {
                assertTrue(announced.add(s), "announced once: " + s);
            }
        }
    }

    @Test
    void reordersWithinLatencyAndCountsDuplicatesAndLate()
    {
        final FakeClock clock = new FakeClock();
        final Recorder r = new Recorder();
        final JitterBuffer jb = new JitterBuffer(64, 50_000_000, clock, r);
        assertEquals(JitterBuffer.ACCEPTED, jb.offer(packet(11)));
        assertEquals(JitterBuffer.ACCEPTED, jb.offer(packet(10)));
        jb.poll();
        assertTrue(r.released.isEmpty(), "first packet waits the latency");
        clock.advanceNanos(50_000_000);
        jb.poll();
        assertEquals(2, r.released.size());
        assertEquals(JitterBuffer.DUPLICATE, jb.offer(packet(10)));
        jb.offer(packet(13));
        jb.poll();
        assertEquals(2, r.released.size());
        clock.advanceNanos(49_000_000);
        jb.poll();
        assertEquals(2, r.released.size());
        clock.advanceNanos(1_000_000);
        jb.poll();
        assertEquals(3, r.released.size());
        assertEquals(1, r.lost);
        assertEquals(JitterBuffer.LATE, jb.offer(packet(12)));
        assertEquals(1, jb.duplicates());
        assertEquals(1, jb.late());
    }

    @Property(seeds = 60)
    void impairedLinkComesOutInOrderWithoutDuplicates(final Gen gen)
    {
        final FakeClock clock = new FakeClock();
        final Recorder r = new Recorder();
        final JitterBuffer jb = new JitterBuffer(256, 50_000_000, clock, r);
        final Impairment link = new Impairment(gen.chance(0.5) ? 0.02 : 0, 0.02, 0.05, 1_000_000, 5_000_000);
        final SplittableRandom random = gen.random();
        final int start = gen.intBetween(0, 65535);
        final int count = gen.intBetween(100, 3000);
        final PriorityQueue<long[]> arrivals = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[2], b[2]));
        long order = 0;
        int sentLost = 0;
        for (int i = 0; i < count; i++)
        {
            final long sendTime = i * 3_000_000L;
            final int copies = link.copies(random);
            if (copies == 0)
            {
                sentLost++;
            }
            final long extra = link.reorder(random) ? 4_000_000L : 0;
            for (int c = 0; c < copies; c++)
            {
                arrivals.add(new long[] {sendTime + extra + link.delayNanos(random), (start + i) & 0xFFFF, order++});
            }
        }
        while (!arrivals.isEmpty())
        {
            final long[] a = arrivals.poll();
            while (jb.nextDeadlineNanos() <= a[0])
            {
                clock.advanceTo(Math.max(clock.nanoTime(), jb.nextDeadlineNanos()));
                jb.poll();
            }
            clock.advanceTo(a[0]);
            jb.offer(packet((int)a[1]));
            jb.poll();
        }
        jb.flush();
        for (int i = 1; i < r.released.size(); i++)
        {
            assertTrue(r.released.get(i) > r.released.get(i - 1), "in order");
        }
        final long first = r.released.get(0);
        final long last = r.released.get(r.released.size() - 1);
        assertEquals(last - first + 1, r.released.size() + r.lost, "every number either released or lost");
        assertTrue(r.lost <= sentLost, "loss reported " + r.lost + " <= really lost " + sentLost);
        assertEquals(0, jb.late(), "5 ms jitter never exceeds 50 ms latency");
        assertEquals(0, jb.held());
    }
}
