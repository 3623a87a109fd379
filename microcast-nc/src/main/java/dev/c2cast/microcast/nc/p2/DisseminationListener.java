package dev.c2cast.microcast.nc.p2;

/**
 * Events an engine reports to its application.
 * <p>
 * Threading: called on the engine's thread.
 */
@FunctionalInterface
public interface DisseminationListener
{
    /** A listener that ignores every event. */
    DisseminationListener NONE = segment -> { };

    /**
     * A segment is now held decoded (and, where the store checks a manifest, verified).
     *
     * @param segment the segment index.
     */
    void onSegmentDecoded(int segment);
}
