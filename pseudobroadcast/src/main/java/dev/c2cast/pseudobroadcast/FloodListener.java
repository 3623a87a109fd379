package dev.c2cast.pseudobroadcast;

import io.netty.buffer.ByteBuf;

/**
 * Receives each flooded message once, on the transport's thread. The buffer is valid only during the call.
 */
@FunctionalInterface
public interface FloodListener
{
    /**
     * A flooded message reached this node for the first time.
     *
     * @param origin the node that flooded it.
     * @param relay  the neighbour this copy came from (the origin itself after one hop).
     * @param hops   transmissions it took to get here, 1 for a direct neighbour.
     * @param buffer buffer holding the message.
     * @param offset index of its first byte.
     * @param length its length.
     */
    void onFlood(long origin, long relay, int hops, ByteBuf buffer, int offset, int length);
}
