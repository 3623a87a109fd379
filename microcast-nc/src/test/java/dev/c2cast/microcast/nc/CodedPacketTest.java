package dev.c2cast.microcast.nc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Consumer;

import dev.c2cast.microcast.nc.CodedPacketException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class CodedPacketTest
{
    private static ByteBuf packet(final CoefficientEncoding encoding, final int g, final int s)
    {
        final ByteBuf buf = Unpooled.buffer();
        CodedPacket.writeHeader(buf, 0, encoding, g, s, 0xCAFEBABEL, Math.max(0, g * s - 3));
        buf.writerIndex(CodedPacket.HEADER_LENGTH);
        switch (encoding)
        {
            case FULL:
                for (int i = 0; i < g; i++)
                {
                    buf.writeByte(i + 1);
                }
                break;
            case SEED:
                buf.writeLong(77);
                break;
            default:
                buf.writeByte(g - 1);
                break;
        }
        for (int i = 0; i < s; i++)
        {
            buf.writeByte(i * 7);
        }
        return buf;
    }

    @Test
    void parsesEveryField()
    {
        final CodedPacket view = new CodedPacket();
        view.wrap(packet(CoefficientEncoding.FULL, 5, 100));
        assertEquals(CodedPacket.VERSION, view.version());
        assertEquals(CoefficientEncoding.FULL, view.coefficientEncoding());
        assertEquals(5, view.generationSize());
        assertEquals(100, view.symbolSize());
        assertEquals(0xCAFEBABEL, view.generationId());
        assertEquals(497, view.segmentLength());
        assertEquals(16 + 5 + 100, view.length());
        final byte[] coefs = new byte[5];
        view.copyCoefficients(coefs, 0);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, coefs);
        final byte[] payload = new byte[100];
        view.copyPayload(payload, 0);
        assertEquals((byte)(99 * 7), payload[99]);

        view.wrap(packet(CoefficientEncoding.SYSTEMATIC, 256, 65536));
        assertEquals(255, view.systematicIndex());
        assertEquals(256, view.generationSize());
        assertEquals(65536, view.symbolSize());
        final byte[] unit = new byte[256];
        view.copyCoefficients(unit, 0);
        assertEquals(1, unit[255]);
        assertThrows(IllegalStateException.class, view::seed);

        view.wrap(packet(CoefficientEncoding.SEED, 1, 1));
        assertEquals(77, view.seed());
        assertThrows(IllegalStateException.class, view::systematicIndex);
    }

    private static void assertRejected(final Reason reason, final Consumer<ByteBuf> corruption)
    {
        final ByteBuf buf = packet(CoefficientEncoding.FULL, 4, 10);
        corruption.accept(buf);
        final CodedPacket view = new CodedPacket();
        final CodedPacketException ex = assertThrows(CodedPacketException.class, () -> view.wrap(buf));
        assertEquals(reason, ex.reason(), ex.getMessage());
        assertThrows(IllegalStateException.class, view::generationSize, "a failed wrap leaves no packet behind");
    }

    @Test
    void rejectsEveryKindOfMalformedFrame()
    {
        assertRejected(Reason.TRUNCATED, b -> b.writerIndex(15));
        assertRejected(Reason.UNSUPPORTED_VERSION, b -> b.setByte(0, 2));
        assertRejected(Reason.UNKNOWN_ENCODING, b -> b.setByte(1, 3));
        assertRejected(Reason.RESERVED_NOT_ZERO, b -> b.setByte(3, 1));
        assertRejected(Reason.RESERVED_NOT_ZERO, b -> b.setByte(11, 1));
        assertRejected(Reason.LENGTH_MISMATCH, b -> b.writeByte(0));
        assertRejected(Reason.LENGTH_MISMATCH, b -> b.writerIndex(b.writerIndex() - 1));
        assertRejected(Reason.LENGTH_MISMATCH, b -> b.setByte(2, 4));
        assertRejected(Reason.LENGTH_MISMATCH, b -> b.setByte(1, CoefficientEncoding.SEED.code()));
        assertRejected(Reason.SEGMENT_LENGTH_OUT_OF_RANGE, b -> b.setInt(12, 41));
        assertRejected(Reason.SEGMENT_LENGTH_OUT_OF_RANGE, b -> b.setInt(12, -1));
        assertRejected(Reason.ZERO_COEFFICIENTS, b -> b.setInt(16, 0));
        final ByteBuf systematic = packet(CoefficientEncoding.SYSTEMATIC, 4, 10);
        systematic.setByte(16, 4);
        assertEquals(Reason.SYSTEMATIC_INDEX_OUT_OF_RANGE,
            assertThrows(CodedPacketException.class, () -> new CodedPacket().wrap(systematic)).reason());
    }

    @Test
    void rejectsASeedThatExpandsToZero()
    {
        // Find a seed whose first byte is zero: with g = 1 its vector is zero.
        long seed = 0;
        while (!dev.c2cast.microcast.nc.internal.SplitMix.expandsToZero(seed, 1))
        {
            seed++;
        }
        final ByteBuf buf = packet(CoefficientEncoding.SEED, 1, 3);
        buf.setLong(16, seed);
        assertEquals(Reason.ZERO_COEFFICIENTS,
            assertThrows(CodedPacketException.class, () -> new CodedPacket().wrap(buf)).reason());
    }

    @Test
    void wrapChecksTheRangeAgainstTheBuffer()
    {
        final ByteBuf buf = packet(CoefficientEncoding.FULL, 4, 10);
        assertThrows(IndexOutOfBoundsException.class, () -> new CodedPacket().wrap(buf, 5, buf.capacity()));
        assertThrows(IndexOutOfBoundsException.class, () -> new CodedPacket().wrap(buf, -1, 3));
    }
}
