/**
 * H.264 over RTP (RFC 6184, RFC 3550) with SDP and RTSP (RFC 2326): the media layer of StreamSmart (streamsmart.md, section II).
 */
package dev.c2cast.rtp.h264;
