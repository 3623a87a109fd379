package dev.c2cast.examples.streamsmart;

import java.time.Instant;

import dev.c2cast.rtp.h264.Rtcp;
import dev.c2cast.rtp.h264.RtcpListener;
import dev.c2cast.rtp.h264.RtpHeader;
import dev.c2cast.rtp.h264.RtpTimestamps;
import dev.c2cast.rtp.h264.SequenceNumberUnwrapper;
import io.netty.buffer.ByteBuf;

/**
 * Reception statistics of one RTP stream at one point of the overlay: packets, loss from sequence-number gaps, and
 * one-way latency from the sender's RTCP sender reports (the SR maps an RTP timestamp to the sender's wall clock, so
 * latency = arrival wall time - send wall time of the packet's timestamp; it assumes synchronised clocks, as on one
 * host or under NTP).
 * <p>
 * Written by one thread; the counters are read by any thread (volatile, single writer).
 */
final class StreamMeter implements RtcpListener
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final SequenceNumberUnwrapper sequences = new SequenceNumberUnwrapper();
    private final RtpHeader header = new RtpHeader();
    private boolean started;
    private int ssrc;
    private long firstSequence;
    private long highestSequence;
    private boolean haveReport;
    private long reportWallNanos;
    private long reportRtpTimestamp;
    private volatile long packets;
    private volatile long lost;
    private volatile long latencySamples;
    private volatile long latencySumNanos;
    private volatile long latencyMaxNanos;
    private volatile long lastLatencyNanos;
    private volatile long lastArrivalNanos;
    private volatile long maxGapNanos;

    static long wallNanos()
    {
        final Instant now = Instant.now();
        return now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
    }

    static long ntpToEpochNanos(final long ntpTimestamp)
    {
        final long seconds = (ntpTimestamp >>> 32) - Rtcp.NTP_UNIX_OFFSET_SECONDS;
        final long fraction = ntpTimestamp & 0xffff_ffffL;
        return seconds * NANOS_PER_SECOND + ((fraction * NANOS_PER_SECOND) >>> 32);
    }

    /**
     * One datagram, RTP or RTCP.
     *
     * @param buffer     holds it.
     * @param index      its first byte.
     * @param length     its length.
     * @param wallNanos  arrival time, Unix epoch nanoseconds.
     * @param monoNanos  arrival time on the monotonic clock.
     * @return true if it was RTP.
     */
    boolean onDatagram(final ByteBuf buffer, final int index, final int length, final long wallNanos, final long monoNanos)
    {
        if (Rtcp.isRtcp(buffer, index, length))
        {
            try
            {
                Rtcp.parse(buffer, index, length, this);
            }
            catch (final RuntimeException ex)
            {
                return false;
            }
            return false;
        }
        try
        {
            header.wrap(buffer, index, length);
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
        if (!started || header.ssrc() != ssrc)
        {
            started = true;
            ssrc = header.ssrc();
            sequences.reset();
            firstSequence = sequences.unwrap(header.sequenceNumber());
            highestSequence = firstSequence;
            packets = 0;
            lost = 0;
            lastArrivalNanos = monoNanos;
        }
        else
        {
            highestSequence = Math.max(highestSequence, sequences.unwrap(header.sequenceNumber()));
        }
        final long received = packets + 1;
        packets = received;
        lost = Math.max(0, highestSequence - firstSequence + 1 - received);
        final long gap = monoNanos - lastArrivalNanos;
        if (gap > maxGapNanos)
        {
            maxGapNanos = gap;
        }
        lastArrivalNanos = monoNanos;
        if (haveReport)
        {
            final long sent = reportWallNanos
                + RtpTimestamps.difference(header.timestamp(), reportRtpTimestamp) * NANOS_PER_SECOND / RtpTimestamps.VIDEO_CLOCK_RATE;
            final long latency = wallNanos - sent;
            lastLatencyNanos = latency;
            latencySamples = latencySamples + 1;
            latencySumNanos = latencySumNanos + latency;
            if (latency > latencyMaxNanos)
            {
                latencyMaxNanos = latency;
            }
        }
        return true;
    }

    @Override
    public void onSenderReport(final int reportSsrc, final long ntpTimestamp, final long rtpTimestamp, final long packetCount,
        final long octetCount)
    {
        reportWallNanos = ntpToEpochNanos(ntpTimestamp);
        reportRtpTimestamp = rtpTimestamp;
        haveReport = true;
    }

    long packets()
    {
        return packets;
    }

    long lost()
    {
        return lost;
    }

    double lossPercent()
    {
        final long p = packets;
        final long l = lost;
        return p + l == 0 ? 0 : 100.0 * l / (p + l);
    }

    /**
     * Mean one-way latency, or NaN before the first sender report.
     *
     * @return milliseconds.
     */
    double meanLatencyMillis()
    {
        final long samples = latencySamples;
        return samples == 0 ? Double.NaN : latencySumNanos / 1e6 / samples;
    }

    double maxLatencyMillis()
    {
        return latencySamples == 0 ? Double.NaN : latencyMaxNanos / 1e6;
    }

    double lastLatencyMillis()
    {
        return latencySamples == 0 ? Double.NaN : lastLatencyNanos / 1e6;
    }

    /**
     * The longest pause between two RTP packets: the frame interval in a healthy stream, the repair time after a
     * parent clone died.
     *
     * @return milliseconds.
     */
    double maxGapMillis()
    {
        return maxGapNanos / 1e6;
    }

    long lastArrivalNanos()
    {
        return lastArrivalNanos;
    }
}
