/**
 * H.264 over RTP (RFC 6184, RFC 3550) with SDP and RTSP (RFC 2326): the media layer of StreamSmart (streamsmart.md,
 * section II).
 * <p>
 * Where to start:
 * <ul>
 *   <li>Sending: {@link AnnexB} splits a raw stream into NAL units (or {@link AvcFormat} for MP4 samples),
 *       {@link H264Packetizer} turns an access unit into RTP packets (single NAL or FU-A, optional STAP-A) for an
 *       {@link RtpPacketSink}; {@link H264MediaDescription} writes and parses the SDP.</li>
 *   <li>Receiving: {@link JitterBuffer} orders packets by extended sequence number, {@link H264Depacketizer}
 *       rebuilds NAL units and never emits a damaged one; {@link Rtcp} writes and parses SR, RR, SDES, BYE, NACK and
 *       PLI, with {@link ReceptionStatistics} for the report blocks.</li>
 *   <li>Serving: {@link RtspServer} publishes {@link LiveStream}s to RTSP players over UDP or interleaved TCP, answers
 *       NACKs from a {@link RetransmissionHistory} and starts late players at the last keyframe; it also takes
 *       streams pushed with ANNOUNCE/RECORD or as plain RTP/UDP and hands them to a {@link PushListener}.
 *       {@link RtspClient} plays from an RTSP server over interleaved TCP; {@link SenderFeedback} answers NACK
 *       and PLI for senders outside the server.</li>
 * </ul>
 * Malformed input from the network raises {@link RtpH264Exception} with a reason, or is counted and dropped.
 */
package dev.c2cast.rtp.h264;
