package dev.c2cast.microcast.download;

/**
 * A snapshot of what one device has done in a download, as seen by the {@link MicroDownload} scheduler.
 *
 * @param deviceId             the device.
 * @param bytesDownloaded      bytes of the segments it completed first.
 * @param segmentsCompleted    segments it completed first.
 * @param backlog              segments currently assigned to it.
 * @param backlogLimit         its current assignment limit (lowered on a bad link).
 * @param coolingDown          whether it is in its backoff after a failure (gets no new segment).
 * @param failures             failures it reported.
 * @param timeouts             times it was declared stalled.
 * @param reassignedAway       segments taken from it and given to other devices.
 * @param reassignedTo         segments taken from other devices and given to it.
 * @param endgameDuplicates    endgame duplicates it was given.
 * @param lateCompletions      segments it completed after they had been taken from it (its report crossed the
 *                             revocation); accepted, the other copy is revoked.
 * @param rateBytesPerSecond   its smoothed download rate, 0 until it completed a segment.
 */
public record DeviceStatistics(
    int deviceId,
    long bytesDownloaded,
    int segmentsCompleted,
    int backlog,
    int backlogLimit,
    boolean coolingDown,
    int failures,
    int timeouts,
    int reassignedAway,
    int reassignedTo,
    int endgameDuplicates,
    int lateCompletions,
    double rateBytesPerSecond)
{
}
