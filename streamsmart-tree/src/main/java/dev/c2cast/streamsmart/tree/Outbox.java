package dev.c2cast.streamsmart.tree;

import dev.c2cast.streamsmart.tree.wire.Envelope;

/**
 * Everything a {@link TreeMember} asks of the world: control messages out, and the data plane's children.
 * Implemented by the Netty driver in production and by the simulator in tests.
 */
interface Outbox
{
    /**
     * Sends a control message.
     *
     * @param to       the destination member.
     * @param envelope the message.
     */
    void send(long to, Envelope envelope);

    /**
     * Starts forwarding media to a child.
     *
     * @param child      the child.
     * @param hasResume  whether it named a resume point.
     * @param resumeFrom the first extended sequence number it lacks.
     */
    void attachChild(long child, boolean hasResume, long resumeFrom);

    /**
     * Replays a range of packets from the ring to an attached child (a repair).
     *
     * @param child       the child.
     * @param from        first extended sequence number.
     * @param toExclusive end of the range.
     */
    void replay(long child, long from, long toExclusive);

    /**
     * End of the gap after the resume point: the first sequence number held above it.
     *
     * @return the exclusive end of the gap, or -1 if there is no gap.
     */
    long gapEnd();

    /**
     * Stops forwarding media to a child.
     *
     * @param child the child.
     */
    void detachChild(long child);

    /**
     * The data plane's resume point.
     *
     * @return the first extended sequence number this member lacks, or -1 before any media.
     */
    long nextMissing();

    /**
     * Whether the data plane's ring holds a packet.
     *
     * @param extSeq the extended sequence number.
     * @return true if held.
     */
    boolean holds(long extSeq);

    /**
     * Whether the data plane holds packets beyond its resume point (a gap its parent should fill).
     *
     * @return true if a sequence number is missing below the newest received.
     */
    boolean hasGap();

    /**
     * The member's role or parent changed, or the stream ended.
     *
     * @param member the member.
     */
    void stateChanged(TreeMember member);
}
