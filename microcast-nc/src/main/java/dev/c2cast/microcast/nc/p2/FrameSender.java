package dev.c2cast.microcast.nc.p2;

import io.netty.buffer.ByteBuf;

/**
 * The port through which an engine transmits frames: pseudo-broadcast semantics, a frame sent to one node is
 * overheard by the others in range. Adapters bind it to a pseudobroadcast transport or to a simulated medium.
 * <p>
 * Threading: called only from the engine's thread.
 */
@FunctionalInterface
public interface FrameSender
{
    /** Destination value that addresses every node; node ids are never zero (as in pseudobroadcast's NodeId). */
    long BROADCAST = 0L;

    /**
     * Sends a frame; the payload's readable bytes are copied or written before the call returns and its indices
     * are left unchanged.
     *
     * @param frameType   {@link DisseminationEngine#CONTROL_FRAME_TYPE} or {@link DisseminationEngine#DATA_FRAME_TYPE}.
     * @param destination the intended receiver's node id, or {@link #BROADCAST}.
     * @param payload     the frame payload.
     * @return true if queued for transmission, false if dropped locally.
     */
    boolean send(int frameType, long destination, ByteBuf payload);
}
