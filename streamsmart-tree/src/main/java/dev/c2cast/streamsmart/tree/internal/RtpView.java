package dev.c2cast.streamsmart.tree.internal;

import io.netty.buffer.ByteBuf;

/**
 * The few RTP fields the overlay reads (RFC 3550 section 5.1): sequence number, marker, payload type, and whether
 * the H.264 payload (RFC 6184) starts a keyframe: an IDR slice (type 5) or SPS (7), alone, first in a STAP-A (24),
 * or as the first fragment of an FU-A (28). Offsets are relative to the given start index.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                           timestamp                           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                             SSRC                              |
 *  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *  |            CSRC list (CC x 32 bits), extension (if X)         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RtpView
{
    /** Length of the fixed header. */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** Offset of the V/P/X/CC byte. */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of the M/PT byte. */
    public static final int MARKER_PT_OFFSET = 1;
    /** Offset of the sequence number. */
    public static final int SEQUENCE_OFFSET = 2;

    private static final int NAL_IDR = 5;
    private static final int NAL_SPS = 7;
    private static final int NAL_STAP_A = 24;
    private static final int NAL_FU_A = 28;

    private RtpView()
    {
    }

    /**
     * The 16-bit sequence number.
     *
     * @param buffer the buffer.
     * @param start  index of the RTP header.
     * @return the sequence number, 0 to 65535.
     */
    public static int sequence(final ByteBuf buffer, final int start)
    {
        return buffer.getUnsignedShort(start + SEQUENCE_OFFSET);
    }

    /**
     * The marker bit.
     *
     * @param buffer the buffer.
     * @param start  index of the RTP header.
     * @return true if set.
     */
    public static boolean marker(final ByteBuf buffer, final int start)
    {
        return (buffer.getByte(start + MARKER_PT_OFFSET) & 0x80) != 0;
    }

    /**
     * The payload type.
     *
     * @param buffer the buffer.
     * @param start  index of the RTP header.
     * @return 0 to 127.
     */
    public static int payloadType(final ByteBuf buffer, final int start)
    {
        return buffer.getByte(start + MARKER_PT_OFFSET) & 0x7F;
    }

    /**
     * Whether the H.264 payload starts a keyframe.
     *
     * @param buffer the buffer.
     * @param start  index of the RTP header.
     * @param length length of the RTP packet.
     * @return true for IDR/SPS starts; false for anything else, including malformed packets.
     */
    public static boolean startsKeyframe(final ByteBuf buffer, final int start, final int length)
    {
        if (length < FIXED_HEADER_LENGTH + 1)
        {
            return false;
        }
        final int flags = buffer.getUnsignedByte(start + FLAGS_OFFSET);
        int payload = FIXED_HEADER_LENGTH + 4 * (flags & 0x0F);
        if ((flags & 0x10) != 0)
        {
            if (payload + 4 > length)
            {
                return false;
            }
            payload += 4 + 4 * buffer.getUnsignedShort(start + payload + 2);
        }
        if (payload + 1 > length)
        {
            return false;
        }
        final int nal = buffer.getUnsignedByte(start + payload) & 0x1F;
        if (nal == NAL_IDR || nal == NAL_SPS)
        {
            return true;
        }
        if (nal == NAL_STAP_A && payload + 4 <= length)
        {
            final int inner = buffer.getUnsignedByte(start + payload + 3) & 0x1F;
            return inner == NAL_IDR || inner == NAL_SPS;
        }
        if (nal == NAL_FU_A && payload + 2 <= length)
        {
            final int fuHeader = buffer.getUnsignedByte(start + payload + 1);
            return (fuHeader & 0x80) != 0 && (fuHeader & 0x1F) == NAL_IDR;
        }
        return false;
    }

    /**
     * Extends 16-bit sequence numbers across wrap-around (RFC 3550 appendix A.1 style). Confined to one thread.
     */
    public static final class SequenceExtender
    {
        private long highest = -1;

        /**
         * The extended value of a sequence number, taken as the closest to the highest seen so far.
         *
         * @param seq the 16-bit sequence number.
         * @return the extended sequence number, never negative.
         */
        public long extend(final int seq)
        {
            if (highest < 0)
            {
                highest = seq;
                return seq;
            }
            final long cycle = highest & ~0xFFFFL;
            long candidate = cycle | seq;
            if (candidate - highest > 0x8000)
            {
                candidate -= 0x10000;
            }
            else if (highest - candidate > 0x8000)
            {
                candidate += 0x10000;
            }
            if (candidate < 0)
            {
                candidate += 0x10000;
            }
            if (candidate > highest)
            {
                highest = candidate;
            }
            return candidate;
        }
    }
}
