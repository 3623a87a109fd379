package dev.c2cast.pseudobroadcast;

/**
 * A snapshot of the traffic a transport exchanged with one peer.
 *
 * @param framesSent      frames sent with this peer as the intended destination.
 * @param bytesSent       payload bytes of those frames.
 * @param framesReceived  frames from this peer addressed to this node or broadcast.
 * @param bytesReceived   payload bytes of those frames.
 * @param framesOverheard frames from this peer meant for another node.
 * @param bytesOverheard  payload bytes of those frames.
 */
public record PeerCounters(
    long framesSent,
    long bytesSent,
    long framesReceived,
    long bytesReceived,
    long framesOverheard,
    long bytesOverheard)
{
    /** All zero: a peer never seen. */
    public static final PeerCounters NONE = new PeerCounters(0, 0, 0, 0, 0, 0);
}
