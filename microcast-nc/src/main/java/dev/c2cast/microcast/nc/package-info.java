/**
 * Generation-based random linear network coding over GF(2^8) and the MicroNC-P2 dissemination protocol (microcast.txt, section V-B).
 */
package dev.c2cast.microcast.nc;
