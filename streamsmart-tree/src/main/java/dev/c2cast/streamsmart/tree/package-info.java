/**
 * The StreamSmart clone overlay (streamsmart.md, section II): a balanced relay tree of cloud clones rooted at the radix, built and repaired by a distributed protocol.
 */
package dev.c2cast.streamsmart.tree;
