package dev.c2cast.rtp.h264;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The serving path of an {@link RtspServer} stream per RTP packet: {@link LiveStream} packetizes an access unit of
 * {@value #PACKETS} FU-A packets of 1200 bytes, builds each packet once in a pooled buffer, keeps it in the
 * retransmission history and the GOP cache (an IDR access unit every {@code gop} access units), with no player
 * attached. Compared in the same run with {@code packetizeIntoPooledPacket}: the same packetizer and pooled packet
 * copy without history and cache. One operation is one packet; run with {@code -prof gc} for bytes per packet.
 * <p>
 * {@code LiveStream.sendOnLoop} is package-private and confined to the server's event loop; with no player and no
 * push the loop touches none of its state, so the benchmark thread may call it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class LiveStreamBenchmark
{
    /** Packets per access unit. */
    public static final int PACKETS = 100;
    private static final int FRAGMENT = 1200 - RtpHeader.FIXED_HEADER_LENGTH - 2;

    /** Access units per GOP (the first of each is IDR). */
    @Param({"1", "30"})
    public int gop;

    private RtspServer server;
    private LiveStream stream;
    private H264Packetizer packetizer;
    private ByteBuf idr;
    private ByteBuf nonIdr;
    private long count;

    /**
     * Starts a server with one stream.
     *
     * @throws InterruptedException if interrupted while binding.
     */
    @Setup(Level.Trial)
    public void setup() throws InterruptedException
    {
        idr = accessUnit(0x65);
        nonIdr = accessUnit(0x41);
        server = RtspServer.start(RtspServerConfig.defaults(), new SplittableRandom(1));
        stream = server.publish("/bench", new H264MediaDescription(96, 1, null, java.util.List.of(), null));
        packetizer = new H264Packetizer(PacketizerConfig.defaults(0x1234, 0));
    }

    private static ByteBuf accessUnit(final int header)
    {
        final int nalLength = 1 + FRAGMENT * PACKETS;
        final ByteBuf au = Unpooled.directBuffer(4 + nalLength);
        au.writeInt(1);
        au.writeByte(header);
        for (int i = 1; i < nalLength; i++)
        {
            au.writeByte(0x80 | (i & 0x7F));
        }
        return au;
    }

    /** Stops the server. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        server.close();
    }

    /**
     * One access unit through the stream: packetize, pooled packet, history, GOP cache.
     *
     * @return the RTP timestamp used.
     */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long serve()
    {
        final long timestamp = 3000 * count;
        stream.sendOnLoop(count++ % gop == 0 ? idr : nonIdr, timestamp);
        return timestamp;
    }

    /**
     * Reference: the same packetizing into a pooled packet that is released at once.
     *
     * @return the RTP timestamp used.
     */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long packetizeIntoPooledPacket()
    {
        final long timestamp = 3000 * count;
        packetizer.packetize(count++ % gop == 0 ? idr : nonIdr, timestamp, (header, payload, index, length) ->
        {
            final ByteBuf packet = PooledByteBufAllocator.DEFAULT.directBuffer(header.readableBytes() + length);
            packet.writeBytes(header, header.readerIndex(), header.readableBytes());
            packet.writeBytes(payload, index, length);
            packet.release();
        });
        return timestamp;
    }
}
