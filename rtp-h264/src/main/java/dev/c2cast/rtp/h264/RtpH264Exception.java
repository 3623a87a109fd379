package dev.c2cast.rtp.h264;

/**
 * The one exception type of this library: malformed input (a packet, a byte stream, an SDP or RTSP message) or a
 * request the configuration cannot honour, such as a NAL unit larger than a packet in packetization mode 0.
 * {@link #reason()} says which, so callers can count rather than parse messages.
 */
public final class RtpH264Exception extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** Why the operation failed. */
    public enum Reason
    {
        /** Input bytes violate the format (RTP, RTCP, RFC 6184 payload, Annex B, SPS). */
        MALFORMED,
        /** A NAL unit does not fit one RTP packet while packetization mode 0 forbids fragmentation. */
        OVERSIZE_NAL_UNIT,
        /** A text message (SDP, RTSP) is syntactically invalid or lacks a required field. */
        BAD_DESCRIPTION,
        /** A buffer or table the caller configured is too small for the input. */
        CAPACITY
    }

    private final Reason reason;

    /**
     * Creates an exception.
     *
     * @param reason  the category.
     * @param message what went wrong, with the offending values.
     */
    public RtpH264Exception(final Reason reason, final String message)
    {
        super(reason + ": " + message);
        this.reason = reason;
    }

    /**
     * The category of the failure.
     *
     * @return the reason.
     */
    public Reason reason()
    {
        return reason;
    }
}
