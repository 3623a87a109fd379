package dev.c2cast.rtp.h264;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * RTCP (RFC 3550 section 6, RFC 4585 section 6) writing and parsing: SR, RR, SDES CNAME, BYE, generic NACK and PLI.
 * Every packet starts with the common header:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| RC/FMT  |      PT       |   length (32-bit words - 1)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   SSRC of packet sender                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * SR:  NTP timestamp (64) | RTP timestamp (32) | packet count (32) | octet count (32) | report blocks
 * RR:  report blocks:  SSRC | fraction lost (8) cumulative lost (24) | ext. highest seq | jitter | LSR | DLSR
 * SDES: chunks: SSRC | items (type 8, length 8, text) ... | 0 | padding to 32 bits
 * BYE: SSRC ...
 * RTPFB FMT=1 (NACK): media SSRC | PID (16) BLP (16) ...
 * PSFB  FMT=1 (PLI):  media SSRC
 * </pre>
 * Stateless and thread-safe.
 */
public final class Rtcp
{
    /** Sender report. */
    public static final int PT_SR = 200;
    /** Receiver report. */
    public static final int PT_RR = 201;
    /** Source description. */
    public static final int PT_SDES = 202;
    /** Goodbye. */
    public static final int PT_BYE = 203;
    /** Transport-layer feedback (RFC 4585). */
    public static final int PT_RTPFB = 205;
    /** Payload-specific feedback (RFC 4585). */
    public static final int PT_PSFB = 206;
    /** SDES item type CNAME. */
    public static final int SDES_CNAME = 1;
    /** Offset of the payload type in the common header. */
    public static final int PT_OFFSET = 1;
    /** Offset of the length field in the common header. */
    public static final int LENGTH_OFFSET = 2;
    /** Offset of the sender SSRC. */
    public static final int SSRC_OFFSET = 4;
    /** Most consecutive sequence numbers one {@link #writeNackRange} packet names (64 FCIs). */
    public static final int NACK_RANGE_MAX = 17 * 64;
    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    public static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    private Rtcp()
    {
    }

    /**
     * Converts Unix-epoch nanoseconds to a 64-bit NTP timestamp (32 bits of seconds, 32 of fraction).
     *
     * @param epochNanos nanoseconds since 1970.
     * @return the NTP timestamp.
     */
    public static long ntpTimestamp(final long epochNanos)
    {
        final long seconds = Math.floorDiv(epochNanos, 1_000_000_000L) + NTP_UNIX_OFFSET_SECONDS;
        final long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
        return (seconds << 32) | ((nanos << 32) / 1_000_000_000L);
    }

    /**
     * The middle 32 bits of an NTP timestamp, as carried in LSR.
     *
     * @param ntpTimestamp the 64-bit timestamp.
     * @return the middle bits.
     */
    public static long ntpMiddle(final long ntpTimestamp)
    {
        return (ntpTimestamp >>> 16) & 0xFFFFFFFFL;
    }

    /**
     * Writes an SR without report blocks.
     *
     * @param dst          output.
     * @param ssrc         the sender.
     * @param ntpTimestamp 64-bit NTP time.
     * @param rtpTimestamp RTP time of the same instant.
     * @param packetCount  packets sent.
     * @param octetCount   payload octets sent.
     */
    public static void writeSenderReport(
        final ByteBuf dst, final int ssrc, final long ntpTimestamp, final long rtpTimestamp, final long packetCount, final long octetCount)
    {
        dst.writeByte(0x80);
        dst.writeByte(PT_SR);
        dst.writeShort(6);
        dst.writeInt(ssrc);
        dst.writeLong(ntpTimestamp);
        dst.writeInt((int)rtpTimestamp);
        dst.writeInt((int)packetCount);
        dst.writeInt((int)octetCount);
    }

    /**
     * Writes an RR with zero or one report block.
     *
     * @param dst   output.
     * @param ssrc  the reporter.
     * @param block the block, or null for an empty RR.
     */
    public static void writeReceiverReport(final ByteBuf dst, final int ssrc, final RtcpReportBlock block)
    {
        dst.writeByte(0x80 | (block == null ? 0 : 1));
        dst.writeByte(PT_RR);
        dst.writeShort(block == null ? 1 : 7);
        dst.writeInt(ssrc);
        if (block != null)
        {
            writeReportBlock(dst, block);
        }
    }

    /**
     * Writes one 24-byte report block.
     *
     * @param dst   output.
     * @param block the block; cumulative lost is clamped to signed 24 bits.
     */
    public static void writeReportBlock(final ByteBuf dst, final RtcpReportBlock block)
    {
        dst.writeInt(block.ssrc());
        final int lost = Math.max(-0x800000, Math.min(0x7FFFFF, block.cumulativeLost()));
        dst.writeInt((block.fractionLost() << 24) | (lost & 0xFFFFFF));
        dst.writeInt((int)block.extendedHighestSequence());
        dst.writeInt((int)block.jitter());
        dst.writeInt((int)block.lastSenderReport());
        dst.writeInt((int)block.delaySinceLastSenderReport());
    }

    /**
     * Writes an SDES packet with one chunk holding a CNAME.
     *
     * @param dst   output.
     * @param ssrc  the source.
     * @param cname the canonical name, at most 255 UTF-8 bytes.
     */
    public static void writeSourceDescription(final ByteBuf dst, final int ssrc, final String cname)
    {
        final byte[] text = cname.getBytes(StandardCharsets.UTF_8);
        if (text.length > 255)
        {
            throw new IllegalArgumentException("CNAME longer than 255 bytes");
        }
        final int chunk = 4 + 2 + text.length + 1;
        final int padded = (chunk + 3) & ~3;
        dst.writeByte(0x81);
        dst.writeByte(PT_SDES);
        dst.writeShort(padded / 4);
        dst.writeInt(ssrc);
        dst.writeByte(SDES_CNAME);
        dst.writeByte(text.length);
        dst.writeBytes(text);
        dst.writeZero(padded - chunk + 1);
    }

    /**
     * Writes a BYE for one source.
     *
     * @param dst  output.
     * @param ssrc the source leaving.
     */
    public static void writeBye(final ByteBuf dst, final int ssrc)
    {
        dst.writeByte(0x81);
        dst.writeByte(PT_BYE);
        dst.writeShort(1);
        dst.writeInt(ssrc);
    }

    /**
     * Writes a generic NACK (RFC 4585 section 6.2.1) with one FCI: a lost packet and a bitmask of the 16 after it.
     *
     * @param dst            output.
     * @param senderSsrc     the receiver asking.
     * @param mediaSsrc      the media source.
     * @param sequenceNumber the first lost sequence number (PID).
     * @param bitmask        BLP: bit i set if {@code sequenceNumber + i + 1} is lost too.
     */
    public static void writeNack(final ByteBuf dst, final int senderSsrc, final int mediaSsrc, final int sequenceNumber, final int bitmask)
    {
        dst.writeByte(0x81);
        dst.writeByte(PT_RTPFB);
        dst.writeShort(3);
        dst.writeInt(senderSsrc);
        dst.writeInt(mediaSsrc);
        dst.writeShort(sequenceNumber);
        dst.writeShort(bitmask);
    }

    /**
     * Writes one generic NACK (RFC 4585 section 6.2.1) naming a run of lost sequence numbers, one FCI (PID and BLP) per
     * 17 of them.
     *
     * @param dst           output.
     * @param senderSsrc    the receiver asking.
     * @param mediaSsrc     the media source.
     * @param firstSequence the first lost sequence number.
     * @param count         how many consecutive ones are lost, 1 to {@link #NACK_RANGE_MAX}.
     */
    public static void writeNackRange(final ByteBuf dst, final int senderSsrc, final int mediaSsrc, final int firstSequence, final int count)
    {
        if (count < 1 || count > NACK_RANGE_MAX)
        {
            throw new IllegalArgumentException("NACK range of " + count + " packets");
        }
        final int fcis = (count + 16) / 17;
        dst.writeByte(0x81);
        dst.writeByte(PT_RTPFB);
        dst.writeShort(2 + fcis);
        dst.writeInt(senderSsrc);
        dst.writeInt(mediaSsrc);
        for (int f = 0; f < fcis; f++)
        {
            final int rest = Math.min(16, count - 17 * f - 1);
            dst.writeShort((firstSequence + 17 * f) & 0xFFFF);
            dst.writeShort((1 << rest) - 1);
        }
    }

    /**
     * Writes a picture loss indication (RFC 4585 section 6.3.1).
     *
     * @param dst        output.
     * @param senderSsrc the receiver asking.
     * @param mediaSsrc  the media source.
     */
    public static void writePictureLossIndication(final ByteBuf dst, final int senderSsrc, final int mediaSsrc)
    {
        dst.writeByte(0x81);
        dst.writeByte(PT_PSFB);
        dst.writeShort(2);
        dst.writeInt(senderSsrc);
        dst.writeInt(mediaSsrc);
    }

    /**
     * Whether a datagram looks like RTCP rather than RTP (RFC 5761 section 4: payload types 192 to 223).
     *
     * @param buffer the datagram.
     * @param index  its first byte.
     * @param length its length.
     * @return true for RTCP.
     */
    public static boolean isRtcp(final ByteBuf buffer, final int index, final int length)
    {
        if (length < 8)
        {
            return false;
        }
        final int pt = buffer.getUnsignedByte(index + 1);
        return pt >= 192 && pt <= 223;
    }

    /**
     * Parses a compound RTCP packet, calling the listener for each part. Unknown packet types are skipped.
     *
     * @param buffer   the datagram.
     * @param index    absolute index of the first byte.
     * @param length   length in bytes.
     * @param listener receives the parts.
     * @return the number of RTCP packets in the compound.
     * @throws RtpH264Exception with {@link RtpH264Exception.Reason#MALFORMED} on a bad version or length.
     */
    public static int parse(final ByteBuf buffer, final int index, final int length, final RtcpListener listener)
    {
        final int end = index + length;
        int i = index;
        int count = 0;
        while (i < end)
        {
            if (end - i < 4)
            {
                throw malformed("truncated common header");
            }
            final int first = buffer.getUnsignedByte(i);
            if ((first >>> 6) != 2)
            {
                throw malformed("RTCP version " + (first >>> 6));
            }
            final int rc = first & 0x1F;
            final int pt = buffer.getUnsignedByte(i + PT_OFFSET);
            final int packetLength = 4 * (buffer.getUnsignedShort(i + LENGTH_OFFSET) + 1);
            if (packetLength > end - i)
            {
                throw malformed("packet length " + packetLength + " > " + (end - i));
            }
            int bodyEnd = i + packetLength;
            if ((first & 0x20) != 0)
            {
                final int padding = buffer.getUnsignedByte(bodyEnd - 1);
                if (padding == 0 || padding > packetLength - 4)
                {
                    throw malformed("padding " + padding);
                }
                bodyEnd -= padding;
            }
            parseOne(buffer, i, bodyEnd, pt, rc, listener);
            i += packetLength;
            count++;
        }
        return count;
    }

    private static void parseOne(
        final ByteBuf buffer, final int start, final int end, final int pt, final int rc, final RtcpListener listener)
    {
        switch (pt)
        {
            case PT_SR:
            {
                need(start, end, 28 + rc * RtcpReportBlock.LENGTH);
                final int ssrc = buffer.getInt(start + 4);
                listener.onSenderReport(
                    ssrc,
                    buffer.getLong(start + 8),
                    buffer.getUnsignedInt(start + 16),
                    buffer.getUnsignedInt(start + 20),
                    buffer.getUnsignedInt(start + 24));
                reportBlocks(buffer, start + 28, rc, ssrc, listener);
                break;
            }
            case PT_RR:
            {
                need(start, end, 8 + rc * RtcpReportBlock.LENGTH);
                final int ssrc = buffer.getInt(start + 4);
                listener.onReceiverReport(ssrc);
                reportBlocks(buffer, start + 8, rc, ssrc, listener);
                break;
            }
            case PT_SDES:
                sourceDescription(buffer, start + 4, end, rc, listener);
                break;
            case PT_BYE:
                need(start, end, 4 + 4 * rc);
                for (int k = 0; k < rc; k++)
                {
                    listener.onBye(buffer.getInt(start + 4 + 4 * k));
                }
                break;
            case PT_RTPFB:
                if (rc == 1)
                {
                    need(start, end, 12);
                    final int sender = buffer.getInt(start + 4);
                    final int media = buffer.getInt(start + 8);
                    for (int f = start + 12; f + 4 <= end; f += 4)
                    {
                        final int pid = buffer.getUnsignedShort(f);
                        final int blp = buffer.getUnsignedShort(f + 2);
                        listener.onNack(sender, media, pid);
                        for (int b = 0; b < 16; b++)
                        {
                            if ((blp & (1 << b)) != 0)
                            {
                                listener.onNack(sender, media, (pid + b + 1) & 0xFFFF);
                            }
                        }
                    }
                }
                break;
            case PT_PSFB:
                if (rc == 1)
                {
                    need(start, end, 12);
                    listener.onPictureLossIndication(buffer.getInt(start + 4), buffer.getInt(start + 8));
                }
                break;
            default:
                break;
        }
    }

    private static void reportBlocks(final ByteBuf buffer, final int index, final int count, final int reporter, final RtcpListener listener)
    {
        for (int k = 0; k < count; k++)
        {
            final int b = index + k * RtcpReportBlock.LENGTH;
            final int lostWord = buffer.getInt(b + 4);
            listener.onReportBlock(reporter, new RtcpReportBlock(
                buffer.getInt(b),
                lostWord >>> 24,
                (lostWord << 8) >> 8,
                buffer.getUnsignedInt(b + 8),
                buffer.getUnsignedInt(b + 12),
                buffer.getUnsignedInt(b + 16),
                buffer.getUnsignedInt(b + 20)));
        }
    }

    private static void sourceDescription(
        final ByteBuf buffer, final int index, final int end, final int chunks, final RtcpListener listener)
    {
        int i = index;
        for (int c = 0; c < chunks; c++)
        {
            if (end - i < 4)
            {
                throw malformed("truncated SDES chunk");
            }
            final int ssrc = buffer.getInt(i);
            i += 4;
            while (true)
            {
                if (i >= end)
                {
                    throw malformed("SDES chunk without end");
                }
                final int type = buffer.getUnsignedByte(i);
                if (type == 0)
                {
                    i = index + (((i + 1 - index) + 3) & ~3);
                    break;
                }
                if (end - i < 2)
                {
                    throw malformed("truncated SDES item");
                }
                final int itemLength = buffer.getUnsignedByte(i + 1);
                if (itemLength > end - i - 2)
                {
                    throw malformed("SDES item length " + itemLength);
                }
                listener.onSourceDescription(ssrc, type, buffer.toString(i + 2, itemLength, StandardCharsets.UTF_8));
                i += 2 + itemLength;
            }
        }
    }

    private static void need(final int start, final int end, final int length)
    {
        if (end - start < length)
        {
            throw malformed("RTCP packet of " + (end - start) + " bytes, need " + length);
        }
    }

    private static RtpH264Exception malformed(final String message)
    {
        return new RtpH264Exception(RtpH264Exception.Reason.MALFORMED, message);
    }
}
