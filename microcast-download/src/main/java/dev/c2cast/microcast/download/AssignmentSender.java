package dev.c2cast.microcast.download;

/**
 * Where {@link MicroDownload} sends its decisions: to the requesters of the devices, in process or over the
 * group's reliable messaging ({@link ControlCodec} turns them into protobuf bytes).
 * <p>
 * Called on the scheduler's thread; implementations must not call back into the scheduler.
 */
public interface AssignmentSender
{
    /**
     * Appends a segment to the FIFO backlog of a device.
     *
     * @param deviceId         the device.
     * @param segment          the segment to download.
     * @param endgameDuplicate whether another device holds the same segment (endgame).
     */
    void assign(int deviceId, SegmentRange segment, boolean endgameDuplicate);

    /**
     * Removes a segment from a device's backlog; the device aborts it if it is in progress and reports nothing.
     *
     * @param deviceId     the device.
     * @param segmentIndex the segment.
     */
    void revoke(int deviceId, int segmentIndex);
}
