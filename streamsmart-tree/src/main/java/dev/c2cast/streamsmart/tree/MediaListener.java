package dev.c2cast.streamsmart.tree;

import io.netty.buffer.ByteBuf;

/**
 * Receives every RTP packet the moment it reaches this clone, for its phone or its recorder. Called on the
 * clone's event loop; the buffer is only valid during the call (retain a slice to keep it).
 */
@FunctionalInterface
public interface MediaListener
{
    /**
     * One RTP packet.
     *
     * @param buffer the datagram holding it.
     * @param offset index of the RTP header in {@code buffer}.
     * @param length length of the RTP packet.
     * @param extSeq its extended sequence number.
     */
    void onMedia(ByteBuf buffer, int offset, int length, long extSeq);
}
