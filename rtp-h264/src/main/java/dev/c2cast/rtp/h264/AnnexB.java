package dev.c2cast.rtp.h264;

import io.netty.buffer.ByteBuf;

/**
 * The H.264 Annex B byte stream: NAL units separated by start codes {@code 00 00 01} or {@code 00 00 00 01}, with
 * optional leading and trailing zero bytes. Reading finds NAL units in one linear pass (a word-at-a-time search for
 * the {@code 01} byte) and hands each one out as a region of the caller's buffer; every NAL type, including AUD, SEI and
 * filler, is passed through unchanged and in its original order. Writing uses 4-byte start codes.
 * <p>
 * Stateless and thread-safe.
 */
public final class AnnexB
{
    /** The 4-byte start code written before every NAL unit. */
    public static final int START_CODE_LENGTH = 4;

    private AnnexB()
    {
    }

    /**
     * Finds the next 3-byte start code prefix {@code 00 00 01} in {@code [from, to)}.
     *
     * @param buffer the stream.
     * @param from   absolute index to search from.
     * @param to     absolute end of the region (exclusive).
     * @return the absolute index of the first {@code 00} of the prefix, or -1.
     */
    public static int findStartCode(final ByteBuf buffer, final int from, final int to)
    {
        int i = from + 2;
        while (i < to)
        {
            // ByteBuf.indexOf scans eight bytes per step (SWAR); 0x01 is rarer than 0x00 in coded video
            final int one = buffer.indexOf(i, to, (byte)1);
            if (one < 0)
            {
                return -1;
            }
            if (buffer.getByte(one - 1) == 0 && buffer.getByte(one - 2) == 0)
            {
                return one - 2;
            }
            i = one + 1;
        }
        return -1;
    }

    /**
     * Calls {@code listener} for every NAL unit in a region holding an Annex B stream. Bytes before the first start
     * code are ignored; zero bytes that precede a start code (the extra zero of a 4-byte code and
     * {@code trailing_zero_8bits}) are not part of the NAL unit before it.
     *
     * @param buffer   the stream; indices are not changed.
     * @param index    absolute start of the region.
     * @param length   length of the region.
     * @param listener receives each NAL unit.
     * @return the number of NAL units found.
     */
    public static int forEachNalUnit(final ByteBuf buffer, final int index, final int length, final NalUnitListener listener)
    {
        final int end = index + length;
        int start = findStartCode(buffer, index, end);
        int count = 0;
        while (start >= 0)
        {
            final int nalStart = start + 3;
            final int next = findStartCode(buffer, nalStart, end);
            int nalEnd = next < 0 ? end : next;
            while (nalEnd > nalStart && buffer.getByte(nalEnd - 1) == 0)
            {
                nalEnd--;
            }
            if (nalEnd > nalStart)
            {
                listener.onNalUnit(buffer, nalStart, nalEnd - nalStart);
                count++;
            }
            start = next;
        }
        return count;
    }

    /**
     * Calls {@code listener} for every NAL unit between the reader and writer indices of {@code buffer}.
     *
     * @param buffer   the stream; indices are not changed.
     * @param listener receives each NAL unit.
     * @return the number of NAL units found.
     */
    public static int forEachNalUnit(final ByteBuf buffer, final NalUnitListener listener)
    {
        return forEachNalUnit(buffer, buffer.readerIndex(), buffer.readableBytes(), listener);
    }

    /**
     * Appends a 4-byte start code and a NAL unit to {@code dst}.
     *
     * @param dst    the output; its writer index advances.
     * @param src    the buffer holding the NAL unit.
     * @param index  absolute index of the NAL unit in {@code src}.
     * @param length its length.
     */
    public static void writeNalUnit(final ByteBuf dst, final ByteBuf src, final int index, final int length)
    {
        dst.writeInt(1);
        dst.writeBytes(src, index, length);
    }

    /**
     * Appends a 4-byte start code and a NAL unit held in an array to {@code dst}.
     *
     * @param dst the output; its writer index advances.
     * @param nal the NAL unit.
     */
    public static void writeNalUnit(final ByteBuf dst, final byte[] nal)
    {
        dst.writeInt(1);
        dst.writeBytes(nal);
    }
}
