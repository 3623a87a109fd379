/**
 * The network utility maximization model of MicroCast (microcast.txt, sections IV and VI-A): the four local-area
 * cooperation policies and the common video rate each one sustains, for the throughput curves of Figs. 4 and 5.
 */
package dev.c2cast.microcast.nc.num;
