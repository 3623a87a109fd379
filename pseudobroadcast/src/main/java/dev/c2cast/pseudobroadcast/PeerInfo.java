package dev.c2cast.pseudobroadcast;

/**
 * A snapshot of one live entry in the {@link PeerDiscovery} table.
 *
 * @param node            the peer.
 * @param firstSeenNanos  when its first beacon of this membership arrived.
 * @param lastSeenNanos   when its latest beacon arrived.
 * @param beaconsReceived beacons received in this membership.
 * @param beaconsMissed   gaps in its beacon sequence numbers: beacons it sent that this node did not hear.
 * @param traffic         the transport's counters for this peer.
 */
public record PeerInfo(
    NodeId node, long firstSeenNanos, long lastSeenNanos, long beaconsReceived, long beaconsMissed,
    PeerCounters traffic)
{
    /**
     * Share of the peer's beacons heard, an estimate of the link's delivery ratio towards this node.
     *
     * @return in [0, 1].
     */
    public double beaconDeliveryRatio()
    {
        final long total = beaconsReceived + beaconsMissed;
        return total == 0 ? 0 : (double)beaconsReceived / total;
    }
}
