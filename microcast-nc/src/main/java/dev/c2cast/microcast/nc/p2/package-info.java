/**
 * Local dissemination engines over pseudo-broadcast (microcast.txt, sections V-B and VI-B): MicroNC-P2 (initial
 * push, then pulls of network-coded packets with overhearing) and the BitTorrent-Pull, R2-Push and No-Cooperation
 * baselines, all behind {@link dev.c2cast.microcast.nc.p2.DisseminationEngine}.
 */
package dev.c2cast.microcast.nc.p2;
