package dev.c2cast.examples.microcast;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import dev.c2cast.microcast.nc.p2.DisseminationEngine;
import dev.c2cast.microcast.nc.p2.FrameSender;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * An in-process pseudo-broadcast medium for the demo (microcast.txt, section V-C): every frame reaches every other
 * device, flagged as overheard unless it was addressed to it or broadcast. It stands for the group's local Wi-Fi,
 * which is much faster than the cellular links, so it adds no delay or loss; the pseudobroadcast module's UDP
 * transport is the one for separate hosts. Thread-safe; each delivery runs on the receiving device's thread.
 */
final class LocalMedium
{
    private final Map<Long, Attached> devices = new ConcurrentHashMap<>();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    private record Attached(Executor executor, DisseminationEngine engine)
    {
    }

    void attach(final long node, final Executor executor, final DisseminationEngine engine)
    {
        devices.put(node, new Attached(executor, engine));
    }

    void detach(final long node)
    {
        devices.remove(node);
    }

    FrameSender sender(final long node)
    {
        return (frameType, destination, payload) ->
        {
            final byte[] frame = ByteBufUtil.getBytes(payload, payload.readerIndex(), payload.readableBytes(), true);
            frames.incrementAndGet();
            bytes.addAndGet(frame.length);
            for (final Map.Entry<Long, Attached> entry : devices.entrySet())
            {
                final long receiver = entry.getKey();
                if (receiver == node)
                {
                    continue;
                }
                final boolean overheard = destination != FrameSender.BROADCAST && destination != receiver;
                final DisseminationEngine engine = entry.getValue().engine();
                try
                {
                    entry.getValue().executor().execute(() ->
                        engine.onFrame(frameType, node, destination, overheard, Unpooled.wrappedBuffer(frame), 0, frame.length));
                }
                catch (final RejectedExecutionException ex)
                {
                    // That device has shut down: the frame is lost, as on air.
                }
            }
            return true;
        };
    }

    long frames()
    {
        return frames.get();
    }

    long bytes()
    {
        return bytes.get();
    }
}
