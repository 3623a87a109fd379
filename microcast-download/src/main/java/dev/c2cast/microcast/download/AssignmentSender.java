package dev.c2cast.microcast.download;

/**
 * Where {@link MicroDownload} sends its decisions: to the requesters of the devices, in process or over the
 * group's reliable messaging ({@link ControlCodec} turns them into protobuf bytes).
 * <p>
 * Called on the scheduler's thread; implementations must not call back into the scheduler (deliver the devices'
 * answers later, as separate events).
 */
public interface AssignmentSender
{
    /**
     * Appends a segment to the FIFO backlog of a device under a new lease.
     *
     * @param deviceId         the device.
     * @param segment          the segment to download.
     * @param lease            the lease number, positive and never reused.
     * @param endgameDuplicate whether another device holds the same segment (endgame).
     */
    void assign(int deviceId, SegmentRange segment, long lease, boolean endgameDuplicate);

    /**
     * Revokes a lease: the device drops the segment, or aborts it if in progress, and answers with a report of the
     * lease ({@link ControlMessage.Outcome#STORED} if it had already stored it, {@link ControlMessage.Outcome#DROPPED}
     * otherwise).
     *
     * @param deviceId     the device.
     * @param segmentIndex the segment.
     * @param lease        the lease revoked.
     */
    void revoke(int deviceId, int segmentIndex, long lease);
}
