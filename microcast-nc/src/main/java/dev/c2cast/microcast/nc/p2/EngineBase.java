package dev.c2cast.microcast.nc.p2;

import java.util.Objects;
import java.util.SplittableRandom;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import dev.c2cast.microcast.nc.wire.P2Advertise;
import dev.c2cast.microcast.nc.wire.P2Control;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Plumbing shared by the engines: peers and what they advertised, frame parsing and dispatch, sending with per-type
 * accounting. Confined to the engine's thread.
 */
abstract class EngineBase implements DisseminationEngine
{
    /** Most neighbours an engine tracks. */
    static final int MAX_PEERS = 64;
    static final long NONE = Long.MIN_VALUE;

    final long localNode;
    final DisseminationConfig config;
    final SegmentStore store;
    final FrameSender sender;
    final EngineTimers timers;
    final SplittableRandom random;
    final DisseminationListener listener;
    final EngineCounters counters = new EngineCounters();
    final int segmentCount;
    final int generationSize;
    final long[] peers = new long[MAX_PEERS];
    final long[][] peerHolds;
    final ByteBuf scratch;
    final boolean[] delivered;
    int peerCount;
    int decodedCount;
    boolean running;

    EngineBase(
        final long localNode, final DisseminationConfig config, final SegmentStore store, final FrameSender sender,
        final EngineTimers timers, final SplittableRandom random, final DisseminationListener listener)
    {
        this.localNode = localNode;
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.random = Objects.requireNonNull(random, "random");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.segmentCount = store.segmentCount();
        this.generationSize = store.generationSize();
        this.peerHolds = new long[MAX_PEERS][(segmentCount + 63) >>> 6];
        this.scratch = Unpooled.buffer(DataFrame.HEADER_LENGTH +
            Math.max(store.codedPacketLength(), store.plainPacketLength()) + 64);
        this.delivered = new boolean[segmentCount];
        for (int s = 0; s < segmentCount; s++)
        {
            if (store.isDecoded(s))
            {
                delivered[s] = true;
                decodedCount++;
            }
        }
    }

    @Override
    public void start()
    {
        running = true;
    }

    @Override
    public void stop()
    {
        running = false;
    }

    @Override
    public void addPeer(final long node)
    {
        peerIndex(node);
    }

    @Override
    public int decodedSegments()
    {
        return decodedCount;
    }

    @Override
    public boolean isComplete()
    {
        return decodedCount == segmentCount;
    }

    @Override
    public EngineCounters counters()
    {
        return counters;
    }

    @Override
    public void onSegmentDownloaded(final int segment)
    {
        checkSegment(segment);
        if (!delivered[segment])
        {
            store.loadSource(segment);
            decoded(segment);
        }
    }

    @Override
    public final void onFrame(
        final int frameType, final long source, final long destination, final boolean overheard,
        final ByteBuf buffer, final int offset, final int length)
    {
        if (!running || source == localNode)
        {
            return;
        }
        if (frameType == CONTROL_FRAME_TYPE)
        {
            final P2Control control;
            try
            {
                control = P2Control.parseFrom(ByteBufUtil.getBytes(buffer, offset, length, false));
            }
            catch (final InvalidProtocolBufferException ex)
            {
                counters.malformed();
                return;
            }
            if (knownPeer(source) < 0)
            {
                return;
            }
            if (!onControl(source, destination, overheard, control))
            {
                counters.malformed();
            }
        }
        else if (frameType == DATA_FRAME_TYPE)
        {
            if (length < DataFrame.HEADER_LENGTH)
            {
                counters.malformed();
                return;
            }
            final int segment = DataFrame.segment(buffer, offset);
            if (segment < 0 || segment >= segmentCount)
            {
                counters.malformed();
                return;
            }
            if (knownPeer(source) < 0)
            {
                return;
            }
            onData(source, overheard, segment, buffer, offset + DataFrame.HEADER_LENGTH,
                length - DataFrame.HEADER_LENGTH);
        }
    }

    /**
     * Handles a parsed control message.
     *
     * @return false if the message is invalid (counted as malformed).
     */
    abstract boolean onControl(long source, long destination, boolean overheard, P2Control control);

    abstract void onData(long source, boolean overheard, int segment, ByteBuf buffer, int offset, int length);

    /**
     * Absorbs a data packet, counts the result and reports a decode.
     */
    final int absorb(final long source, final int segment, final ByteBuf buffer, final int offset, final int length)
    {
        final int result = store.absorb(segment, source, buffer, offset, length);
        counters.absorbed(result);
        if (result == SegmentStore.ABSORB_DECODED && !delivered[segment])
        {
            decoded(segment);
        }
        return result;
    }

    /**
     * Records a segment as held and verified, once; subclasses extend it and call it first.
     */
    void decoded(final int segment)
    {
        delivered[segment] = true;
        decodedCount++;
        listener.onSegmentDecoded(segment);
    }

    /**
     * Whether frames from unknown nodes make them neighbours: true for MicroNC-P2, where every device in range is
     * one; the baselines keep the configured overlay (a star's leaves talk to the access point only).
     */
    boolean learnsPeers()
    {
        return false;
    }

    private int knownPeer(final long node)
    {
        if (learnsPeers())
        {
            return peerIndex(node);
        }
        for (int i = 0; i < peerCount; i++)
        {
            if (peers[i] == node)
            {
                return i;
            }
        }
        return -1;
    }

    final int peerIndex(final long node)
    {
        for (int i = 0; i < peerCount; i++)
        {
            if (peers[i] == node)
            {
                return i;
            }
        }
        if (peerCount == MAX_PEERS || node == localNode || node == FrameSender.BROADCAST)
        {
            return -1;
        }
        peers[peerCount] = node;
        return peerCount++;
    }

    final boolean peerHolds(final int peer, final int segment)
    {
        return (peerHolds[peer][segment >>> 6] & (1L << segment)) != 0;
    }

    final void markPeerHolds(final int peer, final int segment)
    {
        peerHolds[peer][segment >>> 6] |= 1L << segment;
    }

    final void checkSegment(final int segment)
    {
        if (segment < 0 || segment >= segmentCount)
        {
            throw new IllegalArgumentException("segment out of range: " + segment);
        }
    }

    /**
     * A random peer that advertised a segment, or {@link #NONE}.
     */
    final long randomHolder(final int segment)
    {
        int count = 0;
        for (int i = 0; i < peerCount; i++)
        {
            if (peerHolds(i, segment))
            {
                count++;
            }
        }
        if (count == 0)
        {
            return NONE;
        }
        int pick = random.nextInt(count);
        for (int i = 0; i < peerCount; i++)
        {
            if (peerHolds(i, segment) && pick-- == 0)
            {
                return peers[i];
            }
        }
        return NONE;
    }

    final boolean sendControl(final long destination, final P2Control control, final MessageType type)
    {
        final byte[] bytes = control.toByteArray();
        scratch.clear().writeBytes(bytes);
        final boolean queued = sender.send(CONTROL_FRAME_TYPE, destination, scratch);
        counters.sent(type, bytes.length, queued);
        return queued;
    }

    final boolean sendCoded(final long destination, final int segment)
    {
        scratch.clear().writeInt(segment);
        store.writeCoded(segment, scratch, random);
        final int length = scratch.readableBytes();
        final boolean queued = sender.send(DATA_FRAME_TYPE, destination, scratch);
        counters.sent(MessageType.CODED_DATA, length, queued);
        return queued;
    }

    final boolean sendPlain(final long destination, final int segment, final int index)
    {
        scratch.clear().writeInt(segment);
        store.writePlain(segment, index, scratch);
        final int length = scratch.readableBytes();
        final boolean queued = sender.send(DATA_FRAME_TYPE, destination, scratch);
        counters.sent(MessageType.PLAIN_DATA, length, queued);
        return queued;
    }

    final P2Control advertisement()
    {
        final byte[] bits = new byte[(segmentCount + 7) >>> 3];
        for (int s = 0; s < segmentCount; s++)
        {
            if (store.isDecoded(s))
            {
                bits[s >>> 3] |= (byte)(1 << (s & 7));
            }
        }
        return P2Control.newBuilder().setAdvertise(P2Advertise.newBuilder()
            .setSegmentCount(segmentCount).setBitfield(ByteString.copyFrom(bits))).build();
    }

    /**
     * Records an advertised bitfield for a peer.
     *
     * @return false if it does not match this file.
     */
    final boolean recordAdvertise(final int peer, final P2Advertise advertise)
    {
        final ByteString bits = advertise.getBitfield();
        if (advertise.getSegmentCount() != segmentCount || bits.size() != (segmentCount + 7) >>> 3)
        {
            return false;
        }
        for (int s = 0; s < segmentCount; s++)
        {
            if ((bits.byteAt(s >>> 3) & (1 << (s & 7))) != 0)
            {
                markPeerHolds(peer, s);
            }
        }
        return true;
    }

    final boolean validSegment(final int segment)
    {
        return segment >= 0 && segment < segmentCount;
    }
}
