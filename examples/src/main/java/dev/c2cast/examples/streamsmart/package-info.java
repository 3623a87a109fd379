/**
 * StreamSmart (streamsmart.md, sections II and III) as processes: a sending phone that pushes RTP to its cloud
 * clone, clones that run streamsmart-tree's overlay as a star or a balanced tree rooted at the radix, and viewing
 * phones that pull from their clone over RTSP (rtp-h264); plus the one-command demo comparing star and tree.
 * <p>
 * What the library leaves to its user is here too: the radix's TCP rendezvous ({@code Rendezvous}) hands each
 * joining clone its member id and join token and keeps every clone's directory of tree addresses; its lines are
 * bounded and checked by {@code RendezvousProtocol} before anything acts on them (docs/examples/DESIGN.md).
 */
package dev.c2cast.examples.streamsmart;
