/**
 * Generated Protocol Buffers control messages of this module; not exported.
 */
package dev.c2cast.microcast.download.wire;
