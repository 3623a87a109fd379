/**
 * Internals of the coder: field tables, the region-operation kernels and their selection. Not exported; no
 * compatibility promise.
 */
package dev.c2cast.microcast.nc.internal;
