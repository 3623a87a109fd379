package dev.c2cast.microcast.nc;

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
 * Throughput of the microcast-nc coder, one operation being one whole generation's worth of work, so that
 * {@code ops/s * g * s} is bytes of source data per second (microcast-nc/bench/isal-compare.sh does that
 * arithmetic and sets it against Intel ISA-L):
 * <ul>
 * <li>{@code encode}: g coded packets (FULL coefficients, fresh random ones per packet) written into Netty buffers
 * from g source symbols, up to {@value Encoder#BURST} per kernel call;</li>
 * <li>{@code encodeRaw}: g coded symbols for a fixed g x g coefficient matrix, unframed, the same work as ISA-L's
 * {@code ec_encode_data};</li>
 * <li>{@code decode}: a progressive decoder fed g innovative coded packets one by one until complete;</li>
 * <li>{@code recode}: g recoded packets from a relay that holds a full-rank generation.</li>
 * </ul>
 * The kernel is whatever {@link Gf256#kernelName()} reports in the fork: SIMD with
 * {@code -jvmArgsAppend --add-modules=jdk.incubator.vector}, portable without (or with
 * {@code -Ddev.c2cast.microcast.nc.kernel=portable}). Run with {@code -prof gc} to see the 0 B/op.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class CodingBenchmark
{
    /** Generation size. */
    @Param({"16", "32", "64", "128"})
    public int g;

    /** Symbol size in bytes. */
    @Param({"1400", "8192"})
    public int s;

    private Encoder encoder;
    private ByteBuf[] out;
    private byte[] matrix;
    private byte[] raw;
    private ByteBuf[] coded;
    private CodedPacket view;
    private Decoder decoder;
    private Recoder recoder;

    /** Builds the generation, g full-rank coded packets and a full relay. */
    @Setup
    public void setUp()
    {
        final CodingParameters parameters = new CodingParameters(g, s);
        final SplittableRandom random = new SplittableRandom(42);
        final byte[] data = new byte[parameters.capacity()];
        random.nextBytes(data);
        final Generation generation = Generation.copyOf(parameters, data);
        encoder = new Encoder(generation, 1, CoefficientEncoding.FULL, false, 7);
        out = new ByteBuf[g];
        coded = new ByteBuf[g];
        for (int i = 0; i < g; i++)
        {
            out[i] = Unpooled.buffer(encoder.maxPacketLength());
            coded[i] = Unpooled.buffer(encoder.maxPacketLength());
        }
        matrix = new byte[g * g];
        random.nextBytes(matrix);
        raw = new byte[g * encoder.paddedSymbolSize()];
        view = new CodedPacket();
        decoder = new Decoder(parameters, 1);
        recoder = new Recoder(parameters, 1, 11);
        // g packets that are innovative in order: draw until each one raises the rank.
        int have = 0;
        final ByteBuf candidate = Unpooled.buffer(encoder.maxPacketLength());
        while (have < g)
        {
            candidate.clear();
            encoder.writePacket(candidate);
            if (decoder.receive(view.wrap(candidate)))
            {
                coded[have++].writeBytes(candidate, candidate.readerIndex(), candidate.readableBytes());
            }
        }
        for (final ByteBuf packet : coded)
        {
            recoder.receive(view.wrap(packet));
        }
        if (!decoder.isComplete() || recoder.rank() != g)
        {
            throw new IllegalStateException("setup did not reach full rank");
        }
        System.err.println("[CodingBenchmark] kernel " + Gf256.kernelName() + " (" +
            dev.c2cast.microcast.nc.internal.Kernels.selectionReason() + ") on " +
            System.getProperty("java.version"));
    }

    /**
     * g coded packets of the generation, framed.
     *
     * @return bytes written.
     */
    @Benchmark
    public int encode()
    {
        for (final ByteBuf b : out)
        {
            b.clear();
        }
        return encoder.writePackets(out, 0, g);
    }

    /**
     * g coded symbols for a fixed coefficient matrix, unframed.
     *
     * @return a byte of the output.
     */
    @Benchmark
    public byte encodeRaw()
    {
        encoder.encode(matrix, 0, g, raw, 0, encoder.paddedSymbolSize());
        return raw[0];
    }

    /**
     * A whole generation decoded progressively from g packets.
     *
     * @return the rank reached (g).
     */
    @Benchmark
    public int decode()
    {
        decoder.reset(1);
        for (final ByteBuf packet : coded)
        {
            decoder.receive(view.wrap(packet));
        }
        return decoder.rank();
    }

    /**
     * g recoded packets.
     *
     * @return bytes written.
     */
    @Benchmark
    public int recode()
    {
        for (final ByteBuf b : out)
        {
            b.clear();
        }
        return recoder.writePackets(out, 0, g);
    }
}
