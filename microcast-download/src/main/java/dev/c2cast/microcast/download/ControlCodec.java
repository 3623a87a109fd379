package dev.c2cast.microcast.download;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.c2cast.microcast.download.wire.DeviceMembershipMessage;
import dev.c2cast.microcast.download.wire.MicroDownloadMessage;
import dev.c2cast.microcast.download.wire.SegmentAssignmentMessage;
import dev.c2cast.microcast.download.wire.SegmentOutcome;
import dev.c2cast.microcast.download.wire.SegmentReportMessage;
import dev.c2cast.microcast.download.wire.SegmentRevocationMessage;

/**
 * Encodes {@link ControlMessage}s as protobuf bytes and decodes them, rejecting malformed input with a
 * {@link MicroDownloadException}. Stateless and thread-safe.
 */
public final class ControlCodec
{
    /** Longest failure reason carried; longer ones are cut. */
    public static final int MAX_REASON_LENGTH = 256;

    private ControlCodec()
    {
    }

    /**
     * Encodes a message.
     *
     * @param message the message.
     * @return its protobuf encoding.
     */
    public static byte[] encode(final ControlMessage message)
    {
        final MicroDownloadMessage.Builder envelope = MicroDownloadMessage.newBuilder();
        if (message instanceof ControlMessage.Assignment a)
        {
            envelope.setAssignment(SegmentAssignmentMessage.newBuilder()
                .setDeviceId(a.deviceId())
                .setSegmentIndex(a.segment().index())
                .setOffset(a.segment().offset())
                .setLength(a.segment().length())
                .setEndgameDuplicate(a.endgameDuplicate())
                .setLease(a.lease()));
        }
        else if (message instanceof ControlMessage.Revocation r)
        {
            envelope.setRevocation(SegmentRevocationMessage.newBuilder()
                .setDeviceId(r.deviceId())
                .setSegmentIndex(r.segmentIndex())
                .setLease(r.lease()));
        }
        else if (message instanceof ControlMessage.Report r)
        {
            final String reason = r.failureReason();
            envelope.setReport(SegmentReportMessage.newBuilder()
                .setDeviceId(r.deviceId())
                .setSegmentIndex(r.segmentIndex())
                .setLease(r.lease())
                .setOutcome(switch (r.outcome())
                {
                    case STORED -> SegmentOutcome.STORED;
                    case FAILED -> SegmentOutcome.FAILED;
                    case DROPPED -> SegmentOutcome.DROPPED;
                })
                .setFailureReason(reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason));
        }
        else
        {
            envelope.setMembership(DeviceMembershipMessage.newBuilder().setDeviceId(message.deviceId())
                .setJoined(message instanceof ControlMessage.Join));
        }
        return envelope.build().toByteArray();
    }

    /**
     * Decodes a message.
     *
     * @param bytes  buffer holding the encoding.
     * @param offset first byte.
     * @param length number of bytes.
     * @return the message.
     * @throws MicroDownloadException if the bytes are not a valid message.
     */
    public static ControlMessage decode(final byte[] bytes, final int offset, final int length)
    {
        final MicroDownloadMessage envelope;
        try
        {
            envelope = MicroDownloadMessage.parseFrom(java.nio.ByteBuffer.wrap(bytes, offset, length));
        }
        catch (final InvalidProtocolBufferException | IndexOutOfBoundsException ex)
        {
            throw new MicroDownloadException("malformed MicroDownload message", ex);
        }
        switch (envelope.getBodyCase())
        {
            case ASSIGNMENT:
            {
                final SegmentAssignmentMessage a = envelope.getAssignment();
                final int device = nonNegative(a.getDeviceId(), "device id");
                final int index = nonNegative(a.getSegmentIndex(), "segment index");
                final int segmentLength = a.getLength();
                if (a.getOffset() < 0 || segmentLength <= 0)
                {
                    throw new MicroDownloadException("invalid segment range in assignment");
                }
                return new ControlMessage.Assignment(device, new SegmentRange(index, a.getOffset(), segmentLength),
                    lease(a.getLease()), a.getEndgameDuplicate());
            }
            case REVOCATION:
            {
                final SegmentRevocationMessage r = envelope.getRevocation();
                return new ControlMessage.Revocation(nonNegative(r.getDeviceId(), "device id"),
                    nonNegative(r.getSegmentIndex(), "segment index"), lease(r.getLease()));
            }
            case REPORT:
            {
                final SegmentReportMessage r = envelope.getReport();
                final ControlMessage.Outcome outcome = switch (r.getOutcome())
                {
                    case STORED -> ControlMessage.Outcome.STORED;
                    case FAILED -> ControlMessage.Outcome.FAILED;
                    case DROPPED -> ControlMessage.Outcome.DROPPED;
                    default -> throw new MicroDownloadException("report without a known outcome: " + r.getOutcomeValue());
                };
                return new ControlMessage.Report(nonNegative(r.getDeviceId(), "device id"),
                    nonNegative(r.getSegmentIndex(), "segment index"), lease(r.getLease()), outcome,
                    r.getFailureReason());
            }
            case MEMBERSHIP:
            {
                final DeviceMembershipMessage m = envelope.getMembership();
                final int device = nonNegative(m.getDeviceId(), "device id");
                return m.getJoined() ? new ControlMessage.Join(device) : new ControlMessage.Leave(device);
            }
            default:
                throw new MicroDownloadException("MicroDownload message without a body");
        }
    }

    private static long lease(final long lease)
    {
        if (lease <= 0)
        {
            throw new MicroDownloadException("lease out of range: " + Long.toUnsignedString(lease));
        }
        return lease;
    }

    private static int nonNegative(final int value, final String what)
    {
        if (value < 0)
        {
            throw new MicroDownloadException(what + " out of range: " + Integer.toUnsignedString(value));
        }
        return value;
    }
}
