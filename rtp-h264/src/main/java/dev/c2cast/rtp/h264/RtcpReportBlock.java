package dev.c2cast.rtp.h264;

/**
 * One reception report block of an RTCP SR or RR (RFC 3550 section 6.4.1).
 *
 * @param ssrc                    the source reported on.
 * @param fractionLost            lost fraction since the previous report, in 1/256 units (0 to 255).
 * @param cumulativeLost          packets lost since the start, signed 24-bit (negative when duplicates arrived).
 * @param extendedHighestSequence cycles in the high 16 bits, highest sequence number in the low 16.
 * @param jitter                  interarrival jitter in RTP timestamp units.
 * @param lastSenderReport        LSR: the middle 32 bits of the NTP timestamp of the last SR received, or 0.
 * @param delaySinceLastSenderReport DLSR: delay since that SR in 1/65536 seconds, or 0.
 */
public record RtcpReportBlock(
    int ssrc,
    int fractionLost,
    int cumulativeLost,
    long extendedHighestSequence,
    long jitter,
    long lastSenderReport,
    long delaySinceLastSenderReport)
{
    /** Length of a report block in bytes. */
    public static final int LENGTH = 24;

    /**
     * Round-trip time seen by the sender of the SR this block answers (RFC 3550 section 6.4.1): arrival minus LSR
     * minus DLSR.
     *
     * @param arrivalNtpMiddle the middle 32 bits of the NTP time at which this report arrived.
     * @return the round-trip time in nanoseconds, or -1 if the block carries no LSR.
     */
    public long roundTripNanos(final long arrivalNtpMiddle)
    {
        if (lastSenderReport == 0)
        {
            return -1;
        }
        final long units = (arrivalNtpMiddle - lastSenderReport - delaySinceLastSenderReport) & 0xFFFFFFFFL;
        return units * 1_000_000_000L / 65536;
    }
}
