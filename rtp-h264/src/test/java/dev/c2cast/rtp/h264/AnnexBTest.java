package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Hex;
import dev.c2cast.testkit.Property;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class AnnexBTest
{
    @Test
    void splitsThreeAndFourByteStartCodesAndDropsTrailingZeros()
    {
        final byte[] stream = Hex.decode("ff 00 | 00 00 00 01 09 f0 | 00 00 01 06 05 01 80 00 00 | 00 00 01 65 88 84 00 03 01 | 00 00 00 00 01 0c ff ff 80");
        final List<byte[]> nals = TestStreams.nals(stream);
        assertEquals(4, nals.size());
        assertArrayEquals(Hex.decode("09 f0"), nals.get(0));
        assertArrayEquals(Hex.decode("06 05 01 80"), nals.get(1));
        assertArrayEquals(Hex.decode("65 88 84 00 03 01"), nals.get(2));
        assertArrayEquals(Hex.decode("0c ff ff 80"), nals.get(3));
    }

    @Test
    void noStartCodeMeansNoNalUnits()
    {
        assertEquals(0, AnnexB.forEachNalUnit(Unpooled.wrappedBuffer(Hex.decode("00 00 02 01 00 00")), (b, i, l) -> { }));
        assertEquals(0, AnnexB.forEachNalUnit(Unpooled.EMPTY_BUFFER, (b, i, l) -> { }));
    }

    @Property(seeds = 200)
    void everyNalUnitComesBackUnchangedInOrder(final Gen gen)
    {
        final List<byte[]> nals = new ArrayList<>();
        final int count = gen.size(0, 30);
        for (int i = 0; i < count; i++)
        {
            nals.add(TestStreams.nal(gen, gen.intBetween(1, 31), gen.size(0, 300)));
        }
        final List<byte[]> back = TestStreams.nals(TestStreams.annexB(gen, nals));
        assertEquals(nals.size(), back.size());
        for (int i = 0; i < nals.size(); i++)
        {
            assertArrayEquals(nals.get(i), back.get(i), "NAL " + i);
        }
    }

    @Property(seeds = 100)
    void lengthPrefixedRoundTrip(final Gen gen)
    {
        final int lengthSize = gen.pick(List.of(1, 2, 4));
        final List<byte[]> nals = new ArrayList<>();
        final ByteBuf avc = Unpooled.buffer();
        for (int i = gen.size(0, 10); i > 0; i--)
        {
            final byte[] nal = TestStreams.nal(gen, gen.intBetween(1, 23), gen.size(0, lengthSize == 1 ? 200 : 2000));
            nals.add(nal);
            AvcFormat.writeNalUnit(avc, Unpooled.wrappedBuffer(nal), 0, nal.length, lengthSize);
        }
        final List<byte[]> back = new ArrayList<>();
        AvcFormat.forEachNalUnit(avc, 0, avc.readableBytes(), lengthSize, (b, i, l) ->
        {
            final byte[] n = new byte[l];
            b.getBytes(i, n);
            back.add(n);
        });
        assertEquals(nals.size(), back.size());
        for (int i = 0; i < nals.size(); i++)
        {
            assertArrayEquals(nals.get(i), back.get(i));
        }
    }

    @Test
    void lengthPrefixPastTheEndIsMalformed()
    {
        final ByteBuf avc = Unpooled.wrappedBuffer(Hex.decode("00 00 00 05 65 01 02"));
        final RtpH264Exception ex = assertThrows(
            RtpH264Exception.class, () -> AvcFormat.forEachNalUnit(avc, 0, avc.readableBytes(), 4, (b, i, l) -> { }));
        assertEquals(RtpH264Exception.Reason.MALFORMED, ex.reason());
    }

    @Test
    void scanIsLinearOnAllZeroInput()
    {
        final ByteBuf zeros = Unpooled.buffer(4_000_000).writeZero(4_000_000);
        assertEquals(0, AnnexB.forEachNalUnit(zeros, (b, i, l) -> { }));
        final ByteBuf ones = Unpooled.buffer(4_000_000);
        for (int i = 0; i < 1_000_000; i++)
        {
            ones.writeInt(0x00000165);
        }
        assertEquals(1_000_000, AnnexB.forEachNalUnit(ones, (b, i, l) -> { }));
    }
}
