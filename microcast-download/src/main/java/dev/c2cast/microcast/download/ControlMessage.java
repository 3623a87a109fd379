package dev.c2cast.microcast.download;

/**
 * The MicroDownload control plane: assignments and revocations from the initiator, reports from the devices.
 * Encoded as protobuf by {@link ControlCodec} for the group's reliable messaging.
 */
public sealed interface ControlMessage permits ControlMessage.Assignment, ControlMessage.Revocation,
    ControlMessage.Report
{
    /**
     * The device the message is about.
     *
     * @return the device id.
     */
    int deviceId();

    /**
     * Initiator to device: append {@code segment} to the backlog.
     *
     * @param deviceId         the device.
     * @param segment          the segment.
     * @param endgameDuplicate whether another device holds it too.
     */
    record Assignment(int deviceId, SegmentRange segment, boolean endgameDuplicate) implements ControlMessage
    {
    }

    /**
     * Initiator to device: drop a segment from the backlog.
     *
     * @param deviceId     the device.
     * @param segmentIndex the segment.
     */
    record Revocation(int deviceId, int segmentIndex) implements ControlMessage
    {
    }

    /**
     * Device to initiator: the outcome of a segment.
     *
     * @param deviceId      the device.
     * @param segmentIndex  the segment.
     * @param success       whether it is stored.
     * @param failureReason why it failed, empty on success.
     */
    record Report(int deviceId, int segmentIndex, boolean success, String failureReason) implements ControlMessage
    {
        /**
         * Validates the report.
         *
         * @param deviceId      the device.
         * @param segmentIndex  the segment.
         * @param success       whether it is stored.
         * @param failureReason why it failed, empty on success.
         */
        public Report
        {
            failureReason = failureReason == null ? "" : failureReason;
        }
    }
}
