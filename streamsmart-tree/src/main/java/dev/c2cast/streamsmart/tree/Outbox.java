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
     * Stops forwarding media to a child.
     *
     * @param child the child.
     */
    void detachChild(long child);

    /**
     * The data plane's ring of recent packets: its resume point, gaps and replays (hop-by-hop repair) are read and
     * driven there directly.
     *
     * @return the relay this member forwards through.
     */
    Relay<?> relay();

    /**
     * The member's role or parent changed, or the stream ended.
     *
     * @param member the member.
     */
    void stateChanged(TreeMember member);
}
