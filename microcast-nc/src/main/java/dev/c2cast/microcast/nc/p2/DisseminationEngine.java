package dev.c2cast.microcast.nc.p2;

import io.netty.buffer.ByteBuf;

/**
 * One device's local dissemination protocol: segments enter from the cellular download
 * ({@link #onSegmentDownloaded(int)}) or from frames of the group ({@link #onFrame}), and leave as frames through
 * the engine's {@link FrameSender}. Implementations: {@link MicroNcP2}, {@link BitTorrentPull}, {@link R2Push},
 * {@link NoCooperation}.
 * <p>
 * Threading: a single-threaded state machine; every method, timer task and listener call runs on one thread.
 */
public interface DisseminationEngine
{
    /** Frame type of control frames (protobuf {@code P2Control}). */
    int CONTROL_FRAME_TYPE = 64;
    /** Frame type of data frames ({@link DataFrame}). */
    int DATA_FRAME_TYPE = 65;

    /**
     * Starts the engine's periodic timers.
     */
    void start();

    /**
     * Stops the engine's timers; later frames are ignored.
     */
    void stop();

    /**
     * Adds a neighbour (from discovery or configuration). MicroNC-P2 also adds the sender of any valid frame; the
     * baselines only talk to the neighbours added here.
     *
     * @param node the neighbour's node id.
     */
    void addPeer(long node);

    /**
     * A segment was downloaded over the cellular link; the engine loads it into its store and shares it.
     *
     * @param segment segment index.
     */
    void onSegmentDownloaded(int segment);

    /**
     * A frame arrived, addressed to this node or overheard.
     *
     * @param frameType   {@link #CONTROL_FRAME_TYPE} or {@link #DATA_FRAME_TYPE}; others are ignored.
     * @param source      sender's node id.
     * @param destination intended receiver, or {@link FrameSender#BROADCAST}.
     * @param overheard   true if this node was not the intended receiver.
     * @param buffer      holds the payload; valid only during the call.
     * @param offset      payload start.
     * @param length      payload length.
     */
    void onFrame(int frameType, long source, long destination, boolean overheard, ByteBuf buffer, int offset,
        int length);

    /**
     * Segments held decoded.
     *
     * @return the count.
     */
    int decodedSegments();

    /**
     * Whether every segment is held decoded.
     *
     * @return true when complete.
     */
    boolean isComplete();

    /**
     * Counters of this engine.
     *
     * @return the live counters.
     */
    EngineCounters counters();
}
