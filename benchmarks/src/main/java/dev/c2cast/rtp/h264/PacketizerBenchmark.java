package dev.c2cast.rtp.h264;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * RTP packets per second from {@link H264Packetizer} in mode 1 with 1200-byte packets: one access unit holding a
 * slice that FU-A splits into {@value #PACKETS} packets of 1200 bytes (1186 bytes of slice each). Compared in the same
 * run with a plain copy of the same bytes: {@code copy} copies each packet's bytes once into a datagram buffer,
 * {@code packetizeSliced} hands the sink header and slice region without copying, {@code packetizeIntoDatagram} does
 * both (what a UDP sender does); {@code packetizeKnownNalUnits} skips the Annex B scan (NAL units given by
 * index and length, as from an MP4 sample or an encoder callback). One operation is one packet; run with {@code -prof gc} for bytes per packet.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class PacketizerBenchmark
{
    /** Packets per access unit. */
    public static final int PACKETS = 1000;
    private static final int FRAGMENT = 1200 - RtpHeader.FIXED_HEADER_LENGTH - 2;

    private ByteBuf accessUnit;
    private ByteBuf datagram;
    private H264Packetizer packetizer;
    private long timestamp;
    private final int[] nalIndices = {4};
    private final int[] nalLengths = new int[1];

    /** Builds the access unit. */
    @Setup
    public void setup()
    {
        final int nalLength = 1 + FRAGMENT * PACKETS;
        accessUnit = Unpooled.directBuffer(4 + nalLength);
        accessUnit.writeInt(1);
        accessUnit.writeByte(0x65);
        for (int i = 1; i < nalLength; i++)
        {
            accessUnit.writeByte(0x80 | (i & 0x7F));
        }
        nalLengths[0] = nalLength;
        datagram = Unpooled.directBuffer(1500);
        packetizer = new H264Packetizer(PacketizerConfig.defaults(0x1234, 0));
    }

    /**
     * Packetizes by slicing; the sink only reads the lengths.
     *
     * @param bh the blackhole.
     * @return packets.
     */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int packetizeSliced(final Blackhole bh)
    {
        timestamp += 3000;
        return packetizer.packetize(accessUnit, timestamp, (header, payload, index, length) ->
        {
            bh.consume(header.readableBytes());
            bh.consume(length);
        });
    }

    /**
     * Packetizes NAL units the caller already delimited (no Annex B scan), by slicing.
     *
     * @param bh the blackhole.
     * @return packets.
     */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int packetizeKnownNalUnits(final Blackhole bh)
    {
        timestamp += 3000;
        return packetizer.packetize(accessUnit, nalIndices, nalLengths, 1, timestamp, (header, payload, index, length) ->
        {
            bh.consume(header.readableBytes());
            bh.consume(length);
        });
    }

    /**
     * Packetizes and copies each packet into one datagram buffer, as a UDP sender must.
     *
     * @param bh the blackhole.
     * @return packets.
     */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int packetizeIntoDatagram(final Blackhole bh)
    {
        timestamp += 3000;
        final ByteBuf out = datagram;
        return packetizer.packetize(accessUnit, timestamp, (header, payload, index, length) ->
        {
            out.clear();
            out.writeBytes(header, header.readerIndex(), header.readableBytes());
            out.writeBytes(payload, index, length);
            bh.consume(out.writerIndex());
        });
    }

    /**
     * A plain copy of the same bytes: 14 header bytes and 1186 slice bytes per packet into a datagram buffer.
     *
     * @param bh the blackhole.
     * @return packets.
     */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int copy(final Blackhole bh)
    {
        final ByteBuf out = datagram;
        int index = 5;
        for (int p = 0; p < PACKETS; p++)
        {
            out.clear();
            out.writeLong(0x8060000000000000L | p);
            out.writeInt(0x1234);
            out.writeShort(0x7C05);
            out.writeBytes(accessUnit, index, FRAGMENT);
            index += FRAGMENT;
            bh.consume(out.writerIndex());
        }
        return PACKETS;
    }
}
