/**
 * MicroDownload (microcast.txt, sections V-A and V-D): segment assignment by smallest backlog over the group's cellular links, producers, storage and playback.
 */
package dev.c2cast.microcast.download;
