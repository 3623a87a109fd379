/**
 * StreamSmart (streamsmart.md, sections II and III) as processes: a sending phone that pushes RTP to its cloud
 * clone, clones that run streamsmart-tree's overlay as a star or a balanced tree rooted at the radix, and viewing
 * phones that pull from their clone over RTSP (rtp-h264); plus the one-command demo comparing star and tree.
 */
package dev.c2cast.examples.streamsmart;
