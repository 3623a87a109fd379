package dev.c2cast.examples.streamsmart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.c2cast.rtp.h264.AnnexB;
import dev.c2cast.rtp.h264.NalUnitType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * An H.264 Annex B elementary stream split into access units (ITU-T H.264 section 7.4.1.2.3): a new access unit
 * starts at an access unit delimiter, SPS, PPS or SEI that follows a picture, or at a slice whose
 * {@code first_mb_in_slice} is 0. Each access unit is a list of NAL units (without start codes) in one shared buffer,
 * ready for {@link dev.c2cast.rtp.h264.H264Packetizer#packetize(ByteBuf, int[], int[], int, long,
 * dev.c2cast.rtp.h264.RtpPacketSink)}.
 * <p>
 * Immutable after construction.
 */
final class AccessUnits
{
    /** One access unit: NAL unit positions in {@link #buffer()}. */
    record AccessUnit(int[] indices, int[] lengths, boolean keyframe)
    {
        int count()
        {
            return indices.length;
        }
    }

    private final ByteBuf buffer;
    private final List<AccessUnit> units;

    private AccessUnits(final ByteBuf buffer, final List<AccessUnit> units)
    {
        this.buffer = buffer;
        this.units = List.copyOf(units);
    }

    static AccessUnits parse(final byte[] annexB)
    {
        final ByteBuf buffer = Unpooled.wrappedBuffer(annexB);
        final List<AccessUnit> units = new ArrayList<>();
        final int[][] current = {new int[16], new int[16]};
        final int[] state = new int[3];
        // state[0] = NAL count, state[1] = has picture, state[2] = keyframe
        AnnexB.forEachNalUnit(buffer, (buf, index, length) ->
        {
            final int type = NalUnitType.of(buf.getByte(index));
            final boolean picture = NalUnitType.isPicture(type);
            final boolean firstSlice = picture && length > 1 && (buf.getByte(index + 1) & 0x80) != 0;
            final boolean prefix = type == NalUnitType.AUD || type == NalUnitType.SPS || type == NalUnitType.PPS
                || type == NalUnitType.SEI || (type >= 14 && type <= 18);
            if (state[1] == 1 && (prefix || firstSlice))
            {
                units.add(new AccessUnit(Arrays.copyOf(current[0], state[0]), Arrays.copyOf(current[1], state[0]), state[2] == 1));
                state[0] = 0;
                state[1] = 0;
                state[2] = 0;
            }
            if (state[0] == current[0].length)
            {
                current[0] = Arrays.copyOf(current[0], state[0] * 2);
                current[1] = Arrays.copyOf(current[1], state[0] * 2);
            }
            current[0][state[0]] = index;
            current[1][state[0]] = length;
            state[0]++;
            if (picture)
            {
                state[1] = 1;
            }
            if (type == NalUnitType.IDR)
            {
                state[2] = 1;
            }
        });
        if (state[0] > 0 && state[1] == 1)
        {
            units.add(new AccessUnit(Arrays.copyOf(current[0], state[0]), Arrays.copyOf(current[1], state[0]), state[2] == 1));
        }
        return new AccessUnits(buffer, units);
    }

    ByteBuf buffer()
    {
        return buffer;
    }

    List<AccessUnit> units()
    {
        return units;
    }

    int size()
    {
        return units.size();
    }
}
