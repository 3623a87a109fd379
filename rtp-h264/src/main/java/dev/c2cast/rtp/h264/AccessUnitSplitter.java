package dev.c2cast.rtp.h264;

import io.netty.buffer.ByteBuf;

/**
 * Finds access-unit boundaries in a sequence of NAL units (H.264 section 7.4.1.2.3), for encoders and files that
 * deliver a plain Annex B stream: a new access unit starts at an access unit delimiter, SPS, PPS, SEI or type
 * 14 to 18 NAL unit that follows a slice of the current access unit (so an SEI that x264 writes before the first
 * delimiter stays with the first picture), or at a slice with
 * {@code first_mb_in_slice == 0} that follows a slice of the current access unit. (Arbitrary slice order and
 * redundant pictures, which no common encoder produces, are not detected.)
 * <p>
 * Not thread-safe: one splitter per stream.
 */
public final class AccessUnitSplitter
{
    private boolean hasPicture;

    /**
     * Creates a splitter at the start of a stream.
     */
    public AccessUnitSplitter()
    {
    }

    /**
     * Whether a NAL unit begins a new access unit; updates the state as if it was appended.
     *
     * @param buffer the buffer holding the NAL unit.
     * @param index  absolute index of its header byte.
     * @param length its length.
     * @return true if the NAL unit is the first of a new access unit (false for the very first NAL unit of the
     *         stream, which begins the first access unit by definition).
     */
    public boolean startsAccessUnit(final ByteBuf buffer, final int index, final int length)
    {
        final int type = NalUnitType.of(buffer.getByte(index));
        boolean boundary = false;
        if (type == NalUnitType.AUD || type == NalUnitType.SEI || type == NalUnitType.SPS || type == NalUnitType.PPS || (type >= 14 && type <= 18))
        {
            boundary = hasPicture;
            if (boundary)
            {
                hasPicture = false;
            }
        }
        else if (NalUnitType.isPicture(type))
        {
            final boolean firstMbZero = length > 1 && (buffer.getByte(index + 1) & 0x80) != 0;
            boundary = hasPicture && firstMbZero;
            hasPicture = true;
        }
        return boundary;
    }

    /**
     * Forgets the state, for a new stream.
     */
    public void reset()
    {
        hasPicture = false;
    }
}
