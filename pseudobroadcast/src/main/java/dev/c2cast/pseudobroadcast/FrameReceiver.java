package dev.c2cast.pseudobroadcast;

import io.netty.buffer.ByteBuf;

/**
 * The receive path every transport shares: validate the header, drop and count what is malformed, oversized,
 * foreign or unhandled, count the rest per peer, and dispatch by frame type.
 * <p>
 * Confined to the transport's thread; allocation-free once every peer has been seen.
 */
final class FrameReceiver
{
    private final long localNode;
    private final int groupId;
    private final int maxFrameLength;
    private final TransportCounters counters;
    private final FrameListener[] listeners = new FrameListener[FrameType.MAX_TYPE + 1];
    private final FrameHeader header = new FrameHeader();

    FrameReceiver(final long localNode, final int groupId, final int maxPayloadLength, final TransportCounters counters)
    {
        this.localNode = localNode;
        this.groupId = groupId;
        this.maxFrameLength = FrameHeader.HEADER_LENGTH + maxPayloadLength;
        this.counters = counters;
    }

    void listener(final int frameType, final FrameListener listener)
    {
        listeners[FrameType.validate(frameType)] = listener;
    }

    /**
     * Handles one received frame.
     *
     * @return true if it reached a listener.
     */
    boolean onFrame(final ByteBuf buffer, final int offset, final int length)
    {
        if (length > maxFrameLength)
        {
            counters.onOversized();
            return false;
        }
        header.wrap(buffer, offset, length);
        if (header.validate() != FrameHeader.VALID)
        {
            counters.onMalformed();
            return false;
        }
        if (header.groupId() != groupId)
        {
            counters.onOtherGroup();
            return false;
        }
        final long source = header.source();
        if (source == localNode)
        {
            return false;
        }
        final long destination = header.destination();
        final boolean overheard = destination != NodeId.BROADCAST_VALUE && destination != localNode;
        final int payloadLength = header.payloadLength();
        counters.onReceived(source, overheard, payloadLength);
        final FrameListener listener = listeners[header.type()];
        if (listener == null)
        {
            counters.onUnhandled();
            return false;
        }
        listener.onFrame(source, destination, overheard, buffer, header.payloadOffset(), payloadLength);
        return true;
    }
}
