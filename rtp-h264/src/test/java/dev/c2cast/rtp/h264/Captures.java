package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** RTP captures (a 16-bit length before each packet) and the NAL-sequence comparison used against real senders. */
final class Captures
{
    private Captures()
    {
    }

    static void write(final Path file, final List<byte[]> packets)
    {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file)))
        {
            for (final byte[] p : packets)
            {
                out.writeShort(p.length);
                out.write(p);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static List<byte[]> read(final InputStream stream)
    {
        final List<byte[]> packets = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(stream))
        {
            while (in.available() > 0)
            {
                final byte[] p = new byte[in.readUnsignedShort()];
                in.readFully(p);
                packets.add(p);
            }
            return packets;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Depacketizes in order; returns the Annex B output and the number of access units. */
    static byte[] depacketize(final List<byte[]> packets, final H264MediaDescription sdp, final int[] accessUnits)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final H264Depacketizer d = new H264Depacketizer((au, ts, key, complete) ->
        {
            accessUnits[0]++;
            final byte[] bytes = new byte[au.readableBytes()];
            au.getBytes(au.readerIndex(), bytes);
            out.writeBytes(bytes);
        });
        if (sdp != null)
        {
            d.parameterSets(sdp.sequenceParameterSet(), sdp.pictureParameterSet());
        }
        for (final byte[] p : packets)
        {
            if (!Rtcp.isRtcp(Unpooled.wrappedBuffer(p), 0, p.length))
            {
                d.onPacket(Unpooled.wrappedBuffer(p));
            }
        }
        d.flush();
        assertEquals(0, d.lossBursts(), "no loss on loopback");
        assertEquals(0, d.malformedPackets());
        return out.toByteArray();
    }

    /**
     * Asserts that {@code actual} has the NAL units of {@code source} in order, byte for byte, with parameter sets
     * equal to the source's as the only extras.
     */
    static void assertSameNalSequence(final byte[] source, final byte[] actual, final String what)
    {
        final List<byte[]> src = TestStreams.nals(source);
        final List<byte[]> out = TestStreams.nals(actual);
        final List<byte[]> params = new ArrayList<>();
        for (final byte[] n : src)
        {
            final int t = NalUnitType.of(n[0]);
            if (t == NalUnitType.SPS || t == NalUnitType.PPS)
            {
                params.add(n);
            }
        }
        int j = 0;
        int extras = 0;
        for (int i = 0; i < out.size(); i++)
        {
            if (j < src.size() && Arrays.equals(out.get(i), src.get(j)))
            {
                j++;
                continue;
            }
            final byte[] n = out.get(i);
            if (params.stream().anyMatch(p -> Arrays.equals(p, n)))
            {
                extras++;
                continue;
            }
            fail(what + ": output NAL " + i + " (type " + NalUnitType.of(n[0]) + ", " + n.length + " bytes) differs from source NAL " + j
                + (j < src.size() ? " (type " + NalUnitType.of(src.get(j)[0]) + ", " + src.get(j).length + " bytes)" : " (end)"));
        }
        assertEquals(src.size(), j, what + ": every source NAL unit present (" + extras + " inserted parameter sets)");
    }

    static ByteBuf buffer(final byte[] bytes)
    {
        return Unpooled.wrappedBuffer(bytes);
    }
}
