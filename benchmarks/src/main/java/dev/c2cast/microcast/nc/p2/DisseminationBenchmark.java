package dev.c2cast.microcast.nc.p2;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.c2cast.microcast.nc.CodingParameters;
import dev.c2cast.microcast.nc.sim.VirtualSegmentStore;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-packet costs of the dissemination data plane (g = 32, s = 1024):
 * <ul>
 * <li>{@code serveCodedPacket}: a MicroNC-P2 server writes one SEED-coded packet of a decoded segment into its
 * reused frame buffer and hands it to the frame port;</li>
 * <li>{@code absorbSegment}: one operation is a whole segment: 32 coded data frames into a MicroNC-P2 engine over
 * the real coded store until it decodes and verifies the SHA-256 (a fresh engine and store per segment, so the
 * per-segment allocations are included);</li>
 * <li>{@code sealAndOpenFrame}: group-key HMAC tag appended to and verified on one 1.1 kB frame;</li>
 * <li>{@code virtualAbsorb}: the simulator's coefficient-only store absorbing one coded packet.</li>
 * </ul>
 * Run with {@code -prof gc} for the allocation per operation.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class DisseminationBenchmark
{
    private static final CodingParameters PARAMETERS = new CodingParameters(32, 1024);

    private MicroNcP2 server;
    private SegmentManifest manifest;
    private ByteBuf[] frames;
    private GroupAuthenticator authenticator;
    private FrameSender sealing;
    private ByteBuf plain;
    private ByteBuf sealed;
    private VirtualSegmentStore virtualSource;
    private VirtualSegmentStore virtualSink;
    private ByteBuf virtualPacket;
    private long sink;

    /** Builds a server holding one segment, 32 coded frames of it, and the authenticator. */
    @Setup
    public void setUp()
    {
        final byte[] file = new byte[PARAMETERS.capacity()];
        new SplittableRandom(1).nextBytes(file);
        manifest = SegmentManifest.of(file, PARAMETERS);
        final CodedSegmentStore store = new CodedSegmentStore(manifest, 1);
        store.supply(0, file, 0, file.length);
        final Timers timers = new Timers();
        server = new MicroNcP2(1, DisseminationConfig.defaults(), store, (type, destination, payload) ->
        {
            sink += payload.readableBytes();
            return true;
        }, timers, new SplittableRandom(2), DisseminationListener.NONE);
        server.onSegmentDownloaded(0);
        final SplittableRandom random = new SplittableRandom(3);
        frames = new ByteBuf[PARAMETERS.generationSize() * 2];
        for (int i = 0; i < frames.length; i++)
        {
            frames[i] = Unpooled.buffer();
            frames[i].writeInt(0);
            store.writeCoded(0, frames[i], random);
        }
        authenticator = new GroupAuthenticator(new byte[32]);
        sealing = authenticator.sender(1, (type, destination, payload) ->
        {
            sealed.clear().writeBytes(payload, payload.readerIndex(), payload.readableBytes());
            return true;
        });
        plain = Unpooled.buffer(1200).writeZero(1100);
        sealed = Unpooled.buffer(1200);
        virtualSource = new VirtualSegmentStore(1, 32, 1024);
        virtualSource.loadSource(0);
        virtualSink = new VirtualSegmentStore(1, 32, 1024);
        virtualPacket = Unpooled.buffer();
        virtualSource.writeCoded(0, virtualPacket, random);
    }

    /**
     * One coded packet served.
     *
     * @return bytes handed to the port so far.
     */
    @Benchmark
    public long serveCodedPacket()
    {
        server.sendCoded(2, 0);
        return sink;
    }

    /**
     * One segment absorbed and verified.
     *
     * @return segments decoded.
     */
    @Benchmark
    public int absorbSegment()
    {
        final CodedSegmentStore store = new CodedSegmentStore(manifest, 4);
        final MicroNcP2 client = new MicroNcP2(2, DisseminationConfig.defaults(), store, (t, d, p) -> true,
            new Timers(), new SplittableRandom(5), DisseminationListener.NONE);
        client.start();
        for (int i = 0; i < frames.length && !client.isComplete(); i++)
        {
            final ByteBuf frame = frames[i];
            client.onFrame(DisseminationEngine.DATA_FRAME_TYPE, 1, 2, false, frame, frame.readerIndex(),
                frame.readableBytes());
        }
        return client.decodedSegments();
    }

    /**
     * One frame sealed and verified.
     *
     * @return the payload length the receiver sees.
     */
    @Benchmark
    public int sealAndOpenFrame()
    {
        sealing.send(DisseminationEngine.DATA_FRAME_TYPE, 2, plain);
        return authenticator.open(DisseminationEngine.DATA_FRAME_TYPE, 1, sealed, 0, sealed.readableBytes());
    }

    /**
     * One coded packet into the simulator's store (already complete after the first 32; measures the reduction).
     *
     * @return the absorb result.
     */
    @Benchmark
    public int virtualAbsorb()
    {
        if (virtualSink.isDecoded(0))
        {
            virtualSink = new VirtualSegmentStore(1, 32, 1024);
        }
        return virtualSink.absorb(0, 1, virtualPacket, 0, virtualPacket.readableBytes()) +
            virtualSource.rank(0);
    }

    /** Timers that never fire: the benchmark drives the engines directly. */
    private static final class Timers implements EngineTimers
    {
        private long next;

        @Override
        public long nanoTime()
        {
            return 0;
        }

        @Override
        public long scheduleAt(final long deadlineNanos, final Runnable task)
        {
            return next++;
        }

        @Override
        public boolean cancel(final long timerId)
        {
            return true;
        }
    }
}
