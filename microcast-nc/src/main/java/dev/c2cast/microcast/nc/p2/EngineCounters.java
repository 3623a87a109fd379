package dev.c2cast.microcast.nc.p2;

/**
 * What one engine sent and received: frames and payload bytes per {@link MessageType}, innovative and
 * non-innovative coded receptions, and drops.
 * <p>
 * Threading: written on the engine's thread; read it there or after the engine stopped.
 */
public final class EngineCounters
{
    private final long[] framesSent = new long[MessageType.all().length];
    private final long[] bytesSent = new long[MessageType.all().length];
    private long innovative;
    private long redundant;
    private long rejected;
    private long corruptSegments;
    private long malformedFrames;
    private long sendFailures;

    EngineCounters()
    {
    }

    void sent(final MessageType type, final int bytes, final boolean queued)
    {
        if (queued)
        {
            framesSent[type.ordinal()]++;
            bytesSent[type.ordinal()] += bytes;
        }
        else
        {
            sendFailures++;
        }
    }

    void absorbed(final int result)
    {
        switch (result)
        {
            case SegmentStore.ABSORB_INNOVATIVE:
            case SegmentStore.ABSORB_DECODED:
                innovative++;
                break;
            case SegmentStore.ABSORB_REDUNDANT:
                redundant++;
                break;
            case SegmentStore.ABSORB_CORRUPT:
                innovative++;
                corruptSegments++;
                break;
            default:
                rejected++;
                break;
        }
    }

    void malformed()
    {
        malformedFrames++;
    }

    /**
     * Frames of one type queued for transmission.
     *
     * @param type the message type.
     * @return the count.
     */
    public long framesSent(final MessageType type)
    {
        return framesSent[type.ordinal()];
    }

    /**
     * Payload bytes of one type queued for transmission.
     *
     * @param type the message type.
     * @return bytes.
     */
    public long bytesSent(final MessageType type)
    {
        return bytesSent[type.ordinal()];
    }

    /**
     * Payload bytes of all types queued for transmission.
     *
     * @return bytes.
     */
    public long totalBytesSent()
    {
        long sum = 0;
        for (final long b : bytesSent)
        {
            sum += b;
        }
        return sum;
    }

    /**
     * Frames of all types queued for transmission.
     *
     * @return the count.
     */
    public long totalFramesSent()
    {
        long sum = 0;
        for (final long f : framesSent)
        {
            sum += f;
        }
        return sum;
    }

    /**
     * Received data packets that increased a segment's rank.
     *
     * @return the count.
     */
    public long innovativeReceived()
    {
        return innovative;
    }

    /**
     * Received data packets that did not.
     *
     * @return the count.
     */
    public long nonInnovativeReceived()
    {
        return redundant;
    }

    /**
     * Data packets the store rejected (malformed or from an ignored source).
     *
     * @return the count.
     */
    public long rejectedPackets()
    {
        return rejected;
    }

    /**
     * Segments that reached full rank but failed verification and were discarded.
     *
     * @return the count.
     */
    public long corruptSegments()
    {
        return corruptSegments;
    }

    /**
     * Frames that could not be parsed.
     *
     * @return the count.
     */
    public long malformedFrames()
    {
        return malformedFrames;
    }

    /**
     * Frames the sender refused (queue full or closed).
     *
     * @return the count.
     */
    public long sendFailures()
    {
        return sendFailures;
    }
}
