package dev.c2cast.pseudobroadcast;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

import dev.c2cast.pseudobroadcast.internal.Long2ObjectHashMap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Reliable, ordered, duplicate-free unicast messaging over any {@link Transport} (MicroBroadcast's reliable
 * message exchange, MicroCast V-C): selective-repeat ARQ with a bounded window per peer, cumulative plus bitmap
 * acknowledgements, retransmission with exponential back-off, and a failure callback when a peer stops answering.
 * <pre>
 * RELIABLE payload                         ACK payload
 *  0               4               8        0               4               8                              16
 * +---------------+---------------+---     +---------------+---------------+-------------------------------+
 * |    Session    |   Sequence    | data   |    Session    | Next expected |  Received bitmap (bit i means |
 * +---------------+---------------+---     +---------------+---------------+  next expected + 1 + i)       |
 *                                                                          +-------------------------------+
 * </pre>
 * A session number, drawn at random and changed whenever a peer is declared unreachable, lets a receiver tell a
 * restarted stream from retransmissions of the old one; sequences restart at zero in each session.
 * <p>
 * Confined to the transport's thread. Sending, acknowledging and delivering do not allocate once a peer's window
 * buffers exist.
 */
public final class ReliableMessenger implements AutoCloseable
{
    /** Bytes the messenger adds in front of each message. */
    public static final int HEADER_LENGTH = 8;
    /** Length of an acknowledgement payload. */
    public static final int ACK_LENGTH = 16;

    private final Transport transport;
    private final TimerService timers;
    private final ReliableConfig config;
    private final SplittableRandom random;
    private final ReliableListener listener;
    private final Long2ObjectHashMap<Outbound> outbound = new Long2ObjectHashMap<>(16);
    private final Long2ObjectHashMap<Inbound> inbound = new Long2ObjectHashMap<>(16);
    private final ByteBuf ack = Unpooled.buffer(ACK_LENGTH, ACK_LENGTH);
    private final int slotCapacity;

    private long messagesSent;
    private long messagesDelivered;
    private long retransmissions;
    private long duplicates;
    private long acksSent;
    private long malformed;
    private long peersFailed;

    /**
     * A messenger; it takes over the transport's {@link FrameType#RELIABLE} and {@link FrameType#ACK} listeners.
     *
     * @param transport the transport.
     * @param config    window and retransmission parameters.
     * @param random    source of session numbers.
     * @param listener  receives messages and failures.
     */
    public ReliableMessenger(
        final Transport transport, final ReliableConfig config, final SplittableRandom random,
        final ReliableListener listener)
    {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.timers = transport.timers();
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.slotCapacity = transport.maxPayloadLength();
        if (slotCapacity < HEADER_LENGTH + 1)
        {
            throw new IllegalArgumentException("transport payload too small for reliable messages");
        }
        transport.listener(FrameType.RELIABLE, this::onReliable);
        transport.listener(FrameType.ACK, this::onAck);
    }

    /**
     * Largest message {@link #send(NodeId, ByteBuf)} accepts.
     *
     * @return bytes.
     */
    public int maxMessageLength()
    {
        return slotCapacity - HEADER_LENGTH;
    }

    /**
     * Sends a message reliably; its bytes are copied before the call returns.
     *
     * @param destination the peer.
     * @param message     the message (its readable bytes; indices unchanged).
     * @return true if accepted, false if the window to that peer is full (wait for
     *         {@link ReliableListener#onWindowAvailable(long)}).
     * @throws IllegalArgumentException if longer than {@link #maxMessageLength()}.
     */
    public boolean send(final NodeId destination, final ByteBuf message)
    {
        final int length = message.readableBytes();
        if (length > maxMessageLength())
        {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds " + maxMessageLength());
        }
        final long peer = destination.value();
        if (peer == transport.localNode().value())
        {
            throw new IllegalArgumentException("cannot send to self");
        }
        Outbound out = outbound.get(peer);
        if (out == null)
        {
            out = new Outbound(peer, config.window(), random.nextInt());
            outbound.put(peer, out);
        }
        if (out.next - out.base >= config.window())
        {
            out.refused = true;
            return false;
        }
        final int slot = slot(out.next);
        ByteBuf buffer = out.slots[slot];
        if (buffer == null)
        {
            buffer = Unpooled.buffer(slotCapacity, slotCapacity);
            out.slots[slot] = buffer;
        }
        buffer.setInt(0, out.session);
        buffer.setInt(4, out.next);
        message.getBytes(message.readerIndex(), buffer, HEADER_LENGTH, length);
        buffer.setIndex(0, HEADER_LENGTH + length);
        out.acked[slot] = false;
        out.retries[slot] = 0;
        out.deadlines[slot] = timers.nanoTime() + config.initialRtoNanos();
        out.next++;
        messagesSent++;
        transport.send(FrameType.RELIABLE, peer, buffer);
        arm(out, out.deadlines[slot]);
        return true;
    }

    /**
     * Messages sent to a peer and not yet acknowledged.
     *
     * @param peer the peer.
     * @return the count.
     */
    public int inFlight(final NodeId peer)
    {
        final Outbound out = outbound.get(peer.value());
        return out == null ? 0 : out.next - out.base;
    }

    private int slot(final int sequence)
    {
        return Integer.remainderUnsigned(sequence, config.window());
    }

    private long rto(final int retries)
    {
        final long rto = config.initialRtoNanos() << Math.min(retries, 30);
        return rto <= 0 || rto > config.maxRtoNanos() ? config.maxRtoNanos() : rto;
    }

    private void arm(final Outbound out, final long deadline)
    {
        if (out.timerId != 0)
        {
            if (out.timerDeadline <= deadline)
            {
                return;
            }
            timers.cancel(out.timerId);
        }
        out.timerDeadline = deadline;
        out.timerId = timers.scheduleAt(deadline, out.onTimer);
    }

    private void onTimer(final Outbound out)
    {
        out.timerId = 0;
        final long now = timers.nanoTime();
        long earliest = Long.MAX_VALUE;
        for (int sequence = out.base; sequence != out.next; sequence++)
        {
            final int slot = slot(sequence);
            if (out.acked[slot])
            {
                continue;
            }
            if (out.deadlines[slot] <= now)
            {
                if (out.retries[slot] >= config.maxRetransmissions())
                {
                    fail(out);
                    return;
                }
                out.retries[slot]++;
                out.deadlines[slot] = now + rto(out.retries[slot]);
                retransmissions++;
                transport.send(FrameType.RELIABLE, out.peer, out.slots[slot]);
            }
            earliest = Math.min(earliest, out.deadlines[slot]);
        }
        if (earliest != Long.MAX_VALUE)
        {
            arm(out, earliest);
        }
    }

    private void fail(final Outbound out)
    {
        int undelivered = 0;
        for (int sequence = out.base; sequence != out.next; sequence++)
        {
            if (!out.acked[slot(sequence)])
            {
                undelivered++;
            }
        }
        if (out.timerId != 0)
        {
            timers.cancel(out.timerId);
            out.timerId = 0;
        }
        out.session++;
        out.base = 0;
        out.next = 0;
        peersFailed++;
        listener.onPeerUnreachable(out.peer, undelivered);
    }

    private void onAck(
        final long source, final long destination, final boolean overheard, final ByteBuf buffer, final int offset,
        final int length)
    {
        if (overheard)
        {
            return;
        }
        if (length != ACK_LENGTH)
        {
            malformed++;
            return;
        }
        final Outbound out = outbound.get(source);
        if (out == null || buffer.getInt(offset) != out.session)
        {
            return;
        }
        final int cumulative = buffer.getInt(offset + 4);
        final long bitmap = buffer.getLong(offset + 8);
        if (cumulative - out.base > out.next - out.base)
        {
            malformed++;
            return;
        }
        // An acknowledgement overtaken by a later one (reordered on the way) may report a cumulative point below
        // the base; what it says about sequences at or above the base is still true, the rest is old news.
        final int inFlight = out.next - out.base;
        for (int sequence = out.base; sequence - cumulative < 0; sequence++)
        {
            out.acked[slot(sequence)] = true;
        }
        for (int i = 0; i < 64; i++)
        {
            if ((bitmap & (1L << i)) != 0)
            {
                final int ahead = cumulative + 1 + i - out.base;
                if (ahead >= 0 && ahead < inFlight)
                {
                    out.acked[slot(out.base + ahead)] = true;
                }
            }
        }
        final int before = out.base;
        while (out.base != out.next && out.acked[slot(out.base)])
        {
            out.base++;
        }
        if (out.base == out.next && out.timerId != 0)
        {
            timers.cancel(out.timerId);
            out.timerId = 0;
        }
        if (out.base != before && out.refused)
        {
            out.refused = false;
            listener.onWindowAvailable(out.peer);
        }
    }

    private void onReliable(
        final long source, final long destination, final boolean overheard, final ByteBuf buffer, final int offset,
        final int length)
    {
        if (overheard)
        {
            return;
        }
        if (length < HEADER_LENGTH)
        {
            malformed++;
            return;
        }
        final int session = buffer.getInt(offset);
        final int sequence = buffer.getInt(offset + 4);
        Inbound in = inbound.get(source);
        if (in == null)
        {
            in = new Inbound(config.window());
            inbound.put(source, in);
            in.session = session;
        }
        else if (in.session != session)
        {
            in.session = session;
            in.expected = 0;
            Arrays.fill(in.present, false);
        }
        final int distance = sequence - in.expected;
        if (distance < 0)
        {
            duplicates++;
        }
        else if (distance < config.window())
        {
            if (distance == 0)
            {
                in.expected++;
                messagesDelivered++;
                listener.onMessage(source, buffer, offset + HEADER_LENGTH, length - HEADER_LENGTH);
                drain(source, in);
            }
            else
            {
                final int slot = slot(sequence);
                if (in.present[slot])
                {
                    duplicates++;
                }
                else
                {
                    ByteBuf held = in.slots[slot];
                    if (held == null)
                    {
                        held = Unpooled.buffer(slotCapacity, slotCapacity);
                        in.slots[slot] = held;
                    }
                    buffer.getBytes(offset, held, 0, length);
                    in.lengths[slot] = length;
                    in.present[slot] = true;
                }
            }
        }
        sendAck(source, in);
    }

    private void drain(final long source, final Inbound in)
    {
        int slot;
        while (in.present[slot = slot(in.expected)])
        {
            in.present[slot] = false;
            in.expected++;
            messagesDelivered++;
            listener.onMessage(source, in.slots[slot], HEADER_LENGTH, in.lengths[slot] - HEADER_LENGTH);
        }
    }

    private void sendAck(final long peer, final Inbound in)
    {
        long bitmap = 0;
        for (int i = 0; i < config.window() - 1; i++)
        {
            if (in.present[slot(in.expected + 1 + i)])
            {
                bitmap |= 1L << i;
            }
        }
        ack.setInt(0, in.session);
        ack.setInt(4, in.expected);
        ack.setLong(8, bitmap);
        ack.setIndex(0, ACK_LENGTH);
        acksSent++;
        transport.send(FrameType.ACK, peer, ack);
    }

    /**
     * Messages accepted by {@link #send(NodeId, ByteBuf)}.
     *
     * @return the count.
     */
    public long messagesSent()
    {
        return messagesSent;
    }

    /**
     * Messages handed to the listener.
     *
     * @return the count.
     */
    public long messagesDelivered()
    {
        return messagesDelivered;
    }

    /**
     * Retransmissions made.
     *
     * @return the count.
     */
    public long retransmissions()
    {
        return retransmissions;
    }

    /**
     * Received copies of messages already delivered or buffered, suppressed.
     *
     * @return the count.
     */
    public long duplicatesSuppressed()
    {
        return duplicates;
    }

    /**
     * Acknowledgements sent.
     *
     * @return the count.
     */
    public long acksSent()
    {
        return acksSent;
    }

    /**
     * Reliable or acknowledgement frames dropped as malformed.
     *
     * @return the count.
     */
    public long malformed()
    {
        return malformed;
    }

    /**
     * Times a peer was declared unreachable.
     *
     * @return the count.
     */
    public long peersFailed()
    {
        return peersFailed;
    }

    /**
     * Stops: cancels every retransmission timer and releases the transport's listeners.
     */
    @Override
    public void close()
    {
        outbound.forEach((peer, out) ->
        {
            if (out.timerId != 0)
            {
                timers.cancel(out.timerId);
                out.timerId = 0;
            }
        });
        transport.listener(FrameType.RELIABLE, null);
        transport.listener(FrameType.ACK, null);
    }

    private final class Outbound
    {
        final long peer;
        final ByteBuf[] slots;
        final boolean[] acked;
        final int[] retries;
        final long[] deadlines;
        final Runnable onTimer = () -> ReliableMessenger.this.onTimer(this);
        int session;
        int base;
        int next;
        long timerId;
        long timerDeadline;
        boolean refused;

        Outbound(final long peer, final int window, final int session)
        {
            this.peer = peer;
            this.slots = new ByteBuf[window];
            this.acked = new boolean[window];
            this.retries = new int[window];
            this.deadlines = new long[window];
            this.session = session;
        }
    }

    private static final class Inbound
    {
        final ByteBuf[] slots;
        final int[] lengths;
        final boolean[] present;
        int session;
        int expected;

        Inbound(final int window)
        {
            this.slots = new ByteBuf[window];
            this.lengths = new int[window];
            this.present = new boolean[window];
        }
    }
}
