package dev.c2cast.pseudobroadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Hex;
import dev.c2cast.testkit.Property;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.junit.jupiter.api.Test;

class FrameHeaderTest
{
    private static final String VALID_FRAME =
        "01 05 0000 | 4D430001 | 0000000000000007 | 0000000000000009 | 0000002A | 0003 0000 | AA BB CC";

    @Test
    void readsEveryFieldOfAKnownFrame()
    {
        final byte[] bytes = Hex.decode(VALID_FRAME);
        final FrameHeader header = new FrameHeader().wrap(Unpooled.wrappedBuffer(bytes), 0, bytes.length);
        assertEquals(FrameHeader.VALID, header.validate());
        assertEquals(1, header.version());
        assertEquals(FrameType.FLOOD, header.type());
        assertEquals(0x4D430001, header.groupId());
        assertEquals(7, header.source());
        assertEquals(9, header.destination());
        assertEquals(42, header.sequence());
        assertEquals(3, header.payloadLength());
        assertEquals(32, header.payloadOffset());
    }

    @Test
    void rejectsEachBrokenField()
    {
        assertEquals(FrameHeader.MALFORMED_VERSION, validate(VALID_FRAME.replaceFirst("01 05", "02 05")));
        assertEquals(FrameHeader.MALFORMED_FIELDS, validate(VALID_FRAME.replaceFirst("01 05", "01 00")));
        assertEquals(FrameHeader.MALFORMED_FIELDS, validate(VALID_FRAME.replaceFirst("0000 \\|", "0001 |")));
        assertEquals(FrameHeader.MALFORMED_FIELDS, validate(VALID_FRAME.replace("0003 0000", "0003 0100")));
        assertEquals(FrameHeader.MALFORMED_LENGTH, validate(VALID_FRAME.replace("0003 0000", "0004 0000")));
        assertEquals(FrameHeader.MALFORMED_LENGTH, validate(VALID_FRAME.replace("| AA BB CC", "| AA BB CC DD")));
        assertEquals(FrameHeader.MALFORMED_ADDRESS, validate(VALID_FRAME.replace("0000000000000007", "0000000000000000")));
        assertEquals(FrameHeader.MALFORMED_ADDRESS, validate(VALID_FRAME.replace("0000000000000009", "0000000000000007")));
        assertEquals(FrameHeader.MALFORMED_LENGTH, validate("01 05 0000 4D430001"));
    }

    @Test
    void validatesAtAnOffsetInsideALargerBuffer()
    {
        final byte[] frame = Hex.decode(VALID_FRAME);
        final ByteBuf buffer = Unpooled.buffer(100);
        buffer.writeZero(10).writeBytes(frame).writeZero(10);
        assertEquals(FrameHeader.VALID, new FrameHeader().wrap(buffer, 10, frame.length).validate());
        assertEquals(FrameHeader.MALFORMED_LENGTH, new FrameHeader().wrap(buffer, 90, frame.length).validate());
    }

    @Property(seeds = 200)
    void writeThenReadRoundTrips(final Gen gen)
    {
        final int payloadLength = gen.size(0, 2000);
        final long source = gen.nextLong() | 1;
        final long destination = gen.bool() ? NodeId.BROADCAST_VALUE : source ^ (gen.longBetween(1, Long.MAX_VALUE - 1));
        final int type = gen.intBetween(1, 255);
        final int group = (int)gen.nextLong();
        final int sequence = (int)gen.nextLong();
        final ByteBuf buffer = Unpooled.buffer(FrameHeader.HEADER_LENGTH + payloadLength);
        buffer.writerIndex(FrameHeader.HEADER_LENGTH + payloadLength);
        final FrameHeader header = new FrameHeader().wrap(buffer, 0, buffer.readableBytes())
            .write(type, group, source, destination, sequence, payloadLength);
        assertEquals(FrameHeader.VALID, header.validate());
        assertEquals(type, header.type());
        assertEquals(group, header.groupId());
        assertEquals(source, header.source());
        assertEquals(destination, header.destination());
        assertEquals(sequence, header.sequence());
        assertEquals(payloadLength, header.payloadLength());
    }

    private static int validate(final String hex)
    {
        final byte[] bytes = Hex.decode(hex);
        return new FrameHeader().wrap(Unpooled.wrappedBuffer(bytes), 0, bytes.length).validate();
    }
}
