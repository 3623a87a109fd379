package dev.c2cast.rtp.h264;

import io.netty.buffer.ByteBuf;

/**
 * The length-prefixed ("AVC", ISO/IEC 14496-15) form of H.264 used in MP4 samples: each NAL unit is preceded by its
 * length as a 1-, 2- or 4-byte big-endian integer ({@code lengthSizeMinusOne + 1} in the {@code avcC} box).
 * <p>
 * Stateless and thread-safe.
 */
public final class AvcFormat
{
    private AvcFormat()
    {
    }

    /**
     * Calls {@code listener} for every NAL unit in a length-prefixed region.
     *
     * @param buffer     the sample; indices are not changed.
     * @param index      absolute start of the region.
     * @param length     length of the region.
     * @param lengthSize size of each length prefix: 1, 2 or 4 (3 is also accepted).
     * @param listener   receives each NAL unit.
     * @return the number of NAL units.
     * @throws RtpH264Exception with {@link RtpH264Exception.Reason#MALFORMED} if a length runs past the region.
     */
    public static int forEachNalUnit(
        final ByteBuf buffer, final int index, final int length, final int lengthSize, final NalUnitListener listener)
    {
        checkLengthSize(lengthSize);
        final int end = index + length;
        int i = index;
        int count = 0;
        while (i < end)
        {
            if (end - i < lengthSize)
            {
                throw new RtpH264Exception(RtpH264Exception.Reason.MALFORMED, "truncated length prefix at " + i);
            }
            long nalLength = 0;
            for (int k = 0; k < lengthSize; k++)
            {
                nalLength = (nalLength << 8) | buffer.getUnsignedByte(i + k);
            }
            i += lengthSize;
            if (nalLength > end - i)
            {
                throw new RtpH264Exception(
                    RtpH264Exception.Reason.MALFORMED, "NAL length " + nalLength + " exceeds the " + (end - i) + " bytes left");
            }
            if (nalLength > 0)
            {
                listener.onNalUnit(buffer, i, (int)nalLength);
                count++;
            }
            i += (int)nalLength;
        }
        return count;
    }

    /**
     * Appends a length prefix and a NAL unit to {@code dst}.
     *
     * @param dst        the output; its writer index advances.
     * @param src        the buffer holding the NAL unit.
     * @param index      absolute index of the NAL unit in {@code src}.
     * @param length     its length.
     * @param lengthSize size of the prefix: 1, 2, 3 or 4.
     * @throws RtpH264Exception with {@link RtpH264Exception.Reason#CAPACITY} if the length does not fit the prefix.
     */
    public static void writeNalUnit(final ByteBuf dst, final ByteBuf src, final int index, final int length, final int lengthSize)
    {
        checkLengthSize(lengthSize);
        if (lengthSize < 4 && length >= (1 << (8 * lengthSize)))
        {
            throw new RtpH264Exception(
                RtpH264Exception.Reason.CAPACITY, "NAL length " + length + " does not fit " + lengthSize + " bytes");
        }
        for (int k = lengthSize - 1; k >= 0; k--)
        {
            dst.writeByte(length >>> (8 * k));
        }
        dst.writeBytes(src, index, length);
    }

    private static void checkLengthSize(final int lengthSize)
    {
        if (lengthSize < 1 || lengthSize > 4)
        {
            throw new IllegalArgumentException("length size must be 1 to 4: " + lengthSize);
        }
    }
}
