package dev.c2cast.pseudobroadcast;

import io.netty.buffer.ByteBuf;

/**
 * Receives the frames of one type that reach a {@link Transport}, addressed to this node, broadcast, or overheard.
 * <p>
 * Called on the transport's thread. The buffer is only valid during the call: copy what must outlive it, and do
 * not change the buffer's indices or contents.
 */
@FunctionalInterface
public interface FrameListener
{
    /**
     * One received frame.
     *
     * @param source      the sender's node id value.
     * @param destination the intended receiver's node id value, or {@link NodeId#BROADCAST_VALUE}.
     * @param overheard   true if the frame was a unicast meant for another node.
     * @param buffer      buffer holding the payload.
     * @param offset      index of the first payload byte.
     * @param length      payload length.
     */
    void onFrame(long source, long destination, boolean overheard, ByteBuf buffer, int offset, int length);
}
