package dev.c2cast.pseudobroadcast;

import io.netty.buffer.ByteBuf;

/**
 * Events of a {@link ReliableMessenger}, called on the transport's thread.
 */
public interface ReliableListener
{
    /**
     * A message arrived, exactly once and in the order its sender sent it. The buffer is valid only during the
     * call.
     *
     * @param source the sender's node id value.
     * @param buffer buffer holding the message.
     * @param offset index of its first byte.
     * @param length its length.
     */
    void onMessage(long source, ByteBuf buffer, int offset, int length);

    /**
     * A message to a peer went unacknowledged through every retransmission: the peer is unreachable. Every
     * message still in flight to it is abandoned (some may have arrived), and the next send starts a new session.
     *
     * @param peer        the peer's node id value.
     * @param undelivered messages abandoned without an acknowledgement.
     */
    void onPeerUnreachable(long peer, int undelivered);

    /**
     * Acknowledgements freed space in the window towards a peer after a send was refused for lack of it.
     *
     * @param peer the peer's node id value.
     */
    default void onWindowAvailable(final long peer)
    {
    }
}
