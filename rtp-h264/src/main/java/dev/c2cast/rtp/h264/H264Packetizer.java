package dev.c2cast.rtp.h264;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The RFC 6184 sender: turns one Annex B access unit at a time into RTP packets, in packetization mode 0 (single NAL
 * unit packets) or mode 1 (plus FU-A fragmentation, section 5.8, and optionally STAP-A aggregation, section 5.7.1).
 * <p>
 * The caller gives the RTP timestamp of each access unit, because a raw Annex B stream carries none. The marker bit
 * is set on the last packet of the access unit only. The last SPS and PPS seen (or given with
 * {@link #parameterSets(byte[], byte[])}) are inserted before the first slice of every IDR access unit that does not
 * carry them itself, never before later slices. In mode 0 a NAL unit larger than one packet fails the whole access
 * unit, before any packet is sent, with {@link RtpH264Exception.Reason#OVERSIZE_NAL_UNIT}; encode with a slice size
 * limit (x264 {@code slice-max-size}) instead.
 * <p>
 * FU-A is done by slicing: packets reference the access unit's bytes and only the 12 to 14 header bytes (and STAP-A
 * aggregates) are written to a reused scratch buffer, so packetizing allocates nothing per packet.
 * <p>
 * Not thread-safe: one packetizer per stream, confined to one thread.
 */
public final class H264Packetizer
{
    private final PacketizerConfig config;
    private final int maxPayload;
    private final ByteBuf scratch;
    private final NalUnitListener collector = this::collect;
    private ByteBuf[] itemBuffers = new ByteBuf[64];
    private int[] itemIndices = new int[64];
    private int[] itemLengths = new int[64];
    private int itemCount;
    private ByteBuf auBuffer;
    private int[] nalIndices = new int[64];
    private int[] nalLengths = new int[64];
    private int nalCount;
    private ByteBuf sps;
    private ByteBuf pps;
    private int sequence;
    private long packetCount;
    private long octetCount;

    /**
     * Creates a packetizer.
     *
     * @param config the settings.
     */
    public H264Packetizer(final PacketizerConfig config)
    {
        this.config = config;
        this.maxPayload = config.maxPayloadSize();
        this.scratch = Unpooled.buffer(config.maxPacketSize(), config.maxPacketSize());
        this.sequence = config.initialSequenceNumber();
    }

    /**
     * The settings.
     *
     * @return the configuration.
     */
    public PacketizerConfig config()
    {
        return config;
    }

    /**
     * Seeds the parameter sets inserted before IDR access units that lack them.
     *
     * @param sequenceParameterSet the SPS NAL unit, or null to keep the current one.
     * @param pictureParameterSet  the PPS NAL unit, or null to keep the current one.
     */
    public void parameterSets(final byte[] sequenceParameterSet, final byte[] pictureParameterSet)
    {
        if (sequenceParameterSet != null)
        {
            sps = Unpooled.wrappedBuffer(sequenceParameterSet.clone());
        }
        if (pictureParameterSet != null)
        {
            pps = Unpooled.wrappedBuffer(pictureParameterSet.clone());
        }
    }

    /**
     * The sequence number the next packet will carry.
     *
     * @return 0 to 65535.
     */
    public int nextSequenceNumber()
    {
        return sequence;
    }

    /**
     * Packets produced so far (the RTCP SR sender's packet count).
     *
     * @return the count.
     */
    public long packetCount()
    {
        return packetCount;
    }

    /**
     * Payload octets produced so far (the RTCP SR sender's octet count).
     *
     * @return the count.
     */
    public long octetCount()
    {
        return octetCount;
    }

    /**
     * Packetizes one access unit given in Annex B form between the buffer's reader and writer indices. The buffer's
     * indices are not changed and it must stay unchanged until this method returns.
     *
     * @param accessUnit the access unit.
     * @param timestamp  its RTP timestamp (90 kHz clock; the low 32 bits are used).
     * @param sink       receives the packets, in order.
     * @return the number of packets produced.
     * @throws RtpH264Exception with {@link RtpH264Exception.Reason#OVERSIZE_NAL_UNIT} in mode 0 if a NAL unit does
     *                          not fit in one packet; nothing is sent then.
     */
    public int packetize(final ByteBuf accessUnit, final long timestamp, final RtpPacketSink sink)
    {
        auBuffer = accessUnit;
        nalCount = 0;
        AnnexB.forEachNalUnit(accessUnit, collector);
        auBuffer = null;
        return packetizeCollected(accessUnit, timestamp, sink);
    }

    /**
     * Packetizes one access unit given as NAL units without start codes in one buffer.
     *
     * @param buffer    the buffer holding the NAL units.
     * @param indices   absolute index of each NAL unit.
     * @param lengths   length of each NAL unit.
     * @param count     number of NAL units.
     * @param timestamp the RTP timestamp.
     * @param sink      receives the packets.
     * @return the number of packets produced.
     */
    public int packetize(
        final ByteBuf buffer, final int[] indices, final int[] lengths, final int count, final long timestamp, final RtpPacketSink sink)
    {
        nalCount = 0;
        for (int i = 0; i < count; i++)
        {
            collect(buffer, indices[i], lengths[i]);
        }
        return packetizeCollected(buffer, timestamp, sink);
    }

    private void collect(final ByteBuf buffer, final int index, final int length)
    {
        if (nalCount == nalIndices.length)
        {
            nalIndices = java.util.Arrays.copyOf(nalIndices, nalCount * 2);
            nalLengths = java.util.Arrays.copyOf(nalLengths, nalCount * 2);
        }
        nalIndices[nalCount] = index;
        nalLengths[nalCount] = length;
        nalCount++;
    }

    private int packetizeCollected(final ByteBuf buffer, final long timestamp, final RtpPacketSink sink)
    {
        int firstPicture = -1;
        boolean hasSps = false;
        boolean hasPps = false;
        for (int i = 0; i < nalCount; i++)
        {
            final int type = NalUnitType.of(buffer.getByte(nalIndices[i]));
            if (type == NalUnitType.SPS)
            {
                sps = cache(sps, buffer, nalIndices[i], nalLengths[i]);
                if (firstPicture < 0)
                {
                    hasSps = true;
                }
            }
            else if (type == NalUnitType.PPS)
            {
                pps = cache(pps, buffer, nalIndices[i], nalLengths[i]);
                if (firstPicture < 0)
                {
                    hasPps = true;
                }
            }
            else if (firstPicture < 0 && NalUnitType.isPicture(type))
            {
                firstPicture = i;
            }
        }
        final boolean insert = firstPicture >= 0
            && NalUnitType.of(buffer.getByte(nalIndices[firstPicture])) == NalUnitType.IDR;
        itemCount = 0;
        for (int i = 0; i < nalCount; i++)
        {
            if (insert && i == firstPicture)
            {
                if (!hasSps && sps != null)
                {
                    addItem(sps, 0, sps.readableBytes());
                }
                if (!hasPps && pps != null)
                {
                    addItem(pps, 0, pps.readableBytes());
                }
            }
            addItem(buffer, nalIndices[i], nalLengths[i]);
        }
        if (config.packetizationMode() == 0)
        {
            for (int i = 0; i < itemCount; i++)
            {
                if (itemLengths[i] > maxPayload)
                {
                    clearItems();
                    throw new RtpH264Exception(
                        RtpH264Exception.Reason.OVERSIZE_NAL_UNIT,
                        "NAL unit of " + itemLengths[i] + " bytes exceeds the " + maxPayload + "-byte payload of packetization-mode 0");
                }
            }
        }
        int packets = 0;
        int i = 0;
        while (i < itemCount)
        {
            final int aggregated = config.aggregate() ? aggregateCount(i) : 1;
            if (aggregated >= 2)
            {
                packets += stapA(i, aggregated, timestamp, sink);
                i += aggregated;
                continue;
            }
            final boolean last = i == itemCount - 1;
            if (itemLengths[i] <= maxPayload)
            {
                scratch.clear();
                RtpHeader.writeFixedHeader(scratch, last, config.payloadType(), sequence, timestamp, config.ssrc());
                emit(sink, itemBuffers[i], itemIndices[i], itemLengths[i]);
                packets++;
            }
            else
            {
                packets += fuA(itemBuffers[i], itemIndices[i], itemLengths[i], last, timestamp, sink);
            }
            i++;
        }
        clearItems();
        return packets;
    }

    private int aggregateCount(final int first)
    {
        int size = 1;
        int count = 0;
        for (int i = first; i < itemCount; i++)
        {
            final int next = size + 2 + itemLengths[i];
            if (next > maxPayload)
            {
                break;
            }
            size = next;
            count++;
        }
        return count;
    }

    private int stapA(final int first, final int count, final long timestamp, final RtpPacketSink sink)
    {
        final boolean last = first + count == itemCount;
        scratch.clear();
        RtpHeader.writeFixedHeader(scratch, last, config.payloadType(), sequence, timestamp, config.ssrc());
        int f = 0;
        int nri = 0;
        for (int i = first; i < first + count; i++)
        {
            final int h = itemBuffers[i].getUnsignedByte(itemIndices[i]);
            f |= h & 0x80;
            nri = Math.max(nri, h & 0x60);
        }
        scratch.writeByte(f | nri | NalUnitType.STAP_A);
        for (int i = first; i < first + count; i++)
        {
            scratch.writeShort(itemLengths[i]);
            scratch.writeBytes(itemBuffers[i], itemIndices[i], itemLengths[i]);
        }
        emit(sink, scratch, 0, 0);
        return 1;
    }

    private int fuA(
        final ByteBuf buffer, final int index, final int length, final boolean lastNal, final long timestamp, final RtpPacketSink sink)
    {
        final int nalHeader = buffer.getUnsignedByte(index);
        final int indicator = (nalHeader & 0xE0) | NalUnitType.FU_A;
        final int type = nalHeader & 0x1F;
        final int maxFragment = maxPayload - 2;
        int offset = index + 1;
        int remaining = length - 1;
        int packets = 0;
        boolean start = true;
        while (remaining > 0)
        {
            final int chunk = Math.min(maxFragment, remaining);
            final boolean end = chunk == remaining;
            scratch.clear();
            RtpHeader.writeFixedHeader(scratch, lastNal && end, config.payloadType(), sequence, timestamp, config.ssrc());
            scratch.writeByte(indicator);
            scratch.writeByte((start ? 0x80 : 0) | (end ? 0x40 : 0) | type);
            emit(sink, buffer, offset, chunk);
            offset += chunk;
            remaining -= chunk;
            start = false;
            packets++;
        }
        return packets;
    }

    private void emit(final RtpPacketSink sink, final ByteBuf payload, final int index, final int length)
    {
        sequence = (sequence + 1) & 0xFFFF;
        packetCount++;
        octetCount += scratch.readableBytes() - RtpHeader.FIXED_HEADER_LENGTH + length;
        sink.onPacket(scratch, payload, index, length);
    }

    private void addItem(final ByteBuf buffer, final int index, final int length)
    {
        if (itemCount == itemIndices.length)
        {
            itemBuffers = java.util.Arrays.copyOf(itemBuffers, itemCount * 2);
            itemIndices = java.util.Arrays.copyOf(itemIndices, itemCount * 2);
            itemLengths = java.util.Arrays.copyOf(itemLengths, itemCount * 2);
        }
        itemBuffers[itemCount] = buffer;
        itemIndices[itemCount] = index;
        itemLengths[itemCount] = length;
        itemCount++;
    }

    private void clearItems()
    {
        for (int i = 0; i < itemCount; i++)
        {
            itemBuffers[i] = null;
        }
        itemCount = 0;
    }

    private static ByteBuf cache(final ByteBuf cached, final ByteBuf buffer, final int index, final int length)
    {
        if (cached != null && cached.readableBytes() == length && io.netty.buffer.ByteBufUtil.equals(cached, 0, buffer, index, length))
        {
            return cached;
        }
        final byte[] copy = new byte[length];
        buffer.getBytes(index, copy);
        return Unpooled.wrappedBuffer(copy);
    }
}
