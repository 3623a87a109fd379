/**
 * Internals of the StreamSmart overlay's data plane: the tree data frame, the RTP view used for sequence numbers
 * and keyframes (RFC 3550, RFC 6184), latency histograms, and the optional DTLS layer under the overlay (the
 * record-header flyweight and the per-neighbour handshake driver). Not exported.
 */
package dev.c2cast.streamsmart.tree.internal;
