package dev.c2cast.streamsmart.tree;

import java.net.InetSocketAddress;

/**
 * Where each clone listens: the cloud's directory of clones, consulted for every control message sent and for
 * every child attached. Implementations must be safe to call from any event loop.
 */
@FunctionalInterface
public interface Directory
{
    /**
     * The UDP address of a member.
     *
     * @param member the member id.
     * @return its address, or null if unknown (the message is dropped).
     */
    InetSocketAddress addressOf(long member);
}
