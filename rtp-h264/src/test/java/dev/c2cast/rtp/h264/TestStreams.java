package dev.c2cast.rtp.h264;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.c2cast.testkit.Gen;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Builders of synthetic H.264 byte streams for tests. */
final class TestStreams
{
    /** ffmpeg/x264 baseline 320x240 SPS from the interop recipes (contains an emulation-prevention byte). */
    static final byte[] SPS_320X240 = Base64.getDecoder().decode("Z0LADdoFB+wEQAAAAwBAAAAPA8UKqA==");
    /** The matching PPS. */
    static final byte[] PPS = Base64.getDecoder().decode("aM4PyA==");

    private TestStreams()
    {
    }

    /** A valid escaped NAL unit of a given type with a random body of about {@code bodyLength} bytes. */
    static byte[] nal(final Gen gen, final int type, final int bodyLength)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((gen.intBetween(0, 3) << 5) | type);
        int zeros = 0;
        for (int i = 0; i < bodyLength; i++)
        {
            int b = gen.chance(0.2) ? 0 : gen.intBetween(0, 255);
            if (zeros >= 2 && b <= 3)
            {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        if (zeros > 0 || bodyLength == 0)
        {
            out.write(0x80);
        }
        return out.toByteArray();
    }

    /** Annex B with random 3/4-byte start codes, optional trailing zeros after NALs. */
    static byte[] annexB(final Gen gen, final List<byte[]> nals)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] nal : nals)
        {
            if (gen.bool())
            {
                out.write(0);
            }
            out.write(0);
            out.write(0);
            out.write(1);
            out.writeBytes(nal);
            if (gen.chance(0.1))
            {
                for (int z = gen.intBetween(1, 3); z > 0; z--)
                {
                    out.write(0);
                }
            }
        }
        return out.toByteArray();
    }

    static List<byte[]> nals(final byte[] annexB)
    {
        final List<byte[]> nals = new ArrayList<>();
        final ByteBuf buf = Unpooled.wrappedBuffer(annexB);
        AnnexB.forEachNalUnit(buf, (b, i, l) ->
        {
            final byte[] nal = new byte[l];
            b.getBytes(i, nal);
            nals.add(nal);
        });
        return nals;
    }

    /** A random access unit: optional AUD/SEI, SPS+PPS when IDR and {@code withParams}, 1-4 slices. */
    static List<byte[]> accessUnit(final Gen gen, final boolean idr, final boolean withParams, final int maxSlice)
    {
        final List<byte[]> au = new ArrayList<>();
        if (gen.chance(0.3))
        {
            au.add(new byte[] {0x09, (byte)0xF0});
        }
        if (gen.chance(0.2))
        {
            au.add(nal(gen, NalUnitType.SEI, gen.size(1, 40)));
        }
        if (idr && withParams)
        {
            au.add(SPS_320X240.clone());
            au.add(PPS.clone());
        }
        final int slices = gen.intBetween(1, 4);
        for (int s = 0; s < slices; s++)
        {
            final byte[] slice = nal(gen, idr ? NalUnitType.IDR : NalUnitType.SLICE, gen.size(2, maxSlice));
            // first_mb_in_slice is ue(v): a leading 1 bit means 0 (first slice), a leading 0 bit means more
            slice[1] = (byte)(s == 0 ? (slice[1] | 0x80) : ((slice[1] & 0x7F) | 0x40));
            au.add(slice);
        }
        if (gen.chance(0.05))
        {
            au.add(nal(gen, NalUnitType.FILLER, gen.size(1, 30)));
        }
        return au;
    }

    static ByteBuf concat(final List<byte[]> nals)
    {
        final ByteBuf buf = Unpooled.buffer();
        for (final byte[] nal : nals)
        {
            AnnexB.writeNalUnit(buf, nal);
        }
        return buf;
    }

    /** Packetizes into a list of complete packets. */
    static List<byte[]> packetize(final H264Packetizer packetizer, final ByteBuf au, final long timestamp)
    {
        final List<byte[]> packets = new ArrayList<>();
        packetizer.packetize(au, timestamp, (header, payload, index, length) ->
        {
            final byte[] p = new byte[header.readableBytes() + length];
            header.getBytes(header.readerIndex(), p, 0, header.readableBytes());
            payload.getBytes(index, p, header.readableBytes(), length);
            packets.add(p);
        });
        return packets;
    }
}
