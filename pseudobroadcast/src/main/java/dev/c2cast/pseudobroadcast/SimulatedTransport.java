package dev.c2cast.pseudobroadcast;

import io.netty.buffer.ByteBuf;

/**
 * A node's {@link Transport} on a {@link SimulatedMedium}, obtained from {@link SimulatedMedium#attach(NodeId)}.
 * Its timers are the medium's {@link Simulation}.
 * <p>
 * Confined to the simulation's thread.
 */
public final class SimulatedTransport implements Transport
{
    private final SimulatedMedium medium;
    private final NodeId node;
    private final int groupId;
    private final int maxPayloadLength;
    private final TransportCounters counters = new TransportCounters();
    private final FrameReceiver receiver;
    private int sequence;
    private boolean closed;

    SimulatedTransport(final SimulatedMedium medium, final NodeId node, final int groupId, final int maxPayloadLength)
    {
        this.medium = medium;
        this.node = node;
        this.groupId = groupId;
        this.maxPayloadLength = maxPayloadLength;
        this.receiver = new FrameReceiver(node.value(), groupId, maxPayloadLength, counters);
    }

    @Override
    public NodeId localNode()
    {
        return node;
    }

    @Override
    public int groupId()
    {
        return groupId;
    }

    @Override
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    @Override
    public boolean send(final int frameType, final long destination, final ByteBuf payload)
    {
        FrameType.validate(frameType);
        final int length = payload.readableBytes();
        if (length > maxPayloadLength)
        {
            throw new IllegalArgumentException("payload of " + length + " bytes exceeds " + maxPayloadLength);
        }
        if (destination == node.value())
        {
            throw new IllegalArgumentException("cannot send to self: " + node);
        }
        if (closed || !medium.enqueue(this, frameType, destination, sequence, payload))
        {
            counters.onSendRejected();
            return false;
        }
        sequence++;
        counters.onSent(destination, length);
        return true;
    }

    @Override
    public void listener(final int frameType, final FrameListener listener)
    {
        receiver.listener(frameType, listener);
    }

    @Override
    public TransportCounters counters()
    {
        return counters;
    }

    @Override
    public Simulation timers()
    {
        return medium.simulation();
    }

    /**
     * Hands raw bytes to this node's receive path as if the medium had delivered them, for tests of the drop
     * counters and for replaying captures.
     *
     * @param frame  buffer holding the frame.
     * @param offset index of its first byte.
     * @param length its length.
     */
    public void inject(final ByteBuf frame, final int offset, final int length)
    {
        deliver(frame, offset, length);
    }

    void deliver(final ByteBuf frame, final int offset, final int length)
    {
        if (!closed)
        {
            receiver.onFrame(frame, offset, length);
        }
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            medium.detach(this);
        }
    }

    @Override
    public String toString()
    {
        return "SimulatedTransport{" + node + '}';
    }
}
