package dev.c2cast.examples.streamsmart;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import dev.c2cast.rtp.h264.AnnexB;
import dev.c2cast.rtp.h264.AvcFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The H.264 video track of an MP4 (ISO/IEC 14496-12 and -15) as an Annex B stream: the samples located through
 * {@code stsz}, {@code stsc} and {@code stco}/{@code co64}, their length-prefixed NAL units (rtp-h264's
 * {@link AvcFormat}) rewritten with start codes, and the {@code avcC} SPS/PPS put before every sync sample
 * ({@code stss}) so a receiver can start at any keyframe. The frame rate comes from {@code mdhd} and {@code stts}.
 * Only what a progressive MP4 from a phone or FFmpeg needs: no fragments ({@code moof}), no edit lists.
 */
final class Mp4Video
{
    private final byte[] annexB;
    private final double framesPerSecond;
    private final int samples;

    private Mp4Video(final byte[] annexB, final double framesPerSecond, final int samples)
    {
        this.annexB = annexB;
        this.framesPerSecond = framesPerSecond;
        this.samples = samples;
    }

    byte[] annexB()
    {
        return annexB;
    }

    double framesPerSecond()
    {
        return framesPerSecond;
    }

    int samples()
    {
        return samples;
    }

    /** Thrown for a file that is not an MP4 with an H.264 video track this reader handles. */
    static final class Mp4Exception extends Exception
    {
        private static final long serialVersionUID = 1L;

        Mp4Exception(final String message)
        {
            super(message);
        }
    }

    private static final class Track
    {
        boolean video;
        long timescale;
        int lengthSize = -1;
        final List<byte[]> parameterSets = new ArrayList<>();
        int[] sizes;
        long[] chunkOffsets;
        int[][] samplesPerChunk;
        int[] syncSamples;
        long totalDelta;
        long totalCount;
    }

    static Mp4Video parse(final byte[] file) throws Mp4Exception
    {
        final ByteBuf buffer = Unpooled.wrappedBuffer(file);
        final List<Track> tracks = new ArrayList<>();
        try
        {
            walk(buffer, 0, file.length, tracks, null);
        }
        catch (final IndexOutOfBoundsException ex)
        {
            throw new Mp4Exception("truncated box: " + ex.getMessage());
        }
        for (final Track track : tracks)
        {
            if (track.video && track.lengthSize > 0 && track.sizes != null && track.chunkOffsets != null && track.samplesPerChunk != null)
            {
                return convert(buffer, track);
            }
        }
        throw new Mp4Exception("no H.264 (avc1/avcC) video track");
    }

    private static void walk(final ByteBuf buffer, final int from, final int to, final List<Track> tracks, final Track current)
        throws Mp4Exception
    {
        int at = from;
        Track track = current;
        while (at + 8 <= to)
        {
            long size = buffer.getUnsignedInt(at);
            final String type = buffer.toString(at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1)
            {
                size = buffer.getLong(at + 8);
                header = 16;
            }
            else if (size == 0)
            {
                size = to - at;
            }
            if (size < header || at + size > to)
            {
                throw new Mp4Exception("box " + type + " of size " + size + " overruns its parent");
            }
            final int body = at + header;
            final int end = (int)(at + size);
            switch (type)
            {
                case "moov", "mdia", "minf", "stbl" -> walk(buffer, body, end, tracks, track);
                case "trak" ->
                {
                    final Track added = new Track();
                    tracks.add(added);
                    walk(buffer, body, end, tracks, added);
                }
                case "hdlr" ->
                {
                    if (track != null)
                    {
                        track.video = "vide".equals(buffer.toString(body + 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
                    }
                }
                case "mdhd" ->
                {
                    if (track != null)
                    {
                        track.timescale = buffer.getByte(body) == 1 ? buffer.getUnsignedInt(body + 20) : buffer.getUnsignedInt(body + 12);
                    }
                }
                case "stsd" -> walk(buffer, body + 8, end, tracks, track);
                case "avc1", "avc3" -> walk(buffer, body + 78, end, tracks, track);
                case "avcC" ->
                {
                    if (track != null)
                    {
                        track.lengthSize = (buffer.getByte(body + 4) & 3) + 1;
                        int p = body + 5;
                        final int spsCount = buffer.getByte(p++) & 31;
                        for (int i = 0; i < spsCount; i++)
                        {
                            final int length = buffer.getUnsignedShort(p);
                            track.parameterSets.add(bytes(buffer, p + 2, length));
                            p += 2 + length;
                        }
                        final int ppsCount = buffer.getByte(p++) & 0xff;
                        for (int i = 0; i < ppsCount; i++)
                        {
                            final int length = buffer.getUnsignedShort(p);
                            track.parameterSets.add(bytes(buffer, p + 2, length));
                            p += 2 + length;
                        }
                    }
                }
                case "stsz" ->
                {
                    if (track != null)
                    {
                        final int fixed = (int)buffer.getUnsignedInt(body + 4);
                        final int count = (int)buffer.getUnsignedInt(body + 8);
                        track.sizes = new int[count];
                        for (int i = 0; i < count; i++)
                        {
                            track.sizes[i] = fixed != 0 ? fixed : (int)buffer.getUnsignedInt(body + 12 + 4 * i);
                        }
                    }
                }
                case "stco", "co64" ->
                {
                    if (track != null)
                    {
                        final int count = (int)buffer.getUnsignedInt(body + 4);
                        track.chunkOffsets = new long[count];
                        for (int i = 0; i < count; i++)
                        {
                            track.chunkOffsets[i] = "stco".equals(type) ? buffer.getUnsignedInt(body + 8 + 4 * i) : buffer.getLong(body + 8 + 8 * i);
                        }
                    }
                }
                case "stsc" ->
                {
                    if (track != null)
                    {
                        final int count = (int)buffer.getUnsignedInt(body + 4);
                        track.samplesPerChunk = new int[count][2];
                        for (int i = 0; i < count; i++)
                        {
                            track.samplesPerChunk[i][0] = (int)buffer.getUnsignedInt(body + 8 + 12 * i);
                            track.samplesPerChunk[i][1] = (int)buffer.getUnsignedInt(body + 12 + 12 * i);
                        }
                    }
                }
                case "stss" ->
                {
                    if (track != null)
                    {
                        final int count = (int)buffer.getUnsignedInt(body + 4);
                        track.syncSamples = new int[count];
                        for (int i = 0; i < count; i++)
                        {
                            track.syncSamples[i] = (int)buffer.getUnsignedInt(body + 8 + 4 * i);
                        }
                    }
                }
                case "stts" ->
                {
                    if (track != null)
                    {
                        final int count = (int)buffer.getUnsignedInt(body + 4);
                        for (int i = 0; i < count; i++)
                        {
                            final long samples = buffer.getUnsignedInt(body + 8 + 8 * i);
                            track.totalCount += samples;
                            track.totalDelta += samples * buffer.getUnsignedInt(body + 12 + 8 * i);
                        }
                    }
                }
                default ->
                {
                    // Other boxes carry nothing the stream needs.
                }
            }
            at = end;
        }
    }

    private static byte[] bytes(final ByteBuf buffer, final int index, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(index, bytes);
        return bytes;
    }

    private static Mp4Video convert(final ByteBuf buffer, final Track track) throws Mp4Exception
    {
        final ByteBuf out = Unpooled.buffer(buffer.capacity() + 1024);
        final boolean[] sync = new boolean[track.sizes.length + 1];
        if (track.syncSamples == null)
        {
            java.util.Arrays.fill(sync, true);
        }
        else
        {
            for (final int sample : track.syncSamples)
            {
                if (sample >= 1 && sample < sync.length)
                {
                    sync[sample] = true;
                }
            }
        }
        int sample = 0;
        for (int entry = 0; entry < track.samplesPerChunk.length; entry++)
        {
            final int firstChunk = track.samplesPerChunk[entry][0] - 1;
            final int lastChunk = entry + 1 < track.samplesPerChunk.length ? track.samplesPerChunk[entry + 1][0] - 1
                : track.chunkOffsets.length;
            for (int chunk = firstChunk; chunk < lastChunk; chunk++)
            {
                long offset = track.chunkOffsets[chunk];
                for (int i = 0; i < track.samplesPerChunk[entry][1] && sample < track.sizes.length; i++)
                {
                    final int size = track.sizes[sample];
                    if (offset < 0 || offset + size > buffer.capacity())
                    {
                        throw new Mp4Exception("sample " + (sample + 1) + " lies outside the file");
                    }
                    if (sync[sample + 1])
                    {
                        for (final byte[] parameterSet : track.parameterSets)
                        {
                            AnnexB.writeNalUnit(out, parameterSet);
                        }
                    }
                    try
                    {
                        AvcFormat.forEachNalUnit(buffer, (int)offset, size, track.lengthSize,
                            (buf, index, length) -> AnnexB.writeNalUnit(out, buf, index, length));
                    }
                    catch (final RuntimeException ex)
                    {
                        throw new Mp4Exception("sample " + (sample + 1) + ": " + ex.getMessage());
                    }
                    offset += size;
                    sample++;
                }
            }
        }
        final double fps = track.totalDelta > 0 && track.timescale > 0 ? (double)track.timescale * track.totalCount / track.totalDelta : 0;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(out.readableBytes());
        bytes.write(out.array(), out.arrayOffset() + out.readerIndex(), out.readableBytes());
        return new Mp4Video(bytes.toByteArray(), fps, sample);
    }
}
