package dev.c2cast.examples.streamsmart;

import java.util.ArrayList;
import java.util.List;

import dev.c2cast.rtp.h264.AnnexB;
import dev.c2cast.rtp.h264.NalUnitType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Test helpers over Annex B streams. */
final class Media
{
    private Media()
    {
    }

    /** The NAL units of a stream, without start codes, leaving out access unit delimiters and filler. */
    static List<String> nalUnits(final byte[] annexB)
    {
        final ByteBuf buffer = Unpooled.wrappedBuffer(annexB);
        final List<String> units = new ArrayList<>();
        AnnexB.forEachNalUnit(buffer, (buf, index, length) ->
        {
            final int type = NalUnitType.of(buf.getByte(index));
            if (type != NalUnitType.AUD && type != NalUnitType.FILLER)
            {
                final byte[] bytes = new byte[length];
                buf.getBytes(index, bytes);
                units.add("type " + type + ", " + length + " bytes, hash " + java.util.Arrays.hashCode(bytes));
            }
        });
        return units;
    }
}
