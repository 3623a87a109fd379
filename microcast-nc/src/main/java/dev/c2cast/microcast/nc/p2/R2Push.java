package dev.c2cast.microcast.nc.p2;

import java.util.SplittableRandom;

import dev.c2cast.microcast.nc.wire.P2Brake;
import dev.c2cast.microcast.nc.wire.P2Control;

import io.netty.buffer.ByteBuf;

/**
 * The R2-Push baseline (microcast.txt, section VI-B, after Wang and Li's R2): a node pushes random linear
 * combinations of a segment to random neighbours that have not braked it, as soon as it holds any of it, up to
 * its rank plus a fixed redundancy {@link DisseminationConfig#r2Redundancy()}; a node that decodes a segment
 * broadcasts a brake. One packet leaves per {@link DisseminationConfig#packetAirtimeNanos()}. So that a segment
 * whose pushes were all spent cannot stall a neighbour forever, a holder grants itself another r pushes of it after
 * {@link DisseminationConfig#recoveryTimeoutNanos()} without progress. Overheard frames are ignored.
 * <p>
 * Threading: confined to one thread (see {@link DisseminationEngine}).
 */
public final class R2Push extends EngineBase
{
    private final int[] pushed;
    private final long[] lastProgress;
    private final int[] candidates;
    private final long[] targets = new long[MAX_PEERS];
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
        pushed = new int[segmentCount];
        lastProgress = new long[segmentCount];
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
        if (store.isDecoded(segment))
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
        lastProgress[segment] = timers.nanoTime();
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
            lastProgress[segment] = timers.nanoTime();
            schedulePush();
        }
    }

    private int budget(final int segment)
    {
        final int rank = store.rank(segment);
        return rank == 0 ? 0 : rank + config.r2Redundancy() - pushed[segment];
    }

    private int unbrakedTargets(final int segment)
    {
        int count = 0;
        for (int p = 0; p < peerCount; p++)
        {
            if (!peerHolds(p, segment))
            {
                targets[count++] = peers[p];
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
            if (budget(s) > 0 && unbrakedTargets(s) > 0)
            {
                candidates[count++] = s;
            }
        }
        if (count == 0)
        {
            return;
        }
        final int segment = candidates[random.nextInt(count)];
        final int targetCount = unbrakedTargets(segment);
        sendCoded(targets[random.nextInt(targetCount)], segment);
        pushed[segment]++;
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
        for (int s = 0; s < segmentCount; s++)
        {
            if (store.isDecoded(s) && budget(s) <= 0 && now - lastProgress[s] >= config.recoveryTimeoutNanos() &&
                unbrakedTargets(s) > 0)
            {
                pushed[s] -= config.r2Redundancy() + 1;
                lastProgress[s] = now;
                schedulePush();
            }
        }
        timers.scheduleAt(now + config.recoveryPeriodNanos(), recoveryTask);
    }
}
