/**
 * MicroCast (microcast.txt, sections V and VI) as a demo: devices that split an HTTP download with MicroDownload,
 * share the segments over a pseudo-broadcast medium with MicroNC-P2 (or the BitTorrent-Pull and No-Cooperation
 * baselines), store the file and serve it for playback.
 */
package dev.c2cast.examples.microcast;
