/**
 * MicroBroadcast, the pseudo-broadcast transport of MicroCast (microcast.txt, section V-C): frames sent by unicast to one peer and overheard by every other peer in range.
 */
package dev.c2cast.pseudobroadcast;
