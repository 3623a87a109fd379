/**
 * Internals of the pseudo-broadcast transport (primitive collections); not exported.
 */
package dev.c2cast.pseudobroadcast.internal;
