package dev.c2cast.microcast.nc.p2;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.c2cast.microcast.nc.sim.VirtualSegmentStore;
import dev.c2cast.microcast.nc.wire.P2Control;
import dev.c2cast.testkit.FakeScheduler;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * One engine under test with a fake scheduler, a recording frame port and a virtual store.
 */
final class EngineHarness implements EngineTimers, FrameSender
{
    record Sent(int frameType, long destination, byte[] payload)
    {
        boolean isData()
        {
            return frameType == DisseminationEngine.DATA_FRAME_TYPE;
        }

        P2Control control()
        {
            try
            {
                return P2Control.parseFrom(payload);
            }
            catch (final InvalidProtocolBufferException ex)
            {
                throw new AssertionError(ex);
            }
        }

        int segment()
        {
            return Unpooled.wrappedBuffer(payload).getInt(0);
        }
    }

    final FakeScheduler scheduler = new FakeScheduler();
    final Map<Long, FakeScheduler.Timer> timers = new HashMap<>();
    final List<Sent> sent = new ArrayList<>();
    final VirtualSegmentStore store;
    final List<Integer> decoded = new ArrayList<>();
    long nextTimerId;
    boolean refuse;

    EngineHarness(final int segments, final int generationSize)
    {
        store = new VirtualSegmentStore(segments, generationSize, 8);
    }

    @Override
    public long nanoTime()
    {
        return scheduler.clock().nanoTime();
    }

    @Override
    public long scheduleAt(final long deadlineNanos, final Runnable task)
    {
        final long id = nextTimerId++;
        timers.put(id, scheduler.scheduleAt(deadlineNanos, task));
        return id;
    }

    @Override
    public boolean cancel(final long timerId)
    {
        final FakeScheduler.Timer timer = timers.remove(timerId);
        return timer != null && timer.cancel();
    }

    @Override
    public boolean send(final int frameType, final long destination, final ByteBuf payload)
    {
        if (refuse)
        {
            return false;
        }
        sent.add(new Sent(frameType, destination, ByteBufUtil.getBytes(payload)));
        return true;
    }

    void runFor(final long millis)
    {
        scheduler.runFor(millis, TimeUnit.MILLISECONDS);
    }

    List<Sent> drain()
    {
        final List<Sent> copy = new ArrayList<>(sent);
        sent.clear();
        return copy;
    }

    static void deliver(final DisseminationEngine engine, final long source, final long destination,
        final boolean overheard, final int frameType, final byte[] payload)
    {
        final ByteBuf buf = Unpooled.buffer(payload.length + 8);
        buf.writeZero(3);
        buf.writeBytes(payload);
        engine.onFrame(frameType, source, destination, overheard, buf, 3, payload.length);
    }

    static void deliverControl(final DisseminationEngine engine, final long source, final long destination,
        final P2Control control)
    {
        deliver(engine, source, destination, destination != 1 && destination != FrameSender.BROADCAST,
            DisseminationEngine.CONTROL_FRAME_TYPE, control.toByteArray());
    }

    /**
     * A data frame carrying one coded packet of a segment held by a source store.
     */
    static byte[] codedFrame(final VirtualSegmentStore source, final int segment, final SplittableRandom random)
    {
        final ByteBuf buf = Unpooled.buffer();
        buf.writeInt(segment);
        source.writeCoded(segment, buf, random);
        return ByteBufUtil.getBytes(buf);
    }

    static DisseminationConfig config()
    {
        return DisseminationConfig.defaults();
    }
}
