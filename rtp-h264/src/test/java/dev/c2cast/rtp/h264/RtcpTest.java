package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import dev.c2cast.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RtcpTest
{
    @Test
    void compoundRoundTrip()
    {
        final ByteBuf b = Unpooled.buffer();
        Rtcp.writeSenderReport(b, 7, 0x0102030405060708L, 90000, 10, 12000);
        Rtcp.writeReceiverReport(b, 8, new RtcpReportBlock(7, 25, -3, 0x1_0005, 42, 0x03040506L, 65536));
        Rtcp.writeSourceDescription(b, 8, "phone@c2cast");
        Rtcp.writeNack(b, 8, 7, 100, 0b101);
        Rtcp.writePictureLossIndication(b, 8, 7);
        Rtcp.writeBye(b, 7);
        assertEquals(0, b.readableBytes() % 4);
        final List<String> seen = new ArrayList<>();
        final int count = Rtcp.parse(b, 0, b.readableBytes(), new RtcpListener()
        {
            @Override
            public void onSenderReport(final int ssrc, final long ntp, final long rtp, final long packets, final long octets)
            {
                seen.add("SR " + ssrc + " " + Long.toHexString(ntp) + " " + rtp + " " + packets + " " + octets);
            }

            @Override
            public void onReportBlock(final int reporter, final RtcpReportBlock block)
            {
                seen.add("RB " + reporter + " " + block);
            }

            @Override
            public void onSourceDescription(final int ssrc, final int type, final String value)
            {
                seen.add("SDES " + ssrc + " " + type + " " + value);
            }

            @Override
            public void onNack(final int sender, final int media, final int seq)
            {
                seen.add("NACK " + seq);
            }

            @Override
            public void onPictureLossIndication(final int sender, final int media)
            {
                seen.add("PLI " + sender + " " + media);
            }

            @Override
            public void onBye(final int ssrc)
            {
                seen.add("BYE " + ssrc);
            }
        });
        assertEquals(6, count);
        assertEquals(List.of(
            "SR 7 102030405060708 90000 10 12000",
            "RB 8 " + new RtcpReportBlock(7, 25, -3, 0x1_0005, 42, 0x03040506L, 65536),
            "SDES 8 1 phone@c2cast",
            "NACK 100", "NACK 101", "NACK 103",
            "PLI 8 7",
            "BYE 7"), seen);
    }

    @Test
    void ffmpegEmptyReceiverReportAndMalformedLengths()
    {
        final int[] rr = {0};
        Rtcp.parse(Unpooled.wrappedBuffer(Hex.decode("80 c9 00 01 00 00 00 01")), 0, 8, new RtcpListener()
        {
            @Override
            public void onReceiverReport(final int ssrc)
            {
                rr[0] = ssrc;
            }
        });
        assertEquals(1, rr[0]);
        assertThrows(RtpH264Exception.class, () -> Rtcp.parse(Unpooled.wrappedBuffer(Hex.decode("80 c9 00 02 00 00 00 01")), 0, 8, new RtcpListener() { }));
        assertThrows(RtpH264Exception.class, () -> Rtcp.parse(Unpooled.wrappedBuffer(Hex.decode("81 c9 00 01 00 00 00 01")), 0, 8, new RtcpListener() { }));
        assertTrue(Rtcp.isRtcp(Unpooled.wrappedBuffer(Hex.decode("80 c8 00 06 00 00 00 01")), 0, 8));
    }

    @Test
    void receptionStatisticsFollowRfc3550()
    {
        final ReceptionStatistics s = new ReceptionStatistics(7, 90000);
        final int[] seqs = {65534, 65535, 1, 2, 2, 4};
        long t = 0;
        for (final int seq : seqs)
        {
            s.onPacket(seq, (seq + 2) * 3000L, t);
            t += 33_333_333L;
        }
        assertEquals(7, s.expected());
        assertEquals(6, s.received());
        assertEquals(1, s.cumulativeLost());
        assertEquals(0x1_0004L, s.extendedHighestSequence());
        final RtcpReportBlock block = s.report(t);
        assertEquals(256 / 7, block.fractionLost());
        assertEquals(1, block.cumulativeLost());
        assertTrue(block.jitter() > 0);
        s.onPacket(4, 6 * 3000L, t);
        s.onPacket(4, 6 * 3000L, t);
        assertEquals(-1, s.report(t).cumulativeLost(), "duplicates make cumulative loss negative");
    }

    @Test
    void roundTripFromLsrAndDlsr()
    {
        final long sentNtp = Rtcp.ntpTimestamp(1_700_000_000_000_000_000L);
        final long arrivalNtp = Rtcp.ntpTimestamp(1_700_000_000_250_000_000L);
        final RtcpReportBlock block = new RtcpReportBlock(1, 0, 0, 0, 0, Rtcp.ntpMiddle(sentNtp), 65536 / 10);
        final long rtt = block.roundTripNanos(Rtcp.ntpMiddle(arrivalNtp));
        assertTrue(Math.abs(rtt - 150_000_000L) < 100_000, "rtt " + rtt);
    }
}
