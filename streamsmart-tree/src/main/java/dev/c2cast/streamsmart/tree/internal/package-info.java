/**
 * Internals of the StreamSmart overlay's data plane: the tree data frame, the RTP view used for sequence numbers
 * and keyframes (RFC 3550, RFC 6184), and latency histograms. Not exported.
 */
package dev.c2cast.streamsmart.tree.internal;
