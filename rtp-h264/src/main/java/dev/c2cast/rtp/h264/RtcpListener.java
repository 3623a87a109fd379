package dev.c2cast.rtp.h264;

/**
 * Receives the parts of an RTCP compound packet from {@link Rtcp#parse(io.netty.buffer.ByteBuf, int, int, RtcpListener)}.
 * Every method has an empty default so a listener implements only what it needs.
 */
public interface RtcpListener
{
    /**
     * The sender information of an SR (RFC 3550 section 6.4.1).
     *
     * @param ssrc         the sender.
     * @param ntpTimestamp 64-bit NTP time of the report.
     * @param rtpTimestamp the RTP time of the same instant.
     * @param packetCount  packets sent.
     * @param octetCount   payload octets sent.
     */
    default void onSenderReport(int ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount)
    {
    }

    /**
     * A receiver report header (RFC 3550 section 6.4.2), before its blocks.
     *
     * @param ssrc the reporter.
     */
    default void onReceiverReport(int ssrc)
    {
    }

    /**
     * One reception report block of an SR or RR.
     *
     * @param reporterSsrc the reporter.
     * @param block        the block.
     */
    default void onReportBlock(int reporterSsrc, RtcpReportBlock block)
    {
    }

    /**
     * One SDES item (RFC 3550 section 6.5).
     *
     * @param ssrc     the source described.
     * @param itemType 1 for CNAME.
     * @param value    the item text.
     */
    default void onSourceDescription(int ssrc, int itemType, String value)
    {
    }

    /**
     * One source of a BYE (RFC 3550 section 6.6).
     *
     * @param ssrc the source leaving.
     */
    default void onBye(int ssrc)
    {
    }

    /**
     * One lost packet named by a generic NACK (RFC 4585 section 6.2.1).
     *
     * @param senderSsrc     the receiver asking.
     * @param mediaSsrc      the media source.
     * @param sequenceNumber the missing sequence number.
     */
    default void onNack(int senderSsrc, int mediaSsrc, int sequenceNumber)
    {
    }

    /**
     * A picture loss indication (RFC 4585 section 6.3.1): the receiver asks for an IDR picture.
     *
     * @param senderSsrc the receiver asking.
     * @param mediaSsrc  the media source.
     */
    default void onPictureLossIndication(int senderSsrc, int mediaSsrc)
    {
    }
}
