package dev.c2cast.rtp.h264;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Time to find every NAL unit of a 40 MB Annex B stream with {@link AnnexB#forEachNalUnit(ByteBuf, NalUnitListener)}:
 * NAL units of 200 to 60,000 bytes of noise-like content with emulation prevention, mixed 3- and 4-byte start codes,
 * in a heap or a direct buffer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class AnnexBBenchmark
{
    /** Stream size in bytes. */
    public static final int SIZE = 40 * 1024 * 1024;

    /** Buffer kind. */
    @Param({"heap", "direct"})
    public String buffer;

    private ByteBuf stream;
    private long bytes;

    /** Builds the stream. */
    @Setup
    public void setup()
    {
        final SplittableRandom random = new SplittableRandom(42);
        stream = "direct".equals(buffer) ? Unpooled.directBuffer(SIZE + 70_000) : Unpooled.buffer(SIZE + 70_000);
        while (stream.writerIndex() < SIZE)
        {
            if (random.nextBoolean())
            {
                stream.writeByte(0);
            }
            stream.writeMedium(1);
            stream.writeByte(random.nextBoolean() ? 0x41 : 0x65);
            final int length = random.nextInt(200, 60_000);
            int zeros = 0;
            for (int i = 0; i < length; i++)
            {
                final int b = random.nextInt(16) == 0 ? 0 : random.nextInt(256);
                if (zeros >= 2 && b <= 3)
                {
                    stream.writeByte(3);
                    zeros = 0;
                }
                stream.writeByte(b);
                zeros = b == 0 ? zeros + 1 : 0;
            }
            stream.writeByte(0x80);
        }
    }

    /**
     * Scans the whole stream.
     *
     * @return NAL units found plus their total length, so nothing is optimized away.
     */
    @Benchmark
    public long scan()
    {
        bytes = 0;
        final int count = AnnexB.forEachNalUnit(stream, (b, i, l) -> bytes += l);
        return count + bytes;
    }
}
