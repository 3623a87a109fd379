/**
 * Internals of the H.264 RTP library (bit readers, byte scanning); not exported.
 */
package dev.c2cast.rtp.h264.internal;
