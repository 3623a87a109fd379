package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import dev.c2cast.testkit.Gen;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class PacketizerTest
{
    private final RtpHeader header = new RtpHeader();

    @Test
    void markerOnlyOnLastPacketAndFuAHeaders()
    {
        final Gen gen = new Gen(1);
        final H264Packetizer p = new H264Packetizer(PacketizerConfig.defaults(0x11, 65530));
        final byte[] big = TestStreams.nal(gen, NalUnitType.SLICE, 5000);
        final byte[] small = TestStreams.nal(gen, NalUnitType.SLICE, 100);
        final List<byte[]> packets = TestStreams.packetize(p, TestStreams.concat(List.of(small, big)), 1234);
        assertEquals(1 + (big.length - 1 + 1185) / 1186, packets.size());
        for (int i = 0; i < packets.size(); i++)
        {
            header.wrap(Unpooled.wrappedBuffer(packets.get(i)));
            assertEquals(i == packets.size() - 1, header.marker());
            assertEquals((65530 + i) & 0xFFFF, header.sequenceNumber());
            assertEquals(1234, header.timestamp());
            assertTrue(packets.get(i).length <= 1200);
        }
        final byte[] fu0 = packets.get(1);
        assertEquals((big[0] & 0xE0) | 28, fu0[12] & 0xFF);
        assertEquals(0x80 | NalUnitType.SLICE, fu0[13] & 0xFF);
        final byte[] fuLast = packets.get(packets.size() - 1);
        assertEquals(0x40 | NalUnitType.SLICE, fuLast[13] & 0xFF);
        assertEquals(packets.size(), p.packetCount());
    }

    @Test
    void parameterSetsBeforeFirstIdrSliceOnly()
    {
        final Gen gen = new Gen(2);
        final H264Packetizer p = new H264Packetizer(PacketizerConfig.defaults(1, 0));
        p.parameterSets(TestStreams.SPS_320X240, TestStreams.PPS);
        final byte[] aud = {0x09, (byte)0xF0};
        final List<byte[]> au = List.of(aud, TestStreams.nal(gen, NalUnitType.IDR, 50), TestStreams.nal(gen, NalUnitType.IDR, 50));
        final List<byte[]> packets = TestStreams.packetize(p, TestStreams.concat(au), 0);
        assertEquals(5, packets.size());
        final int[] types = new int[packets.size()];
        for (int i = 0; i < packets.size(); i++)
        {
            types[i] = packets.get(i)[12] & 0x1F;
        }
        assertArrayEquals(new int[] {9, 7, 8, 5, 5}, types);
        final List<byte[]> again = TestStreams.packetize(p, TestStreams.concat(List.of(TestStreams.nal(gen, NalUnitType.SLICE, 50))), 3000);
        assertEquals(1, again.size(), "no parameter sets before a non-IDR access unit");
        final List<byte[]> withOwn = new ArrayList<>(List.of(TestStreams.SPS_320X240, TestStreams.PPS, TestStreams.nal(gen, NalUnitType.IDR, 50)));
        assertEquals(3, TestStreams.packetize(p, TestStreams.concat(withOwn), 6000).size(), "not duplicated when in-band");
    }

    @Test
    void modeZeroRejectsOversizeNalBeforeSendingAnything()
    {
        final Gen gen = new Gen(3);
        final H264Packetizer p = new H264Packetizer(new PacketizerConfig(0, 1200, 96, 1, 0, false));
        final ByteBuf au = TestStreams.concat(List.of(TestStreams.nal(gen, NalUnitType.SLICE, 100), TestStreams.nal(gen, NalUnitType.SLICE, 1300)));
        final List<byte[]> sent = new ArrayList<>();
        final RtpH264Exception ex = assertThrows(RtpH264Exception.class, () -> p.packetize(au, 0, (h, b, i, l) -> sent.add(new byte[0])));
        assertEquals(RtpH264Exception.Reason.OVERSIZE_NAL_UNIT, ex.reason());
        assertTrue(sent.isEmpty());
        assertEquals(0, p.nextSequenceNumber());
    }

    @Test
    void stapAAggregatesSmallNalUnits()
    {
        final Gen gen = new Gen(4);
        final H264Packetizer p = new H264Packetizer(new PacketizerConfig(1, 1200, 96, 1, 0, true));
        final List<byte[]> au = List.of(TestStreams.SPS_320X240, TestStreams.PPS, TestStreams.nal(gen, NalUnitType.IDR, 3000));
        final List<byte[]> packets = TestStreams.packetize(p, TestStreams.concat(au), 0);
        assertEquals(NalUnitType.STAP_A, packets.get(0)[12] & 0x1F);
        header.wrap(Unpooled.wrappedBuffer(packets.get(0)));
        assertFalse(header.marker());
        final List<byte[]> out = new ArrayList<>();
        final H264Depacketizer d = new H264Depacketizer((b, ts, key, complete) -> out.addAll(TestStreams.nals(bytes(b))));
        packets.forEach(pk -> d.onPacket(Unpooled.wrappedBuffer(pk)));
        assertEquals(3, out.size());
        for (int i = 0; i < 3; i++)
        {
            assertArrayEquals(au.get(i), out.get(i));
        }
    }

    static byte[] bytes(final ByteBuf b)
    {
        final byte[] a = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), a);
        return a;
    }
}
