package dev.c2cast.microcast.download;

import java.util.Objects;

/**
 * An {@link AssignmentSender} that encodes each decision with {@link ControlCodec} and hands the bytes to a
 * {@link ControlTransport}, such as the group's pseudobroadcast reliable messaging ({@link ReliableControlPlane}
 * does this for a whole group).
 * <p>
 * Threading: confined to the scheduler's thread, like the scheduler.
 */
public final class MessagingAssignmentSender implements AssignmentSender
{
    private final ControlTransport transport;

    /**
     * A sender over a transport.
     *
     * @param transport where encoded messages go.
     */
    public MessagingAssignmentSender(final ControlTransport transport)
    {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    @Override
    public void assign(final int deviceId, final SegmentRange segment, final long lease, final boolean endgameDuplicate)
    {
        transport.send(deviceId,
            ControlCodec.encode(new ControlMessage.Assignment(deviceId, segment, lease, endgameDuplicate)));
    }

    @Override
    public void revoke(final int deviceId, final int segmentIndex, final long lease)
    {
        transport.send(deviceId, ControlCodec.encode(new ControlMessage.Revocation(deviceId, segmentIndex, lease)));
    }
}
