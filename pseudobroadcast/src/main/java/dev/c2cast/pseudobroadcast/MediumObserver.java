package dev.c2cast.pseudobroadcast;

/**
 * Observes every event of a {@link SimulatedMedium}: the event log from which runs are compared and figures
 * reproduced. Called on the simulation thread, in simulation order.
 */
public interface MediumObserver
{
    /**
     * A frame occupied the medium.
     *
     * @param startNanos   when its first attempt started.
     * @param endNanos     when its last attempt ended (deliveries happen then).
     * @param source       sender.
     * @param destination  intended receiver, or {@link NodeId#BROADCAST_VALUE}.
     * @param sequence     the sender's frame sequence number.
     * @param frameLength  frame length with header.
     * @param attempts     attempts made (1 plus link-layer retries).
     * @param acknowledged true if the intended receiver got it (always false for broadcast).
     */
    void onTransmission(
        long startNanos, long endNanos, long source, long destination, int sequence, int frameLength, int attempts,
        boolean acknowledged);

    /**
     * A station received a frame (its own or overheard).
     *
     * @param timeNanos when.
     * @param source    sender.
     * @param receiver  the receiving station.
     * @param overheard true if the receiver was not the intended destination.
     */
    void onDelivery(long timeNanos, long source, long receiver, boolean overheard);

    /**
     * A station missed a frame on every attempt.
     *
     * @param timeNanos when the transmission ended.
     * @param source    sender.
     * @param receiver  the station that missed it.
     */
    void onLoss(long timeNanos, long source, long receiver);

    /**
     * A send was rejected because the sender's queue was full.
     *
     * @param timeNanos when.
     * @param source    the sender.
     */
    void onQueueDrop(long timeNanos, long source);

    /**
     * The competing station held the medium.
     *
     * @param startNanos start.
     * @param endNanos   end.
     */
    void onCompetingTransmission(long startNanos, long endNanos);

    /** An observer that ignores everything. */
    MediumObserver NONE = new MediumObserver()
    {
        @Override
        public void onTransmission(
            final long startNanos, final long endNanos, final long source, final long destination, final int sequence,
            final int frameLength, final int attempts, final boolean acknowledged)
        {
        }

        @Override
        public void onDelivery(final long timeNanos, final long source, final long receiver, final boolean overheard)
        {
        }

        @Override
        public void onLoss(final long timeNanos, final long source, final long receiver)
        {
        }

        @Override
        public void onQueueDrop(final long timeNanos, final long source)
        {
        }

        @Override
        public void onCompetingTransmission(final long startNanos, final long endNanos)
        {
        }
    };
}
