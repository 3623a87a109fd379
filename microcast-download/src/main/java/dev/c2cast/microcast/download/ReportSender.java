package dev.c2cast.microcast.download;

/**
 * Where a {@link Requester} sends the outcome of each segment: to the initiator's scheduler, in process or over the
 * group's reliable messaging (encode with {@link ControlCodec}).
 */
@FunctionalInterface
public interface ReportSender
{
    /**
     * Sends a report; may be called from any thread.
     *
     * @param report the outcome of one segment.
     */
    void send(ControlMessage.Report report);
}
