package dev.c2cast.microcast.nc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Steady-state coding allocates nothing per packet: measured with the thread's allocated-bytes counter around
 * thousands of packets after a warm-up (JMH's {@code -prof gc} gives the same figure for the benchmarks), in the
 * first window after the JIT has compiled the coding paths.
 */
class AllocationTest
{
    // Reflection: the test classes compile inside the library's module, which does not read java.management.
    private static Object bean;
    private static Method counter;

    private static long allocated()
    {
        try
        {
            return (Long)counter.invoke(bean);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static void assumeMeasurable()
    {
        try
        {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            counter = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
            allocated();
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            Assumptions.abort("thread allocation counter unavailable: " + ex);
        }
    }

    @Test
    void encodeDecodeRecodeAllocateNothingPerPacket()
    {
        assumeMeasurable();
        final CodingParameters p = new CodingParameters(16, 1400);
        final byte[] data = new byte[p.capacity()];
        new java.util.SplittableRandom(5).nextBytes(data);
        final Generation generation = Generation.copyOf(p, data);
        final Encoder full = new Encoder(generation, 1, CoefficientEncoding.FULL, true, 1);
        final Encoder seeded = new Encoder(generation, 1, CoefficientEncoding.SEED, false, 2);
        final Decoder decoder = new Decoder(p, 1);
        final Recoder recoder = new Recoder(p, 1, 3);
        final CodedPacket view = new CodedPacket();
        final ByteBuf buf = Unpooled.buffer(full.maxPacketLength());
        final ByteBuf[] burst = new ByteBuf[Encoder.BURST];
        for (int i = 0; i < burst.length; i++)
        {
            burst[i] = Unpooled.buffer(full.maxPacketLength());
        }

        final Runnable round = () -> {
            decoder.reset(1);
            full.reset(1);
            while (!decoder.isComplete())
            {
                buf.clear();
                full.writePacket(buf);
                decoder.receive(view.wrap(buf));
                recoder.receive(view);
            }
            for (final ByteBuf b : burst)
            {
                b.clear();
            }
            seeded.writePackets(burst, 0, burst.length);
            for (final ByteBuf b : burst)
            {
                decoder.receive(view.wrap(b));
                b.clear();
            }
            recoder.writePackets(burst, 0, burst.length);
            buf.clear();
            recoder.writePacket(buf);
            decoder.receive(view.wrap(buf));
        };
        for (int i = 0; i < 3000; i++)
        {
            round.run();
        }
        // Steady state is once C2 has compiled the coding paths: before that, the interpreter and C1 run the Vector
        // API's boxing fallbacks (kilobytes per packet). On a loaded machine the compiler threads may finish well
        // after the warm-up, so windows are measured until one is past it, for at most 60 s: real allocation per
        // packet fails in every window.
        final int rounds = 500;
        final long packets = (long)rounds * (16 + 2L * Encoder.BURST + 1);
        final long deadline = System.nanoTime() + 60_000_000_000L;
        long bytes = Long.MAX_VALUE;
        int windows = 0;
        do
        {
            final long before = allocated();
            for (int i = 0; i < rounds; i++)
            {
                round.run();
            }
            bytes = Math.min(bytes, allocated() - before);
            windows++;
        }
        while (bytes >= packets && System.nanoTime() < deadline);
        System.out.println("[microcast-nc] allocated " + bytes + " B over " + packets + " packets (best of " +
            windows + " windows)");
        assertTrue(bytes < packets, "expected no allocation per packet, got " + bytes + " B for " + packets +
            " packets in the best of " + windows + " windows");
        assertEquals(16, decoder.rank());
    }
}
