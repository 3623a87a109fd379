package dev.c2cast.pseudobroadcast;

import io.netty.buffer.ByteBuf;

/**
 * A node's attachment to a pseudo-broadcast group (MicroCast V-C): a frame sent to one peer is overheard by every
 * other peer in range, and a broadcast reaches all of them. Delivery is unreliable; {@link ReliableMessenger},
 * {@link PeerDiscovery} and {@link Flooder} add reliability, discovery and multi-hop flooding on top of any
 * implementation.
 * <p>
 * Threading: confined to one thread, the one that runs {@link #timers()} (a simulation thread or a Netty event
 * loop). Listeners are called on it, and every method must be called from it.
 */
public interface Transport extends AutoCloseable
{
    /**
     * This node.
     *
     * @return the node id the transport was opened with.
     */
    NodeId localNode();

    /**
     * The group whose frames this transport accepts; frames of other groups are dropped and counted.
     *
     * @return the group id.
     */
    int groupId();

    /**
     * The largest payload {@link #send(int, long, ByteBuf)} accepts.
     *
     * @return bytes.
     */
    int maxPayloadLength();

    /**
     * Sends a frame. The payload's readable bytes are copied or written out before the call returns; the caller
     * keeps ownership of the buffer, whose indices are not changed.
     *
     * @param frameType   a {@link FrameType} code.
     * @param destination intended receiver's node id value, or {@link NodeId#BROADCAST_VALUE} for everyone.
     * @param payload     the payload (its readable bytes).
     * @return true if queued for transmission, false if dropped locally (queue full or transport closed).
     * @throws IllegalArgumentException if the payload is longer than {@link #maxPayloadLength()}, the type is
     *                                  out of range, or the destination is this node.
     */
    boolean send(int frameType, long destination, ByteBuf payload);

    /**
     * Sends an unreliable {@link FrameType#DATA} frame to one peer; the others overhear it.
     *
     * @param destination intended receiver.
     * @param payload     the payload (its readable bytes).
     * @return true if queued, false if dropped locally.
     */
    default boolean send(final NodeId destination, final ByteBuf payload)
    {
        return send(FrameType.DATA, destination.value(), payload);
    }

    /**
     * Sends an unreliable {@link FrameType#DATA} frame to every peer.
     *
     * @param payload the payload (its readable bytes).
     * @return true if queued, false if dropped locally.
     */
    default boolean broadcast(final ByteBuf payload)
    {
        return send(FrameType.DATA, NodeId.BROADCAST_VALUE, payload);
    }

    /**
     * Sets the listener for one frame type, replacing any previous one; frames of a type without a listener are
     * counted in {@link TransportCounters#droppedUnhandled()}.
     *
     * @param frameType a {@link FrameType} code.
     * @param listener  the listener, or null to remove it.
     */
    void listener(int frameType, FrameListener listener);

    /**
     * Per-peer and drop counters, updated on the transport's thread.
     *
     * @return the live counters.
     */
    TransportCounters counters();

    /**
     * The clock and timers of the thread this transport is confined to.
     *
     * @return the timer service.
     */
    TimerService timers();

    /**
     * Leaves the group; later sends return false and nothing more is delivered.
     */
    @Override
    void close();
}
