package dev.c2cast.microcast.nc.p2;

import java.util.SplittableRandom;

import dev.c2cast.microcast.nc.wire.P2Brake;
import dev.c2cast.microcast.nc.wire.P2Control;

import io.netty.buffer.ByteBuf;

/**
 * The R2-Push baseline (microcast.txt, section VI-B, after Wang and Li's R2): a node pushes random linear
 * combinations of a segment to random neighbours that have not braked it, as soon as it holds any of it, up to
 * its rank plus a fixed redundancy {@link DisseminationConfig#r2Redundancy()} per neighbour; a node that decodes a
 * segment broadcasts a brake. One packet leaves per {@link DisseminationConfig#packetAirtimeNanos()}. So that a
 * neighbour whose pushes were all spent cannot stall forever, a holder grants it another r + 1 pushes after
 * {@link DisseminationConfig#recoveryTimeoutNanos()} without a brake. Overheard frames are ignored.
 * <p>
 * Threading: confined to one thread (see {@link DisseminationEngine}).
 */
public final class R2Push extends EngineBase
{
    private final int[] pushed;
    private final long[] lastGrant;
    private final int[] candidates;
    private final int[] targets = new int[MAX_PEERS];
    private final Runnable pushTask = this::onPushTimer;
    private final Runnable recoveryTask = this::onRecoveryTimer;
    private boolean pushScheduled;

    /**
     * An engine for one node.
     *
     * @param localNode this node's id.
     * @param config    timing parameters and redundancy.
     * @param store     holds this node's segments.
     * @param sender    the frame port.
     * @param timers    clock and timers of the engine's thread.
     * @param random    source of push choices and coefficients.
     * @param listener  receives decode events.
     */
    public R2Push(
        final long localNode, final DisseminationConfig config, final SegmentStore store, final FrameSender sender,
        final EngineTimers timers, final SplittableRandom random, final DisseminationListener listener)
    {
        super(localNode, config, store, sender, timers, random, listener);
        pushed = new int[segmentCount * MAX_PEERS];
        lastGrant = new long[segmentCount];
        candidates = new int[segmentCount];
    }

    @Override
    public void start()
    {
        super.start();
        timers.scheduleAt(timers.nanoTime() + config.recoveryPeriodNanos(), recoveryTask);
        schedulePush();
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
        super.decoded(segment);
        if (running)
        {
            sendControl(FrameSender.BROADCAST,
                P2Control.newBuilder().setBrake(P2Brake.newBuilder().setSegment(segment)).build(), MessageType.BRAKE);
            schedulePush();
        }
    }

    @Override
    boolean onControl(final long source, final long destination, final boolean overheard, final P2Control control)
    {
        if (control.getBodyCase() != P2Control.BodyCase.BRAKE)
        {
            return false;
        }
        final int segment = control.getBrake().getSegment();
        if (!validSegment(segment))
        {
            return false;
        }
        markPeerHolds(peerIndex(source), segment);
        return true;
    }

    @Override
    void onData(final long source, final boolean overheard, final int segment, final ByteBuf buffer,
        final int offset, final int length)
    {
        if (overheard)
        {
            return;
        }
        final int result = absorb(source, segment, buffer, offset, length);
        if (result == SegmentStore.ABSORB_INNOVATIVE || result == SegmentStore.ABSORB_DECODED)
        {
            schedulePush();
        }
    }

    /**
     * Collects into {@link #targets} the neighbours that have not braked a segment and still have push budget.
     */
    private int pushTargets(final int segment)
    {
        final int rank = store.rank(segment);
        if (rank == 0)
        {
            return 0;
        }
        final int limit = rank + config.r2Redundancy();
        int count = 0;
        for (int p = 0; p < peerCount; p++)
        {
            if (!peerHolds(p, segment) && pushed[segment * MAX_PEERS + p] < limit)
            {
                targets[count++] = p;
            }
        }
        return count;
    }

    private void schedulePush()
    {
        if (!pushScheduled && running)
        {
            pushScheduled = true;
            timers.scheduleAt(timers.nanoTime(), pushTask);
        }
    }

    private void onPushTimer()
    {
        pushScheduled = false;
        if (!running)
        {
            return;
        }
        int count = 0;
        for (int s = 0; s < segmentCount; s++)
        {
            if (pushTargets(s) > 0)
            {
                candidates[count++] = s;
            }
        }
        if (count == 0)
        {
            return;
        }
        final int segment = candidates[random.nextInt(count)];
        final int peer = targets[random.nextInt(pushTargets(segment))];
        sendCoded(peers[peer], segment);
        pushed[segment * MAX_PEERS + peer]++;
        pushScheduled = true;
        timers.scheduleAt(timers.nanoTime() + config.packetAirtimeNanos(), pushTask);
    }

    private void onRecoveryTimer()
    {
        if (!running)
        {
            return;
        }
        final long now = timers.nanoTime();
        final int limit = generationSize + config.r2Redundancy();
        for (int s = 0; s < segmentCount; s++)
        {
            if (!store.isDecoded(s) || now - lastGrant[s] < config.recoveryTimeoutNanos())
            {
                continue;
            }
            for (int p = 0; p < peerCount; p++)
            {
                final int slot = s * MAX_PEERS + p;
                if (!peerHolds(p, s) && pushed[slot] >= limit)
                {
                    pushed[slot] -= config.r2Redundancy() + 1;
                    lastGrant[s] = now;
                    schedulePush();
                }
            }
        }
        timers.scheduleAt(now + config.recoveryPeriodNanos(), recoveryTask);
    }
}
