package dev.c2cast.pseudobroadcast;

import java.util.ArrayList;
import java.util.List;

import dev.c2cast.pseudobroadcast.internal.Long2ObjectHashMap;

/**
 * Live counters of one {@link Transport}: frames and payload bytes per peer (sent, received, overheard), frames
 * broadcast, and the received frames dropped as malformed, oversized, from another group or without a listener.
 * <p>
 * Written and read on the transport's thread only; reads from elsewhere must hop onto it. Counting a frame does
 * not allocate once the peer has been seen.
 */
public final class TransportCounters
{
    private final Long2ObjectHashMap<Entry> peers = new Long2ObjectHashMap<>(16);
    private long framesBroadcast;
    private long bytesBroadcast;
    private long droppedMalformed;
    private long droppedOversized;
    private long droppedOtherGroup;
    private long droppedUnhandled;
    private long sendsRejected;

    /** Empty counters; transports create their own. */
    public TransportCounters()
    {
    }

    private Entry entry(final long peer)
    {
        Entry entry = peers.get(peer);
        if (entry == null)
        {
            entry = new Entry();
            peers.put(peer, entry);
        }
        return entry;
    }

    void onSent(final long destination, final int payloadLength)
    {
        if (destination == NodeId.BROADCAST_VALUE)
        {
            framesBroadcast++;
            bytesBroadcast += payloadLength;
        }
        else
        {
            final Entry entry = entry(destination);
            entry.framesSent++;
            entry.bytesSent += payloadLength;
        }
    }

    void onReceived(final long source, final boolean overheard, final int payloadLength)
    {
        final Entry entry = entry(source);
        if (overheard)
        {
            entry.framesOverheard++;
            entry.bytesOverheard += payloadLength;
        }
        else
        {
            entry.framesReceived++;
            entry.bytesReceived += payloadLength;
        }
    }

    void onMalformed()
    {
        droppedMalformed++;
    }

    void onOversized()
    {
        droppedOversized++;
    }

    void onOtherGroup()
    {
        droppedOtherGroup++;
    }

    void onUnhandled()
    {
        droppedUnhandled++;
    }

    void onSendRejected()
    {
        sendsRejected++;
    }

    /**
     * The counters of one peer.
     *
     * @param peer the peer's node id value.
     * @return a snapshot, {@link PeerCounters#NONE} for a peer never seen.
     */
    public PeerCounters peer(final long peer)
    {
        final Entry entry = peers.get(peer);
        return entry == null ? PeerCounters.NONE : entry.snapshot();
    }

    /**
     * The counters of one peer.
     *
     * @param peer the peer.
     * @return a snapshot, {@link PeerCounters#NONE} for a peer never seen.
     */
    public PeerCounters peer(final NodeId peer)
    {
        return peer(peer.value());
    }

    /**
     * Every peer sent to or heard from.
     *
     * @return their node id values, in no particular order.
     */
    public List<Long> peers()
    {
        final List<Long> result = new ArrayList<>(peers.size());
        peers.forEach((key, value) -> result.add(key));
        return result;
    }

    /**
     * Frames sent to {@link NodeId#BROADCAST_VALUE}.
     *
     * @return the count.
     */
    public long framesBroadcast()
    {
        return framesBroadcast;
    }

    /**
     * Payload bytes of broadcast frames.
     *
     * @return the count.
     */
    public long bytesBroadcast()
    {
        return bytesBroadcast;
    }

    /**
     * Received frames dropped because the header was invalid.
     *
     * @return the count.
     */
    public long droppedMalformed()
    {
        return droppedMalformed;
    }

    /**
     * Received frames dropped because they exceeded the transport's maximum frame length.
     *
     * @return the count.
     */
    public long droppedOversized()
    {
        return droppedOversized;
    }

    /**
     * Received well-formed frames dropped because they belong to another group.
     *
     * @return the count.
     */
    public long droppedOtherGroup()
    {
        return droppedOtherGroup;
    }

    /**
     * Received frames dropped because no listener was set for their type.
     *
     * @return the count.
     */
    public long droppedUnhandled()
    {
        return droppedUnhandled;
    }

    /**
     * Sends that returned false (queue full or transport closed).
     *
     * @return the count.
     */
    public long sendsRejected()
    {
        return sendsRejected;
    }

    @Override
    public String toString()
    {
        return "TransportCounters{peers=" + peers.size() + ", broadcast=" + framesBroadcast + ", malformed=" +
            droppedMalformed + ", oversized=" + droppedOversized + ", otherGroup=" + droppedOtherGroup +
            ", unhandled=" + droppedUnhandled + ", rejected=" + sendsRejected + '}';
    }

    private static final class Entry
    {
        long framesSent;
        long bytesSent;
        long framesReceived;
        long bytesReceived;
        long framesOverheard;
        long bytesOverheard;

        PeerCounters snapshot()
        {
            return new PeerCounters(framesSent, bytesSent, framesReceived, bytesReceived, framesOverheard, bytesOverheard);
        }
    }
}
