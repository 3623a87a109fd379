/**
 * Generated Protocol Buffers control messages of this module; not exported.
 */
package dev.c2cast.rtp.h264.wire;
