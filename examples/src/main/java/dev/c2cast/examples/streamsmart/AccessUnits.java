package dev.c2cast.examples.streamsmart;

import java.util.ArrayList;
import java.util.List;

import dev.c2cast.rtp.h264.AccessUnitSplitter;
import dev.c2cast.rtp.h264.AnnexB;
import dev.c2cast.rtp.h264.NalUnitType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * An H.264 Annex B elementary stream split into access units by rtp-h264's {@link AccessUnitSplitter} (ITU-T H.264
 * section 7.4.1.2.3). Each access unit is a list of NAL units (without start codes) in one shared buffer, ready for
 * {@link dev.c2cast.rtp.h264.H264Packetizer#packetize(ByteBuf, int[], int[], int, long,
 * dev.c2cast.rtp.h264.RtpPacketSink)}: the whole clip is indexed once so the sender never allocates while pacing.
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
        final List<Integer> indices = new ArrayList<>();
        final List<Integer> lengths = new ArrayList<>();
        final List<Boolean> starts = new ArrayList<>();
        final AccessUnitSplitter splitter = new AccessUnitSplitter();
        AnnexB.forEachNalUnit(buffer, (buf, index, length) ->
        {
            starts.add(splitter.startsAccessUnit(buf, index, length));
            indices.add(index);
            lengths.add(length);
        });
        final List<AccessUnit> units = new ArrayList<>();
        int first = 0;
        for (int i = 1; i <= indices.size(); i++)
        {
            if (i == indices.size() || starts.get(i))
            {
                add(buffer, units, indices.subList(first, i), lengths.subList(first, i));
                first = i;
            }
        }
        return new AccessUnits(buffer, units);
    }

    private static void add(final ByteBuf buffer, final List<AccessUnit> units, final List<Integer> indices, final List<Integer> lengths)
    {
        boolean picture = false;
        boolean keyframe = false;
        final int[] at = new int[indices.size()];
        final int[] length = new int[indices.size()];
        for (int i = 0; i < at.length; i++)
        {
            at[i] = indices.get(i);
            length[i] = lengths.get(i);
            final int type = NalUnitType.of(buffer.getByte(at[i]));
            picture |= NalUnitType.isPicture(type);
            keyframe |= type == NalUnitType.IDR;
        }
        // trailing parameter sets or SEI without a picture are not an access unit a decoder could show
        if (picture)
        {
            units.add(new AccessUnit(at, length, keyframe));
        }
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
