package dev.c2cast.streamsmart.tree;

/**
 * A clone's answer to a stream announcement (streamsmart.md, section II): watch now, record for later viewing, or
 * ignore.
 */
public enum Intent
{
    /** Join the tree now and forward the stream to the clone's phone. */
    WATCH,
    /** Join the tree now and store the stream so the phone can replay it later. */
    RECORD,
    /** Do not view; the clone joins only as a relay, and only if the stream's policy allows non-viewer relays. */
    IGNORE
}
