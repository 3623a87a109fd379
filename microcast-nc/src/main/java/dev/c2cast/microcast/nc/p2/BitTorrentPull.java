package dev.c2cast.microcast.nc.p2;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;

import dev.c2cast.microcast.nc.wire.P2Control;
import dev.c2cast.microcast.nc.wire.P2Have;
import dev.c2cast.microcast.nc.wire.P2PieceRequest;

import io.netty.buffer.ByteBuf;

/**
 * The BitTorrent-Pull baseline (microcast.txt, section VI-B, after Cohen's BitTorrent): bitfield and have messages
 * advertise segments, requests ask one holder for the missing blocks (plain packets) of the rarest segment, pieces
 * carry the blocks by unicast, and a recovery timer re-requests blocks that did not arrive. As in BitTorrent's peer
 * wire protocol, which runs one connection per peer, a have goes to each neighbour and a request names one block;
 * the bitfield is broadcast periodically, standing in for the per-connection handshake over lossy UDP. Overheard
 * frames are ignored, as a UDP socket that is not in promiscuous mode never sees them.
 * <p>
 * Threading: confined to one thread (see {@link DisseminationEngine}). Requires a generation size of at most 64.
 */
public final class BitTorrentPull extends EngineBase
{
    private final long[] requestServer;
    private final long[] requestTime;
    private final long[] blocksHeld;
    private final ArrayDeque<long[]> serviceQueue = new ArrayDeque<>();
    private final Runnable advertiseTask = this::onAdvertiseTimer;
    private final Runnable recoveryTask = this::onRecoveryTimer;
    private final Runnable serviceTask = this::onServiceTimer;
    private final long fullMask;
    private int outstanding;
    private boolean serviceScheduled;
    private long busyUntil;

    /**
     * An engine for one node.
     *
     * @param localNode this node's id.
     * @param config    timing parameters.
     * @param store     holds this node's segments.
     * @param sender    the frame port.
     * @param timers    clock and timers of the engine's thread.
     * @param random    source of holder choices.
     * @param listener  receives decode events.
     */
    public BitTorrentPull(
        final long localNode, final DisseminationConfig config, final SegmentStore store, final FrameSender sender,
        final EngineTimers timers, final SplittableRandom random, final DisseminationListener listener)
    {
        super(localNode, config, store, sender, timers, random, listener);
        if (generationSize > 64)
        {
            throw new IllegalArgumentException("BitTorrent-Pull tracks at most 64 blocks per segment");
        }
        fullMask = generationSize == 64 ? -1L : (1L << generationSize) - 1;
        requestServer = new long[segmentCount];
        Arrays.fill(requestServer, NONE);
        requestTime = new long[segmentCount];
        blocksHeld = new long[segmentCount];
    }

    @Override
    public void start()
    {
        super.start();
        final long now = timers.nanoTime();
        timers.scheduleAt(now + random.nextLong(config.advertisePeriodNanos()), advertiseTask);
        timers.scheduleAt(now + config.recoveryPeriodNanos(), recoveryTask);
    }

    @Override
    public void onSegmentDownloaded(final int segment)
    {
        checkSegment(segment);
        if (delivered[segment])
        {
            return;
        }
        store.loadSource(segment);
        decoded(segment);
    }

    @Override
    void decoded(final int segment)
    {
        blocksHeld[segment] = fullMask;
        if (requestServer[segment] != NONE)
        {
            requestServer[segment] = NONE;
            outstanding--;
        }
        super.decoded(segment);
        if (running)
        {
            final P2Control have = P2Control.newBuilder().setHave(P2Have.newBuilder().setSegment(segment)).build();
            for (int p = 0; p < peerCount; p++)
            {
                sendControl(peers[p], have, MessageType.HAVE);
            }
            fillRequests();
        }
    }

    @Override
    boolean onControl(final long source, final long destination, final boolean overheard, final P2Control control)
    {
        switch (control.getBodyCase())
        {
            case ADVERTISE:
                if (!recordAdvertise(peerIndex(source), control.getAdvertise()))
                {
                    return false;
                }
                fillRequests();
                return true;
            case HAVE:
                final int segment = control.getHave().getSegment();
                if (!validSegment(segment))
                {
                    return false;
                }
                markPeerHolds(peerIndex(source), segment);
                fillRequests();
                return true;
            case PIECE_REQUEST:
                return overheard || onPieceRequest(source, control.getPieceRequest());
            default:
                return false;
        }
    }

    private boolean onPieceRequest(final long source, final P2PieceRequest request)
    {
        final int segment = request.getSegment();
        if (!validSegment(segment))
        {
            return false;
        }
        long mask = 0;
        for (int i = 0; i < request.getBlocksCount(); i++)
        {
            final int block = request.getBlocks(i);
            if (block < 0 || block >= generationSize)
            {
                return false;
            }
            mask |= 1L << block;
        }
        if (store.isDecoded(segment) && mask != 0)
        {
            serviceQueue.addLast(new long[] {source, segment, mask});
            if (!serviceScheduled)
            {
                serviceScheduled = true;
                timers.scheduleAt(Math.max(busyUntil, timers.nanoTime()), serviceTask);
            }
        }
        return true;
    }

    private void onServiceTimer()
    {
        serviceScheduled = false;
        if (!running)
        {
            return;
        }
        final long[] next = serviceQueue.pollFirst();
        if (next == null)
        {
            return;
        }
        final int segment = (int)next[1];
        int sent = 0;
        for (long mask = next[2]; mask != 0; mask &= mask - 1)
        {
            sendPlain(next[0], segment, Long.numberOfTrailingZeros(mask));
            sent++;
        }
        busyUntil = timers.nanoTime() + sent * config.packetAirtimeNanos();
        if (!serviceQueue.isEmpty())
        {
            serviceScheduled = true;
            timers.scheduleAt(busyUntil, serviceTask);
        }
    }

    @Override
    void onData(final long source, final boolean overheard, final int segment, final ByteBuf buffer,
        final int offset, final int length)
    {
        if (overheard || store.isDecoded(segment))
        {
            return;
        }
        final int block = store.plainIndex(buffer, offset, length);
        if (block < 0)
        {
            counters.malformed();
            return;
        }
        blocksHeld[segment] |= 1L << block;
        if (absorb(source, segment, buffer, offset, length) == SegmentStore.ABSORB_CORRUPT)
        {
            blocksHeld[segment] = 0;
            requestTime[segment] = timers.nanoTime() - config.recoveryTimeoutNanos();
        }
    }

    private void fillRequests()
    {
        while (outstanding < config.maxOutstandingPieces())
        {
            int rarest = -1;
            int rarestCount = Integer.MAX_VALUE;
            for (int s = 0; s < segmentCount; s++)
            {
                if (requestServer[s] != NONE || store.isDecoded(s))
                {
                    continue;
                }
                int holders = 0;
                for (int p = 0; p < peerCount; p++)
                {
                    if (peerHolds(p, s))
                    {
                        holders++;
                    }
                }
                if (holders > 0 && holders < rarestCount)
                {
                    rarest = s;
                    rarestCount = holders;
                }
            }
            if (rarest < 0)
            {
                return;
            }
            outstanding++;
            request(randomHolder(rarest), rarest);
        }
    }

    private void request(final long server, final int segment)
    {
        requestServer[segment] = server;
        requestTime[segment] = timers.nanoTime();
        for (long missing = ~blocksHeld[segment] & fullMask; missing != 0; missing &= missing - 1)
        {
            sendControl(server, P2Control.newBuilder().setPieceRequest(P2PieceRequest.newBuilder()
                .setSegment(segment).addBlocks(Long.numberOfTrailingZeros(missing))).build(),
                MessageType.PIECE_REQUEST);
        }
    }

    private void onAdvertiseTimer()
    {
        if (!running)
        {
            return;
        }
        sendControl(FrameSender.BROADCAST, advertisement(), MessageType.ADVERTISE);
        timers.scheduleAt(timers.nanoTime() + config.advertisePeriodNanos(), advertiseTask);
    }

    private void onRecoveryTimer()
    {
        if (!running)
        {
            return;
        }
        final long now = timers.nanoTime();
        for (int s = 0; s < segmentCount; s++)
        {
            if (requestServer[s] != NONE && now - requestTime[s] >= config.recoveryTimeoutNanos())
            {
                final long holder = randomHolder(s);
                request(holder == NONE ? requestServer[s] : holder, s);
            }
        }
        fillRequests();
        timers.scheduleAt(now + config.recoveryPeriodNanos(), recoveryTask);
    }
}
