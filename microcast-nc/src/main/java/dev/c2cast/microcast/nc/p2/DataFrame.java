package dev.c2cast.microcast.nc.p2;

import io.netty.buffer.ByteBuf;

/**
 * Layout of a data frame's payload: the segment index, then one packet in the coder's format.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                      Segment index (int32)                    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Coded or plain packet (SegmentStore format)        ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Big-endian. Stateless.
 */
public final class DataFrame
{
    /** Offset of the segment index. */
    public static final int SEGMENT_OFFSET = 0;
    /** Length of the header before the packet. */
    public static final int HEADER_LENGTH = 4;

    private DataFrame()
    {
    }

    /**
     * Reads the segment index.
     *
     * @param buffer holds the frame.
     * @param offset frame start.
     * @return the segment index (may be negative if malformed).
     */
    public static int segment(final ByteBuf buffer, final int offset)
    {
        return buffer.getInt(offset + SEGMENT_OFFSET);
    }
}
