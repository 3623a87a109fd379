package dev.c2cast.microcast.nc.p2;

import java.util.Arrays;
import java.util.SplittableRandom;

import com.google.protobuf.ByteString;

import dev.c2cast.microcast.nc.wire.P2Control;
import dev.c2cast.microcast.nc.wire.P2Notify;
import dev.c2cast.microcast.nc.wire.P2Request;

import io.netty.buffer.ByteBuf;

/**
 * MicroNC-P2 (microcast.txt, section V-B, Alg. 2): an initial Push of each freshly downloaded segment, then Pulls
 * of network-coded packets, with overhearing.
 * <ul>
 *   <li>Every node periodically broadcasts an advertisement of the segments it holds decoded.</li>
 *   <li>A node that learns a holder of a segment it lacks requests from it the missing dimensions
 *       {@code g - rank}, so coded packets it overheard reduce what it asks for.</li>
 *   <li>A server waits {@link DisseminationConfig#aggregationNanos()} after the first request for a segment,
 *       merges all pending requests for it, and sends the maximum requested count to the requester that asked most;
 *       the others complete by overhearing. Pending segments are served lowest index first: segments are played in
 *       index order, so that is nearest playback deadline first.</li>
 *   <li>After serving, the server broadcasts a notification; each requester still short re-requests what it
 *       misses.</li>
 *   <li>A recovery timer re-requests, from a random holder, every segment whose request did not complete within
 *       {@link DisseminationConfig#recoveryTimeoutNanos()}.</li>
 *   <li>A freshly downloaded segment is first pushed (g coded packets) to a random neighbour, then advertised, so the
 *       neighbours' first requests already count the overheard push.</li>
 * </ul>
 * Threading: confined to one thread (see {@link DisseminationEngine}). Data packets are sent from a reused buffer;
 * control messages allocate their protobuf objects.
 */
public final class MicroNcP2 extends EngineBase
{
    private final long[] requestServer;
    private final long[] requestTime;
    private final int[] pendingMax;
    private final long[] pendingTarget;
    private final long[] pendingSince;
    private final ByteString emptyBitfield;
    private final Runnable advertiseTask = this::onAdvertiseTimer;
    private final Runnable recoveryTask = this::onRecoveryTimer;
    private final Runnable serviceTask = this::onServiceTimer;
    private int pendingSegments;
    private long serviceTimer = NONE;
    private long serviceAt;
    private long busyUntil;

    /**
     * An engine for one node.
     *
     * @param localNode this node's id.
     * @param config    timing parameters.
     * @param store     the coder facade holding this node's segments.
     * @param sender    the frame port.
     * @param timers    clock and timers of the engine's thread.
     * @param random    source of push targets and coding coefficients.
     * @param listener  receives decode events.
     */
    public MicroNcP2(
        final long localNode, final DisseminationConfig config, final SegmentStore store, final FrameSender sender,
        final EngineTimers timers, final SplittableRandom random, final DisseminationListener listener)
    {
        super(localNode, config, store, sender, timers, random, listener);
        requestServer = new long[segmentCount];
        Arrays.fill(requestServer, NONE);
        requestTime = new long[segmentCount];
        pendingMax = new int[segmentCount];
        pendingTarget = new long[segmentCount];
        pendingSince = new long[segmentCount];
        emptyBitfield = ByteString.copyFrom(new byte[(segmentCount + 7) >>> 3]);
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
    public void stop()
    {
        super.stop();
        if (serviceTimer != NONE)
        {
            timers.cancel(serviceTimer);
            serviceTimer = NONE;
        }
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
        if (!running)
        {
            return;
        }
        if (peerCount > 0)
        {
            final long target = peers[random.nextInt(peerCount)];
            for (int i = 0; i < generationSize; i++)
            {
                sendCoded(target, segment);
            }
            busyUntil = Math.max(busyUntil, timers.nanoTime()) + generationSize * config.packetAirtimeNanos();
        }
        sendControl(FrameSender.BROADCAST, advertisement(), MessageType.ADVERTISE);
    }

    /**
     * Number of segments with merged requests waiting to be served.
     *
     * @return the count.
     */
    public int pendingSegments()
    {
        return pendingSegments;
    }

    /**
     * The node this node last requested a segment from.
     *
     * @param segment segment index.
     * @return the server's node id, or {@link Long#MIN_VALUE} if no request is outstanding.
     */
    public long requestedFrom(final int segment)
    {
        return requestServer[segment];
    }

    @Override
    boolean learnsPeers()
    {
        return true;
    }

    @Override
    boolean onControl(final long source, final long destination, final boolean overheard, final P2Control control)
    {
        switch (control.getBodyCase())
        {
            case ADVERTISE:
                return onAdvertise(source, control);
            case REQUEST:
                return overheard || onRequest(source, control.getRequest());
            case NOTIFY:
                return onNotify(source, control.getNotify());
            default:
                return false;
        }
    }

    private boolean onAdvertise(final long source, final P2Control control)
    {
        final int peer = peerIndex(source);
        if (!recordAdvertise(peer, control.getAdvertise()))
        {
            return false;
        }
        for (int s = 0; s < segmentCount; s++)
        {
            if (requestServer[s] == NONE && peerHolds(peer, s) && !store.isDecoded(s))
            {
                request(source, s);
            }
        }
        return true;
    }

    private boolean onRequest(final long source, final P2Request request)
    {
        final int segment = request.getSegment();
        final int missing = request.getMissing();
        if (!validSegment(segment) || missing <= 0 || missing > generationSize)
        {
            return false;
        }
        if (!store.isDecoded(segment))
        {
            return true;
        }
        final long now = timers.nanoTime();
        if (pendingMax[segment] == 0)
        {
            pendingSegments++;
            pendingSince[segment] = now;
        }
        if (missing > pendingMax[segment])
        {
            pendingMax[segment] = missing;
            pendingTarget[segment] = source;
        }
        scheduleService(Math.max(busyUntil, pendingSince[segment] + config.aggregationNanos()));
        return true;
    }

    private boolean onNotify(final long source, final P2Notify notify)
    {
        final int segment = notify.getSegment();
        if (!validSegment(segment))
        {
            return false;
        }
        if (requestServer[segment] == source && !store.isDecoded(segment))
        {
            request(source, segment);
        }
        return true;
    }

    @Override
    void onData(final long source, final boolean overheard, final int segment, final ByteBuf buffer,
        final int offset, final int length)
    {
        final int result = absorb(source, segment, buffer, offset, length);
        if (result == SegmentStore.ABSORB_CORRUPT)
        {
            requestServer[segment] = NONE;
        }
    }

    @Override
    void decoded(final int segment)
    {
        requestServer[segment] = NONE;
        super.decoded(segment);
    }

    private void request(final long server, final int segment)
    {
        final int missing = generationSize - store.rank(segment);
        requestServer[segment] = server;
        requestTime[segment] = timers.nanoTime();
        if (missing > 0)
        {
            sendControl(server, P2Control.newBuilder()
                .setRequest(P2Request.newBuilder().setSegment(segment).setMissing(missing)).build(),
                MessageType.REQUEST);
        }
    }

    private void scheduleService(final long at)
    {
        if (serviceTimer != NONE)
        {
            if (serviceAt <= at)
            {
                return;
            }
            timers.cancel(serviceTimer);
        }
        serviceAt = at;
        serviceTimer = timers.scheduleAt(at, serviceTask);
    }

    private void onServiceTimer()
    {
        serviceTimer = NONE;
        if (!running || pendingSegments == 0)
        {
            return;
        }
        final long now = timers.nanoTime();
        if (now < busyUntil)
        {
            scheduleService(busyUntil);
            return;
        }
        int segment = -1;
        long earliestReady = Long.MAX_VALUE;
        for (int s = 0; s < segmentCount; s++)
        {
            if (pendingMax[s] > 0)
            {
                final long ready = pendingSince[s] + config.aggregationNanos();
                if (ready <= now)
                {
                    segment = s;
                    break;
                }
                earliestReady = Math.min(earliestReady, ready);
            }
        }
        if (segment < 0)
        {
            scheduleService(earliestReady);
            return;
        }
        final int count = pendingMax[segment];
        final long target = pendingTarget[segment];
        pendingMax[segment] = 0;
        pendingSegments--;
        for (int i = 0; i < count; i++)
        {
            sendCoded(target, segment);
        }
        sendControl(FrameSender.BROADCAST, P2Control.newBuilder()
            .setNotify(P2Notify.newBuilder().setSegment(segment).setSent(count)).build(), MessageType.NOTIFY);
        busyUntil = now + count * config.packetAirtimeNanos();
        if (pendingSegments > 0)
        {
            scheduleService(busyUntil);
        }
    }

    private void onAdvertiseTimer()
    {
        if (!running)
        {
            return;
        }
        final P2Control advertisement = advertisement();
        if (!advertisement.getAdvertise().getBitfield().equals(emptyBitfield))
        {
            sendControl(FrameSender.BROADCAST, advertisement, MessageType.ADVERTISE);
        }
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
            if (store.isDecoded(s))
            {
                continue;
            }
            if (requestServer[s] == NONE || now - requestTime[s] >= config.recoveryTimeoutNanos())
            {
                final long holder = randomHolder(s);
                if (holder != NONE)
                {
                    request(holder, s);
                }
            }
        }
        timers.scheduleAt(now + config.recoveryPeriodNanos(), recoveryTask);
    }
}
