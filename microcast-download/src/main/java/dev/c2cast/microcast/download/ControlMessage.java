package dev.c2cast.microcast.download;

import java.util.Objects;

/**
 * The MicroDownload control plane: assignments and revocations from the initiator, reports, joins and leaves from
 * the devices. Encoded as protobuf by {@link ControlCodec} for the group's reliable messaging.
 * <p>
 * Every assignment is a <em>lease</em>, numbered by the initiator and never reused: a device downloads a segment
 * only under a lease it holds, answers each revocation of a lease with a {@link Report} ({@link Outcome#STORED} if
 * the segment was already stored, {@link Outcome#DROPPED} otherwise) and never starts a lease it saw revoked.
 */
public sealed interface ControlMessage permits ControlMessage.Assignment, ControlMessage.Revocation,
    ControlMessage.Report, ControlMessage.Join, ControlMessage.Leave
{
    /**
     * The device the message is about.
     *
     * @return the device id.
     */
    int deviceId();

    /**
     * What became of a lease.
     */
    enum Outcome
    {
        /** The segment is stored on the device. */
        STORED,
        /** The download failed; the device no longer holds the lease. */
        FAILED,
        /** Answer to a revocation: the device dropped the lease without storing the segment, and never will. */
        DROPPED
    }

    /**
     * Initiator to device: append {@code segment} to the backlog under {@code lease}.
     *
     * @param deviceId         the device.
     * @param segment          the segment.
     * @param lease            the lease number, positive, never reused by the initiator.
     * @param endgameDuplicate whether another device holds it too.
     */
    record Assignment(int deviceId, SegmentRange segment, long lease, boolean endgameDuplicate) implements ControlMessage
    {
        /**
         * Validates the assignment.
         *
         * @param deviceId         the device.
         * @param segment          the segment.
         * @param lease            the lease number.
         * @param endgameDuplicate whether another device holds it too.
         */
        public Assignment
        {
            Objects.requireNonNull(segment, "segment");
        }
    }

    /**
     * Initiator to device: give up a lease, dropping the segment from the backlog or aborting it, and answer with a
     * {@link Report}.
     *
     * @param deviceId     the device.
     * @param segmentIndex the segment.
     * @param lease        the lease revoked.
     */
    record Revocation(int deviceId, int segmentIndex, long lease) implements ControlMessage
    {
    }

    /**
     * Device to initiator: the outcome of a lease, sent when the download ends and again in answer to a revocation.
     *
     * @param deviceId      the device.
     * @param segmentIndex  the segment.
     * @param lease         the lease.
     * @param outcome       what became of it.
     * @param failureReason why it failed, empty otherwise.
     */
    record Report(int deviceId, int segmentIndex, long lease, Outcome outcome, String failureReason)
        implements ControlMessage
    {
        /**
         * Validates the report.
         *
         * @param deviceId      the device.
         * @param segmentIndex  the segment.
         * @param lease         the lease.
         * @param outcome       what became of it.
         * @param failureReason why it failed, empty otherwise.
         */
        public Report
        {
            Objects.requireNonNull(outcome, "outcome");
            failureReason = failureReason == null ? "" : failureReason;
        }

        /**
         * Whether the segment is stored on the device.
         *
         * @return {@code true} for {@link Outcome#STORED}.
         */
        public boolean success()
        {
            return outcome == Outcome.STORED;
        }
    }

    /**
     * Device to initiator: the device has a cellular link and takes part in the download.
     *
     * @param deviceId the device.
     */
    record Join(int deviceId) implements ControlMessage
    {
    }

    /**
     * Device to initiator: the device stops downloading; its leases are reassigned.
     *
     * @param deviceId the device.
     */
    record Leave(int deviceId) implements ControlMessage
    {
    }
}
