package dev.c2cast.pseudobroadcast;

import java.util.Objects;

import dev.c2cast.pseudobroadcast.internal.Long2ObjectHashMap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Network-wide flooding for multi-hop groups (MicroCast V-C): every node re-broadcasts a message the first time it
 * hears it while its time-to-live lasts, and suppresses the copies it hears again.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                      Origin Node Id (64)                      |
 * +                                                               +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                    Flood Sequence (per origin)                |
 * +---------------+---------------+-------------------------------+
 * |      TTL      |     Hops      |        Reserved (zero)        |
 * +---------------+---------------+-------------------------------+
 * |                          Message ...                          |
 * </pre>
 * Duplicates are recognised per origin with the highest sequence seen and a 64-message bitmap below it; anything
 * older than that window counts as a duplicate.
 * <p>
 * Confined to the transport's thread; receiving and forwarding do not allocate once an origin has been seen.
 */
public final class Flooder implements AutoCloseable
{
    /** Bytes the flooder adds in front of each message. */
    public static final int HEADER_LENGTH = 16;
    /** Largest time-to-live. */
    public static final int MAX_TTL = 255;

    private static final int ORIGIN_OFFSET = 0;
    private static final int SEQUENCE_OFFSET = 8;
    private static final int TTL_OFFSET = 12;
    private static final int HOPS_OFFSET = 13;
    private static final int RESERVED_OFFSET = 14;

    private final Transport transport;
    private final FloodListener listener;
    private final Long2ObjectHashMap<Window> seen = new Long2ObjectHashMap<>(16);
    private final ByteBuf outgoing;
    private int sequence;
    private long originated;
    private long delivered;
    private long forwarded;
    private long duplicates;
    private long malformed;

    /**
     * A flooder; it takes over the transport's {@link FrameType#FLOOD} listener.
     *
     * @param transport the transport.
     * @param listener  receives each flooded message once.
     */
    public Flooder(final Transport transport, final FloodListener listener)
    {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.outgoing = Unpooled.buffer(transport.maxPayloadLength(), transport.maxPayloadLength());
        transport.listener(FrameType.FLOOD, this::onFlood);
    }

    /**
     * Largest message {@link #flood(ByteBuf, int)} accepts.
     *
     * @return bytes.
     */
    public int maxMessageLength()
    {
        return transport.maxPayloadLength() - HEADER_LENGTH;
    }

    /**
     * Floods a message to the whole group.
     *
     * @param message the message (its readable bytes, copied; indices unchanged).
     * @param ttl     transmissions it may take, 1 (neighbours only) to {@link #MAX_TTL}.
     * @return true if the first transmission was queued.
     */
    public boolean flood(final ByteBuf message, final int ttl)
    {
        if (ttl < 1 || ttl > MAX_TTL)
        {
            throw new IllegalArgumentException("ttl must be in 1..255: " + ttl);
        }
        final int length = message.readableBytes();
        if (length > maxMessageLength())
        {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds " + maxMessageLength());
        }
        outgoing.setLong(ORIGIN_OFFSET, transport.localNode().value());
        outgoing.setInt(SEQUENCE_OFFSET, sequence++);
        outgoing.setByte(TTL_OFFSET, ttl);
        outgoing.setByte(HOPS_OFFSET, 0);
        outgoing.setShort(RESERVED_OFFSET, 0);
        message.getBytes(message.readerIndex(), outgoing, HEADER_LENGTH, length);
        outgoing.setIndex(0, HEADER_LENGTH + length);
        originated++;
        return transport.send(FrameType.FLOOD, NodeId.BROADCAST_VALUE, outgoing);
    }

    private void onFlood(
        final long source, final long destination, final boolean overheard, final ByteBuf buffer, final int offset,
        final int length)
    {
        if (length < HEADER_LENGTH || buffer.getShort(offset + RESERVED_OFFSET) != 0)
        {
            malformed++;
            return;
        }
        final long origin = buffer.getLong(offset + ORIGIN_OFFSET);
        final int floodSequence = buffer.getInt(offset + SEQUENCE_OFFSET);
        final int ttl = buffer.getUnsignedByte(offset + TTL_OFFSET);
        final int hops = buffer.getUnsignedByte(offset + HOPS_OFFSET) + 1;
        if (ttl == 0 || origin == NodeId.BROADCAST_VALUE)
        {
            malformed++;
            return;
        }
        if (origin == transport.localNode().value())
        {
            duplicates++;
            return;
        }
        Window window = seen.get(origin);
        if (window == null)
        {
            window = new Window(floodSequence);
            seen.put(origin, window);
        }
        else if (!window.markNew(floodSequence))
        {
            duplicates++;
            return;
        }
        delivered++;
        listener.onFlood(origin, source, hops, buffer, offset + HEADER_LENGTH, length - HEADER_LENGTH);
        if (ttl > 1)
        {
            buffer.getBytes(offset, outgoing, 0, length);
            outgoing.setByte(TTL_OFFSET, ttl - 1);
            outgoing.setByte(HOPS_OFFSET, Math.min(hops, 255));
            outgoing.setIndex(0, length);
            forwarded++;
            transport.send(FrameType.FLOOD, NodeId.BROADCAST_VALUE, outgoing);
        }
    }

    /**
     * Messages this node flooded.
     *
     * @return the count.
     */
    public long originated()
    {
        return originated;
    }

    /**
     * Messages of other origins delivered to the listener.
     *
     * @return the count.
     */
    public long delivered()
    {
        return delivered;
    }

    /**
     * Messages re-broadcast for others.
     *
     * @return the count.
     */
    public long forwarded()
    {
        return forwarded;
    }

    /**
     * Copies suppressed as already seen (own messages echoed back included).
     *
     * @return the count.
     */
    public long duplicatesSuppressed()
    {
        return duplicates;
    }

    /**
     * Flood frames dropped as malformed.
     *
     * @return the count.
     */
    public long malformed()
    {
        return malformed;
    }

    /**
     * Releases the transport's flood listener.
     */
    @Override
    public void close()
    {
        transport.listener(FrameType.FLOOD, null);
    }

    private static final class Window
    {
        private int highest;
        private long below;

        Window(final int first)
        {
            highest = first;
        }

        boolean markNew(final int sequence)
        {
            final int distance = sequence - highest;
            if (distance > 0)
            {
                below = distance >= 64 ? 0 : (below << distance) | (1L << (distance - 1));
                highest = sequence;
                return true;
            }
            if (distance == 0 || distance < -64)
            {
                return false;
            }
            final long bit = 1L << (-distance - 1);
            if ((below & bit) != 0)
            {
                return false;
            }
            below |= bit;
            return true;
        }
    }
}
