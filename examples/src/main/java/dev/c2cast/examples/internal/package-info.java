/**
 * Command-line plumbing shared by the example processes: option parsing, a live console table, CSV and PNG chart
 * output, daemon threads and shutdown on Ctrl-C. Not part of any library API.
 */
package dev.c2cast.examples.internal;
