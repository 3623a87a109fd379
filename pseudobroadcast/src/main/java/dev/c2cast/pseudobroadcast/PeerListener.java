package dev.c2cast.pseudobroadcast;

/**
 * Membership events of {@link PeerDiscovery}, called on the transport's thread.
 */
public interface PeerListener
{
    /**
     * A peer's first beacon arrived (or its first after it had left).
     *
     * @param peer the peer.
     */
    void onPeerJoined(NodeId peer);

    /**
     * A peer has been silent for the configured timeout.
     *
     * @param peer the peer.
     */
    void onPeerLeft(NodeId peer);
}
