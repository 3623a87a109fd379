package dev.c2cast.rtp.h264;

/**
 * Per-source reception statistics of RFC 3550 appendix A.3 and A.8, from which a receiver builds its report block:
 * extended highest sequence number, cumulative and fractional loss (duplicates count as received, so cumulative loss
 * can go negative, as the RFC intends), interarrival jitter, and LSR/DLSR from the last SR received.
 * <p>
 * Feed every packet as it arrives from the network (before any jitter buffer), with its arrival time from the
 * receiver's clock. Not thread-safe: confine to the receiving event loop.
 */
public final class ReceptionStatistics
{
    private final int ssrc;
    private final int clockRate;
    private final SequenceNumberUnwrapper unwrapper = new SequenceNumberUnwrapper();
    private long baseSequence = -1;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private boolean haveTransit;
    private long lastTransit;
    private long jitterQ4;
    private long lastSenderReport;
    private long lastSenderReportArrivalNanos;

    /**
     * Statistics for one source.
     *
     * @param ssrc      the source.
     * @param clockRate its RTP clock rate (90000 for video).
     */
    public ReceptionStatistics(final int ssrc, final int clockRate)
    {
        this.ssrc = ssrc;
        this.clockRate = clockRate;
    }

    /**
     * Records one received RTP packet.
     *
     * @param sequenceNumber its 16-bit sequence number.
     * @param rtpTimestamp   its RTP timestamp.
     * @param arrivalNanos   the receiver's clock at arrival.
     */
    public void onPacket(final int sequenceNumber, final long rtpTimestamp, final long arrivalNanos)
    {
        final long extended = unwrapper.unwrap(sequenceNumber);
        if (baseSequence < 0 || extended < baseSequence)
        {
            baseSequence = extended;
        }
        received++;
        final long arrival = Math.floorDiv(arrivalNanos, 1000L) * clockRate / 1_000_000L;
        final long transit = arrival - (rtpTimestamp & 0xFFFFFFFFL);
        if (haveTransit)
        {
            long d = (int)(transit - lastTransit);
            if (d < 0)
            {
                d = -d;
            }
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        lastTransit = transit;
        haveTransit = true;
    }

    /**
     * Records an SR received from this source, for LSR and DLSR.
     *
     * @param ntpTimestamp the SR's 64-bit NTP timestamp.
     * @param arrivalNanos the receiver's clock at arrival.
     */
    public void onSenderReport(final long ntpTimestamp, final long arrivalNanos)
    {
        lastSenderReport = Rtcp.ntpMiddle(ntpTimestamp);
        lastSenderReportArrivalNanos = arrivalNanos;
    }

    /**
     * The extended highest sequence number (cycles in the high 16 bits).
     *
     * @return the value, with the unwrapper's initial cycle removed so the first cycle is 0.
     */
    public long extendedHighestSequence()
    {
        return unwrapper.highest() < 0 ? 0 : unwrapper.highest() - 65536L;
    }

    /**
     * Packets expected so far: highest minus first sequence number, plus one.
     *
     * @return the count.
     */
    public long expected()
    {
        return baseSequence < 0 ? 0 : unwrapper.highest() - baseSequence + 1;
    }

    /**
     * Packets received so far, duplicates included.
     *
     * @return the count.
     */
    public long received()
    {
        return received;
    }

    /**
     * Cumulative number of packets lost (expected minus received).
     *
     * @return the count, negative after duplicates.
     */
    public long cumulativeLost()
    {
        return expected() - received;
    }

    /**
     * Interarrival jitter in RTP timestamp units.
     *
     * @return the jitter.
     */
    public long jitter()
    {
        return jitterQ4 >> 4;
    }

    /**
     * Builds the report block and starts a new interval for the fraction lost.
     *
     * @param nowNanos the receiver's clock now, for DLSR.
     * @return the block.
     */
    public RtcpReportBlock report(final long nowNanos)
    {
        final long expected = expected();
        final long expectedInterval = expected - expectedPrior;
        final long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        final long lostInterval = expectedInterval - receivedInterval;
        final int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int)((lostInterval << 8) / expectedInterval);
        final long lost = Math.max(-0x800000L, Math.min(0x7FFFFFL, cumulativeLost()));
        final long dlsr = lastSenderReport == 0 ? 0 : (nowNanos - lastSenderReportArrivalNanos) * 65536 / 1_000_000_000L;
        return new RtcpReportBlock(ssrc, Math.min(255, fraction), (int)lost, extendedHighestSequence(), jitter(), lastSenderReport, dlsr);
    }
}
