package dev.c2cast.microcast.nc.p2;

import java.util.SplittableRandom;

import dev.c2cast.microcast.nc.wire.P2Control;

import io.netty.buffer.ByteBuf;

/**
 * The No-Cooperation baseline (microcast.txt, section VI-B): a device holds only what it downloads itself and
 * sends nothing to the group; frames it receives are ignored.
 * <p>
 * Threading: confined to one thread (see {@link DisseminationEngine}).
 */
public final class NoCooperation extends EngineBase
{
    /**
     * An engine for one node.
     *
     * @param localNode this node's id.
     * @param config    unused timing parameters, kept for a uniform constructor.
     * @param store     holds this node's segments.
     * @param sender    the frame port, never used.
     * @param timers    clock and timers of the engine's thread.
     * @param random    unused random source.
     * @param listener  receives decode events.
     */
    public NoCooperation(
        final long localNode, final DisseminationConfig config, final SegmentStore store, final FrameSender sender,
        final EngineTimers timers, final SplittableRandom random, final DisseminationListener listener)
    {
        super(localNode, config, store, sender, timers, random, listener);
    }

    @Override
    boolean onControl(final long source, final long destination, final boolean overheard, final P2Control control)
    {
        return true;
    }

    @Override
    void onData(final long source, final boolean overheard, final int segment, final ByteBuf buffer,
        final int offset, final int length)
    {
        // No cooperation: data from the group is not used.
    }
}
