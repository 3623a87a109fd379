package dev.c2cast.rtp.h264;

import java.util.Arrays;

import dev.c2cast.rtp.h264.internal.RbspBitReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The RFC 6184 receiver for packetization modes 0 and 1: single NAL unit packets, STAP-A (section 5.7.1) and FU-A
 * (section 5.8), turned back into Annex B access units.
 * <p>
 * Packets must arrive in sequence order (put a {@link JitterBuffer} in front). A sequence gap discards the rest of
 * the NAL unit being reassembled, and FU-A fragments are discarded until the next start fragment, so a damaged NAL
 * unit is never emitted as if whole. An access unit ends at a packet with the marker bit or when the timestamp
 * changes; a marker bit before the first slice (GStreamer's {@code rtph264pay} sets one on a lone leading SEI) does
 * not end it. Under {@link LossPolicy#DROP_UNTIL_KEYFRAME} (the default) access units touched by loss, and all those
 * after them up to the next intact IDR access unit, are dropped, so everything emitted decodes exactly as sent.
 * Under that policy a stream joined after its start is also emitted from its first IDR access unit on.
 * Parameter sets are cached from {@link #parameterSets(byte[], byte[])} (the SDP) and from in-band SPS/PPS; an IDR
 * access unit that arrives without them gets the cached ones inserted before its first slice.
 * <p>
 * Not thread-safe: confine to one event loop. The only allocations are buffer growth and changed parameter sets.
 */
public final class H264Depacketizer
{
    /** What to do with access units after packet loss. */
    public enum LossPolicy
    {
        /** Emit nothing from a loss until the next IDR access unit that arrived whole. */
        DROP_UNTIL_KEYFRAME,
        /** Emit every whole NAL unit, flagging access units touched by loss as incomplete. */
        PASS_INTACT_NAL_UNITS
    }

    private static final int MAX_NAL_UNIT_LENGTH = 8 * 1024 * 1024;

    private final AccessUnitListener listener;
    private final LossPolicy lossPolicy;
    private final RtpHeader header = new RtpHeader();
    private final ByteBuf accessUnit = Unpooled.buffer(64 * 1024);
    private final ByteBuf fragment = Unpooled.buffer(64 * 1024);
    private byte[] sps;
    private byte[] pps;
    private boolean haveSequence;
    private int lastSequence;
    private int ssrc;
    private boolean ssrcKnown;
    private boolean auOpen;
    private long auTimestamp;
    private boolean auDamaged;
    private boolean auKeyframe;
    private boolean auHasSps;
    private boolean auHasPps;
    private boolean auHasPicture;
    private boolean fragmentOpen;
    private boolean waitingForKeyframe;
    private boolean pendingGap;
    private boolean auGapBeforePicture;
    private SequenceParameterSet spsInfo;
    private final byte[] sliceHeader = new byte[24];
    private final RbspBitReader sliceReader = new RbspBitReader(sliceHeader, 0, 0);
    private int lastFrameNum = -1;
    private boolean lastReference;
    private long packets;
    private long accessUnits;
    private long droppedAccessUnits;
    private long discardedFragments;
    private long malformedPackets;
    private long lossBursts;

    /**
     * Creates a depacketizer that drops access units after loss until the next intact IDR.
     *
     * @param listener receives access units and keyframe requests.
     */
    public H264Depacketizer(final AccessUnitListener listener)
    {
        this(listener, LossPolicy.DROP_UNTIL_KEYFRAME);
    }

    /**
     * Creates a depacketizer.
     *
     * @param listener   receives access units and keyframe requests.
     * @param lossPolicy what to emit after loss.
     */
    public H264Depacketizer(final AccessUnitListener listener, final LossPolicy lossPolicy)
    {
        this.listener = listener;
        this.lossPolicy = lossPolicy;
        this.waitingForKeyframe = lossPolicy == LossPolicy.DROP_UNTIL_KEYFRAME;
    }

    /**
     * Seeds the parameter-set cache, typically from the SDP's {@code sprop-parameter-sets}.
     *
     * @param sequenceParameterSet the SPS NAL unit, or null to keep the cached one.
     * @param pictureParameterSet  the PPS NAL unit, or null to keep the cached one.
     */
    public void parameterSets(final byte[] sequenceParameterSet, final byte[] pictureParameterSet)
    {
        if (sequenceParameterSet != null)
        {
            sps = sequenceParameterSet.clone();
            spsInfo = parseSps(sps);
        }
        if (pictureParameterSet != null)
        {
            pps = pictureParameterSet.clone();
        }
    }

    /**
     * The cached SPS.
     *
     * @return a copy, or null if none was seen.
     */
    public byte[] sequenceParameterSet()
    {
        return sps == null ? null : sps.clone();
    }

    /**
     * The cached PPS.
     *
     * @return a copy, or null if none was seen.
     */
    public byte[] pictureParameterSet()
    {
        return pps == null ? null : pps.clone();
    }

    /**
     * Processes the next RTP packet in sequence order. The packet is only read, not retained or released.
     *
     * @param packet the RTP packet between its reader and writer indices.
     * @return false if the packet was malformed and dropped (counted).
     */
    public boolean onPacket(final ByteBuf packet)
    {
        try
        {
            header.wrap(packet);
        }
        catch (final RtpH264Exception ex)
        {
            malformedPackets++;
            return false;
        }
        packets++;
        final int seq = header.sequenceNumber();
        final long timestamp = header.timestamp();
        if (haveSequence && ssrcKnown && header.ssrc() != ssrc)
        {
            loss();
        }
        else if (haveSequence)
        {
            final int delta = (short)(seq - lastSequence);
            if (delta <= 0)
            {
                malformedPackets++;
                return false;
            }
            if (delta > 1)
            {
                loss();
            }
        }
        haveSequence = true;
        lastSequence = seq;
        ssrc = header.ssrc();
        ssrcKnown = true;

        if (auOpen && timestamp != auTimestamp)
        {
            closeAccessUnit();
        }
        if (!auOpen)
        {
            openAccessUnit(timestamp);
        }
        else
        {
            pendingGap = false;
        }
        final boolean ok = payload(packet, header.payloadIndex(), header.payloadLength());
        if (header.marker() && auHasPicture)
        {
            closeAccessUnit();
        }
        return ok;
    }

    /**
     * Tells the depacketizer that packets were lost before the next one (for example from
     * {@link JitterBufferListener#onLoss(long, long)}); gaps are also detected from sequence numbers.
     */
    public void onLoss()
    {
        loss();
        haveSequence = false;
    }

    /**
     * Closes the access unit in progress, for the end of a stream. As its last packet (the one with the marker bit)
     * did not arrive, it counts as touched by loss.
     */
    public void flush()
    {
        if (auOpen)
        {
            auDamaged = true;
            closeAccessUnit();
        }
    }

    /**
     * Sets the sequence number expected next, such as the {@code seq} of an RTSP {@code RTP-Info} header, so that
     * loss of the very first packets is detected too.
     *
     * @param sequenceNumber the first sequence number of the stream, 0 to 65535.
     */
    public void expectSequenceNumber(final int sequenceNumber)
    {
        haveSequence = true;
        lastSequence = (sequenceNumber - 1) & 0xFFFF;
    }

    /**
     * RTP packets processed (excluding malformed ones).
     *
     * @return the count.
     */
    public long packets()
    {
        return packets;
    }

    /**
     * Access units emitted.
     *
     * @return the count.
     */
    public long accessUnits()
    {
        return accessUnits;
    }

    /**
     * Access units dropped because of loss.
     *
     * @return the count.
     */
    public long droppedAccessUnits()
    {
        return droppedAccessUnits;
    }

    /**
     * FU-A fragments and partial NAL units discarded.
     *
     * @return the count.
     */
    public long discardedFragments()
    {
        return discardedFragments;
    }

    /**
     * Packets dropped as malformed, unsupported or out of order.
     *
     * @return the count.
     */
    public long malformedPackets()
    {
        return malformedPackets;
    }

    /**
     * Loss bursts seen (each produced one keyframe request).
     *
     * @return the count.
     */
    public long lossBursts()
    {
        return lossBursts;
    }

    private void loss()
    {
        final boolean midNalUnit = fragmentOpen;
        dropFragment();
        if (auOpen)
        {
            if (auHasPicture || midNalUnit)
            {
                auDamaged = true;
            }
            else
            {
                auGapBeforePicture = true;
            }
        }
        pendingGap = true;
        lossBursts++;
        listener.onKeyframeRequest();
    }

    private void dropFragment()
    {
        if (fragmentOpen)
        {
            fragmentOpen = false;
            discardedFragments++;
        }
    }

    private void openAccessUnit(final long timestamp)
    {
        auOpen = true;
        auTimestamp = timestamp;
        auDamaged = false;
        auGapBeforePicture = pendingGap;
        pendingGap = false;
        auKeyframe = false;
        auHasSps = false;
        auHasPps = false;
        auHasPicture = false;
        accessUnit.clear();
    }

    private void closeAccessUnit()
    {
        auOpen = false;
        if (fragmentOpen)
        {
            dropFragment();
            auDamaged = true;
        }
        if (auGapBeforePicture)
        {
            auGapBeforePicture = false;
            auDamaged = true;
        }
        if (auDamaged && lossPolicy == LossPolicy.DROP_UNTIL_KEYFRAME)
        {
            waitingForKeyframe = true;
        }
        if (accessUnit.readableBytes() == 0)
        {
            return;
        }
        if (waitingForKeyframe)
        {
            if (auKeyframe && !auDamaged)
            {
                waitingForKeyframe = false;
            }
            else
            {
                droppedAccessUnits++;
                return;
            }
        }
        if (auDamaged && lossPolicy == LossPolicy.DROP_UNTIL_KEYFRAME)
        {
            droppedAccessUnits++;
            return;
        }
        accessUnits++;
        listener.onAccessUnit(accessUnit, auTimestamp, auKeyframe, !auDamaged);
        accessUnit.clear();
    }

    private boolean payload(final ByteBuf buf, final int index, final int length)
    {
        if (length < 1)
        {
            malformedPackets++;
            return false;
        }
        final int indicator = buf.getUnsignedByte(index);
        if ((indicator & 0x80) != 0)
        {
            malformedPackets++;
            return false;
        }
        final int type = indicator & 0x1F;
        if (type >= 1 && type <= 23)
        {
            dropFragment();
            nalUnit(buf, index, length);
            return true;
        }
        if (type == NalUnitType.STAP_A)
        {
            dropFragment();
            return stapA(buf, index + 1, length - 1);
        }
        if (type == NalUnitType.FU_A)
        {
            return fuA(buf, index, length);
        }
        malformedPackets++;
        return false;
    }

    private boolean stapA(final ByteBuf buf, final int index, final int length)
    {
        final int end = index + length;
        int i = index;
        while (i + 2 <= end)
        {
            final int size = buf.getUnsignedShort(i);
            i += 2;
            if (size == 0 || size > end - i || (buf.getByte(i) & 0x80) != 0)
            {
                malformedPackets++;
                auDamaged = true;
                return false;
            }
            nalUnit(buf, i, size);
            i += size;
        }
        if (i != end)
        {
            malformedPackets++;
            auDamaged = true;
            return false;
        }
        return true;
    }

    private boolean fuA(final ByteBuf buf, final int index, final int length)
    {
        if (length < 3)
        {
            malformedPackets++;
            dropFragment();
            return false;
        }
        final int indicator = buf.getUnsignedByte(index);
        final int fuHeader = buf.getUnsignedByte(index + 1);
        final boolean start = (fuHeader & 0x80) != 0;
        final boolean end = (fuHeader & 0x40) != 0;
        if (start)
        {
            if (fragmentOpen)
            {
                discardedFragments++;
                auDamaged = true;
            }
            if (end)
            {
                malformedPackets++;
                fragmentOpen = false;
                return false;
            }
            fragment.clear();
            fragment.writeByte((indicator & 0xE0) | (fuHeader & 0x1F));
            fragmentOpen = true;
        }
        else if (!fragmentOpen)
        {
            discardedFragments++;
            auDamaged = true;
            return false;
        }
        if (fragment.readableBytes() + length - 2 > MAX_NAL_UNIT_LENGTH)
        {
            malformedPackets++;
            dropFragment();
            auDamaged = true;
            return false;
        }
        fragment.writeBytes(buf, index + 2, length - 2);
        if (end)
        {
            fragmentOpen = false;
            nalUnit(fragment, fragment.readerIndex(), fragment.readableBytes());
        }
        return true;
    }

    private void nalUnit(final ByteBuf buf, final int index, final int length)
    {
        final int type = NalUnitType.of(buf.getByte(index));
        if (type == NalUnitType.SPS)
        {
            final byte[] before = sps;
            sps = cache(sps, buf, index, length);
            if (sps != before)
            {
                spsInfo = parseSps(sps);
            }
            auHasSps = true;
        }
        else if (type == NalUnitType.PPS)
        {
            pps = cache(pps, buf, index, length);
            auHasPps = true;
        }
        else if (NalUnitType.isPicture(type))
        {
            if (!auHasPicture)
            {
                firstSlice(buf, index, length, type);
            }
            if (type == NalUnitType.IDR)
            {
                auKeyframe = true;
                if (!auHasPicture)
                {
                    if (!auHasSps && sps != null)
                    {
                        AnnexB.writeNalUnit(accessUnit, sps);
                        auHasSps = true;
                    }
                    if (!auHasPps && pps != null)
                    {
                        AnnexB.writeNalUnit(accessUnit, pps);
                        auHasPps = true;
                    }
                }
            }
            auHasPicture = true;
        }
        AnnexB.writeNalUnit(accessUnit, buf, index, length);
    }

    /**
     * Checks the first slice of an access unit that follows a gap: the access unit is whole only if this slice starts
     * the picture ({@code first_mb_in_slice == 0}) and its {@code frame_num} follows the last picture's (or it is an
     * IDR), so that only non-picture NAL units (delimiters, SEI, repeated parameter sets) can have been lost.
     */
    private void firstSlice(final ByteBuf buf, final int index, final int length, final int type)
    {
        final boolean reference = (buf.getByte(index) & 0x60) != 0;
        final int frameNum = frameNum(buf, index, length);
        if (auGapBeforePicture)
        {
            auGapBeforePicture = false;
            final boolean firstMbZero = length > 1 && (buf.getByte(index + 1) & 0x80) != 0;
            final boolean continuous = type == NalUnitType.IDR || (frameNum >= 0 && lastFrameNum >= 0
                && frameNum == (lastReference ? (lastFrameNum + 1) & ((1 << spsInfo.log2MaxFrameNum()) - 1) : lastFrameNum));
            if (!firstMbZero || !continuous)
            {
                auDamaged = true;
            }
        }
        lastFrameNum = frameNum;
        lastReference = reference;
    }

    private int frameNum(final ByteBuf buf, final int index, final int length)
    {
        if (spsInfo == null || length < 2)
        {
            return -1;
        }
        final int n = Math.min(sliceHeader.length, length - 1);
        buf.getBytes(index + 1, sliceHeader, 0, n);
        try
        {
            sliceReader.reset(sliceHeader, 0, n);
            sliceReader.readUe();
            sliceReader.readUe();
            sliceReader.readUe();
            if (spsInfo.separateColourPlane())
            {
                sliceReader.readBits(2);
            }
            return (int)sliceReader.readBits(spsInfo.log2MaxFrameNum());
        }
        catch (final IllegalStateException ex)
        {
            return -1;
        }
    }

    private static SequenceParameterSet parseSps(final byte[] nal)
    {
        try
        {
            return SequenceParameterSet.parse(nal);
        }
        catch (final RtpH264Exception ex)
        {
            return null;
        }
    }

    private static byte[] cache(final byte[] cached, final ByteBuf buf, final int index, final int length)
    {
        if (cached != null && cached.length == length)
        {
            boolean same = true;
            for (int i = 0; i < length && same; i++)
            {
                same = cached[i] == buf.getByte(index + i);
            }
            if (same)
            {
                return cached;
            }
        }
        final byte[] copy = new byte[length];
        buf.getBytes(index, copy);
        return copy;
    }

    @Override
    public String toString()
    {
        return "H264Depacketizer{packets=" + packets + ", accessUnits=" + accessUnits + ", dropped=" + droppedAccessUnits
            + ", discardedFragments=" + discardedFragments + ", malformed=" + malformedPackets + ", lossBursts=" + lossBursts
            + ", sps=" + (sps == null ? "none" : Arrays.toString(Arrays.copyOf(sps, Math.min(4, sps.length)))) + '}';
    }
}
