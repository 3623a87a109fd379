package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.c2cast.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RtpHeaderTest
{
    @Test
    void csrcExtensionAndPadding()
    {
        final ByteBuf packet = Unpooled.wrappedBuffer(Hex.decode(
            "b2 e0 ff fe | 80 00 00 01 | 12 34 56 78 | 00 00 00 0a | 00 00 00 0b | be de 00 01 | 11 22 33 44 | 7c 85 aa | 00 00 03"));
        final RtpHeader h = new RtpHeader().wrap(packet);
        assertTrue(h.padding());
        assertTrue(h.extension());
        assertEquals(2, h.csrcCount());
        assertEquals(10, h.csrc(0));
        assertEquals(11, h.csrc(1));
        assertTrue(h.marker());
        assertEquals(96, h.payloadType());
        assertEquals(0xFFFE, h.sequenceNumber());
        assertEquals(0x80000001L, h.timestamp());
        assertEquals(0x12345678, h.ssrc());
        assertEquals(0xBEDE, h.extensionProfile());
        assertEquals(4, h.extensionDataLength());
        assertEquals(28, h.payloadIndex());
        assertEquals(3, h.payloadLength());
    }

    @Test
    void writeThenRead()
    {
        final ByteBuf buf = Unpooled.buffer();
        RtpHeader.writeFixedHeader(buf, false, 97, 0x1_0005, 0x1_0000_0007L, -2);
        buf.writeByte(0x65);
        final RtpHeader h = new RtpHeader().wrap(buf);
        assertFalse(h.marker());
        assertFalse(h.extension());
        assertEquals(97, h.payloadType());
        assertEquals(5, h.sequenceNumber());
        assertEquals(7, h.timestamp());
        assertEquals(-2, h.ssrc());
        assertEquals(1, h.payloadLength());
    }

    @Test
    void rejectsWhatRunsPastThePacket()
    {
        final RtpHeader h = new RtpHeader();
        assertThrows(RtpH264Exception.class, () -> h.wrap(Unpooled.wrappedBuffer(Hex.decode("80 60 00 01 00 00 00 00 00 00 00"))));
        assertThrows(RtpH264Exception.class, () -> h.wrap(Unpooled.wrappedBuffer(Hex.decode("40 60 00 01 00 00 00 00 00 00 00 01"))));
        assertThrows(RtpH264Exception.class, () -> h.wrap(Unpooled.wrappedBuffer(Hex.decode("81 60 00 01 00 00 00 00 00 00 00 01"))));
        assertThrows(RtpH264Exception.class, () -> h.wrap(Unpooled.wrappedBuffer(Hex.decode("90 60 00 01 00 00 00 00 00 00 00 01 | 00 00 00 02 | 00"))));
        assertThrows(RtpH264Exception.class, () -> h.wrap(Unpooled.wrappedBuffer(Hex.decode("a0 60 00 01 00 00 00 00 00 00 00 01 | 65 05"))));
        assertThrows(RtpH264Exception.class, () -> h.wrap(Unpooled.wrappedBuffer(Hex.decode("a0 60 00 01 00 00 00 00 00 00 00 01 | 65 00"))));
    }

    @Test
    void sequenceNumbersUnwrapAcrossTheBoundaryAndBackwards()
    {
        final SequenceNumberUnwrapper u = new SequenceNumberUnwrapper();
        final long a = u.unwrap(65534);
        assertEquals(a + 1, u.unwrap(65535));
        assertEquals(a + 2, u.unwrap(0));
        assertEquals(a + 1, u.unwrap(65535));
        assertEquals(a + 5, u.unwrap(3));
        assertEquals(a + 5, u.highest());
        assertEquals(a + 2, u.peek(0));
    }

    @Test
    void timestampDifferencesAreSigned()
    {
        assertEquals(-6000, RtpTimestamps.difference(3000, 9000));
        assertEquals(3000, RtpTimestamps.difference(1000, 0xFFFF_FFFFL - 1999));
        assertEquals(-3000, RtpTimestamps.difference(0xFFFF_FFFFL - 1999, 1000));
    }
}
