package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.c2cast.testkit.Environment;
import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Impairment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our receiver statistics (the fields of an RTCP RR) against tshark's RTP stream analysis of the same packets at the
 * same arrival times: the capture is written by the test as a pcap (no root needed to capture on loopback). The
 * sequence numbers do not wrap and the first and last packets are in order: tshark 4.0 counts an extra 65536-packet
 * cycle whenever a packet arrives with a sequence number below the first one captured, and ends its range at the last
 * packet captured, while RFC 3550 appendix A.1 (and our receiver) uses the lowest and highest.
 */
class RtcpTsharkIT
{
    private static final Pattern STREAM = Pattern.compile(
        "0x([0-9A-Fa-f]+)\\s+\\S+\\s+(\\d+)\\s+(-?\\d+)\\s+\\(.*?\\)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 4})
    void receiverReportFieldsMatchTshark(final long seed) throws IOException
    {
        Environment.requireCommand("tshark");
        final Gen gen = new Gen(seed);
        final int ssrc = 0x3E45EB87;
        final H264Packetizer packetizer = new H264Packetizer(PacketizerConfig.defaults(ssrc, 1000));
        final List<byte[]> packets = new ArrayList<>();
        final List<Long> sendTimes = new ArrayList<>();
        for (int k = 0; k < 300; k++)
        {
            final List<byte[]> pk = TestStreams.packetize(packetizer, TestStreams.concat(TestStreams.accessUnit(gen, k % 30 == 0, true, 3000)), 3000L * k);
            for (int i = 0; i < pk.size(); i++)
            {
                packets.add(pk.get(i));
                sendTimes.add(k * 33_333_333L + i * 200_000L);
            }
        }
        final Impairment link = new Impairment(0.02, 0.01, 0.01, 2_000_000, 5_000_000);
        final SplittableRandom random = new SplittableRandom(seed);
        final List<long[]> arrivals = new ArrayList<>();
        long order = 0;
        for (int i = 0; i < packets.size(); i++)
        {
            if (i < 5 || i >= packets.size() - 5)
            {
                // tshark takes the first and the last packet captured as the sequence range, where RFC 3550 takes the
                // lowest and highest: keep both ends of the trace in order so the two definitions agree
                arrivals.add(new long[] {sendTimes.get(i) + (i < 5 ? 0 : 10_000_000L), i, order++});
                continue;
            }
            final int copies = link.copies(random);
            final long held = link.reorder(random) ? 1_000_000L : 0;
            for (int c = 0; c < copies; c++)
            {
                arrivals.add(new long[] {sendTimes.get(i) + held + link.delayNanos(random), i, order++});
            }
        }
        arrivals.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[2], b[2]));

        final ReceptionStatistics stats = new ReceptionStatistics(ssrc, 90000);
        final RtpHeader header = new RtpHeader();
        double jitterSum = 0;
        double jitterMax = 0;
        final long epoch = 1_700_000_000_000_000_000L;
        for (final long[] a : arrivals)
        {
            header.wrap(io.netty.buffer.Unpooled.wrappedBuffer(packets.get((int)a[1])));
            stats.onPacket(header.sequenceNumber(), header.timestamp(), epoch + a[0]);
            final double jitterMs = stats.jitter() / 90.0;
            jitterSum += jitterMs;
            jitterMax = Math.max(jitterMax, jitterMs);
        }
        final RtcpReportBlock rr = stats.report(epoch + arrivals.get(arrivals.size() - 1)[0]);

        Files.createDirectories(Media.DIR);
        final Path pcap = Media.DIR.resolve("rtcp-" + seed + ".pcap");
        writePcap(pcap, packets, arrivals, epoch);
        final String out = Media.run(60, List.of("tshark", "-n", "-r", pcap.toString(), "-d", "udp.port==5004,rtp", "-d", "rtp.pt==96,h264",
            "-q", "-z", "rtp,streams"));
        final Matcher m = STREAM.matcher(out);
        assertTrue(m.find(), "tshark stream line in:\n" + out);
        assertEquals(Integer.toHexString(ssrc).toUpperCase(), m.group(1).toUpperCase());
        final long tsharkPackets = Long.parseLong(m.group(2));
        final long tsharkLost = Long.parseLong(m.group(3));
        final double tsharkMeanJitter = Double.parseDouble(m.group(8));
        final double tsharkMaxJitter = Double.parseDouble(m.group(9));
        System.out.printf("[RtcpTsharkIT] seed %d: ours lost=%d received=%d extHighest=%d fraction=%d jitter(mean/max ms)=%.3f/%.3f;"
                + " tshark lost=%d packets=%d jitter(mean/max ms)=%.3f/%.3f%n",
            seed, rr.cumulativeLost(), stats.received(), rr.extendedHighestSequence(), rr.fractionLost(), jitterSum / arrivals.size(), jitterMax,
            tsharkLost, tsharkPackets, tsharkMeanJitter, tsharkMaxJitter);
        assertEquals(tsharkPackets, stats.received(), "packets received");
        assertEquals(tsharkLost, rr.cumulativeLost(), "cumulative lost");
        final long firstSeq = 1000;
        assertEquals(firstSeq + tsharkPackets + tsharkLost - 1, rr.extendedHighestSequence(), "extended highest sequence = first + expected - 1");
        assertEquals(tsharkLost <= 0 ? 0 : (int)(tsharkLost * 256 / (tsharkPackets + tsharkLost)), rr.fractionLost(), "fraction lost");
        assertEquals(tsharkMeanJitter, jitterSum / arrivals.size(), tsharkMeanJitter * 0.10, "mean jitter within 10 %");
        assertEquals(tsharkMaxJitter, jitterMax, tsharkMaxJitter * 0.10, "max jitter within 10 %");
    }

    /** Ethernet/IPv4/UDP pcap, 127.0.0.1:40000 to 127.0.0.1:5004, microsecond timestamps. */
    static void writePcap(final Path file, final List<byte[]> packets, final List<long[]> arrivals, final long epochNanos) throws IOException
    {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file)))
        {
            out.writeInt(0xa1b2c3d4);
            out.writeShort(2);
            out.writeShort(4);
            out.writeInt(0);
            out.writeInt(0);
            out.writeInt(65535);
            out.writeInt(1);
            int id = 0;
            for (final long[] a : arrivals)
            {
                final byte[] rtp = packets.get((int)a[1]);
                final long t = epochNanos + a[0];
                final int length = 14 + 20 + 8 + rtp.length;
                out.writeInt((int)(t / 1_000_000_000L));
                out.writeInt((int)(t % 1_000_000_000L / 1000));
                out.writeInt(length);
                out.writeInt(length);
                out.write(new byte[12]);
                out.writeShort(0x0800);
                out.writeByte(0x45);
                out.writeByte(0);
                out.writeShort(20 + 8 + rtp.length);
                out.writeShort(id++);
                out.writeShort(0x4000);
                out.writeByte(64);
                out.writeByte(17);
                out.writeShort(0);
                out.writeInt(0x7f000001);
                out.writeInt(0x7f000001);
                out.writeShort(40000);
                out.writeShort(5004);
                out.writeShort(8 + rtp.length);
                out.writeShort(0);
                out.write(rtp);
            }
        }
    }
}
