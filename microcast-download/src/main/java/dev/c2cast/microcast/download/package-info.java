/**
 * MicroDownload (microcast.txt, sections V-A and V-D): segment assignment by smallest backlog over the group's
 * cellular links, producers, storage and playback.
 * <p>
 * Where to start:
 * <ul>
 *   <li>{@link MicroDownload} is the scheduler of Alg. 1 as a single-threaded state machine with an injected clock:
 *       every assignment is a numbered lease, failed or stalled segments are reassigned by backlog, devices may join
 *       and leave. {@link DownloadSession} drives it for requesters in one process.</li>
 *   <li>{@link Requester} downloads the segments leased to its device through a {@link SegmentProducer}
 *       ({@link HttpRangeProducer} for HTTP/1.1 range requests with ETag checks, {@link FileProducer} for local or
 *       growing files) into a crash-safe {@link SegmentStore}.</li>
 *   <li>{@link ReliableControlPlane} carries assignments, revocations and reports between devices over
 *       pseudobroadcast's reliable messaging; {@link ControlTransport} is the seam for other carriers.</li>
 *   <li>{@link PlaybackServer} serves the file over HTTP with byte ranges while it is still arriving;
 *       {@link DeviceStatistics} reports bytes, rate, backlog, failures and reassignments per device.</li>
 * </ul>
 */
package dev.c2cast.microcast.download;
