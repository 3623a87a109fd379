/**
 * Simulator front end for the dissemination engines (microcast.txt, section VI-B): scenarios of devices, cellular
 * rates, local capacity, loss and background traffic run on pseudobroadcast's simulated medium, with per-message
 * byte counts, completion times, CSV and PNG output.
 */
package dev.c2cast.microcast.nc.sim;
