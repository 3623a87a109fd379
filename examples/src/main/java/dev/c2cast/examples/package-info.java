/**
 * Complete StreamSmart and MicroCast processes (phone, clone, device) and one-command demos built from the c2cast
 * libraries; {@link dev.c2cast.examples.Main} is the command-line entry point.
 */
package dev.c2cast.examples;
