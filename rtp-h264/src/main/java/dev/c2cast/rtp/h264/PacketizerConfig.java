package dev.c2cast.rtp.h264;

/**
 * Settings of an {@link H264Packetizer}, validated when built.
 *
 * @param packetizationMode     0 (single NAL unit mode; an oversize NAL unit is an error) or 1 (non-interleaved:
 *                              FU-A for large NAL units).
 * @param maxPacketSize         largest RTP packet in bytes, header included (1200 leaves room for IP, UDP and
 *                              tunnels on a 1500-byte path).
 * @param payloadType           dynamic RTP payload type, 96 to 127 by convention.
 * @param ssrc                  the synchronization source identifier.
 * @param initialSequenceNumber the first sequence number (RFC 3550 recommends a random one).
 * @param aggregate             whether small consecutive NAL units of one access unit share a STAP-A packet (mode 1
 *                              only); off by default because some receivers do not support STAP-A.
 */
public record PacketizerConfig(
    int packetizationMode,
    int maxPacketSize,
    int payloadType,
    int ssrc,
    int initialSequenceNumber,
    boolean aggregate)
{
    /** Default packet size. */
    public static final int MAX_PACKET_SIZE_DEFAULT = 1200;
    /** Default payload type. */
    public static final int PAYLOAD_TYPE_DEFAULT = 96;
    /** Smallest packet size accepted: header, FU-A overhead and one byte. */
    public static final int MAX_PACKET_SIZE_MIN = RtpHeader.FIXED_HEADER_LENGTH + 3;

    /**
     * Validates the settings.
     *
     * @param packetizationMode     0 or 1.
     * @param maxPacketSize         at least {@link #MAX_PACKET_SIZE_MIN}, at most 65507.
     * @param payloadType           0 to 127.
     * @param ssrc                  any.
     * @param initialSequenceNumber 0 to 65535.
     * @param aggregate             STAP-A on or off; must be off in mode 0.
     */
    public PacketizerConfig
    {
        if (packetizationMode != 0 && packetizationMode != 1)
        {
            throw new IllegalArgumentException("packetization-mode must be 0 or 1: " + packetizationMode);
        }
        if (maxPacketSize < MAX_PACKET_SIZE_MIN || maxPacketSize > 65507)
        {
            throw new IllegalArgumentException("maxPacketSize out of range: " + maxPacketSize);
        }
        if (payloadType < 0 || payloadType > 127)
        {
            throw new IllegalArgumentException("payloadType out of range: " + payloadType);
        }
        if (initialSequenceNumber < 0 || initialSequenceNumber > 0xFFFF)
        {
            throw new IllegalArgumentException("initialSequenceNumber out of range: " + initialSequenceNumber);
        }
        if (aggregate && packetizationMode == 0)
        {
            throw new IllegalArgumentException("STAP-A needs packetization-mode 1");
        }
    }

    /**
     * Mode 1, 1200-byte packets, payload type 96, no aggregation.
     *
     * @param ssrc                  the SSRC.
     * @param initialSequenceNumber the first sequence number.
     * @return the settings.
     */
    public static PacketizerConfig defaults(final int ssrc, final int initialSequenceNumber)
    {
        return new PacketizerConfig(1, MAX_PACKET_SIZE_DEFAULT, PAYLOAD_TYPE_DEFAULT, ssrc, initialSequenceNumber, false);
    }

    /**
     * The largest RTP payload.
     *
     * @return {@code maxPacketSize - 12}.
     */
    public int maxPayloadSize()
    {
        return maxPacketSize - RtpHeader.FIXED_HEADER_LENGTH;
    }
}
