package dev.c2cast.pseudobroadcast;

/**
 * Parameters of a {@link SimulatedMedium}, validated when built. The defaults describe an 802.11g-like group: the
 * MicroCast paper gives no numbers for its testbed's MAC, so these are this project's choices (see
 * docs/pseudobroadcast/DESIGN.md).
 *
 * @param groupId              the group every attached transport belongs to.
 * @param capacityBitsPerSecond raw capacity of the shared channel.
 * @param frameOverheadBytes   bytes every transmission adds to the frame on the air (IP, UDP and MAC headers).
 * @param frameOverheadNanos   fixed airtime of every transmission attempt (inter-frame spaces, back-off, MAC ACK).
 * @param maxRetries           link-layer retries of a unicast frame after the first attempt, until its intended
 *                             receiver gets it; broadcast frames are sent once.
 * @param reservedShare        share of capacity in [0, 1) taken by background traffic the group cannot use.
 * @param competingFrameBytes  if positive, a saturated competing station that takes every other turn on the
 *                             medium with frames of this size while any node is backlogged; zero for none.
 * @param queueCapacity        frames each station can queue before sends are rejected.
 * @param maxPayloadLength     largest payload a transport accepts.
 * @param maxStations          most transports that can be attached.
 */
public record MediumConfig(
    int groupId,
    long capacityBitsPerSecond,
    int frameOverheadBytes,
    long frameOverheadNanos,
    int maxRetries,
    double reservedShare,
    int competingFrameBytes,
    int queueCapacity,
    int maxPayloadLength,
    int maxStations)
{
    /** Default group id. */
    public static final int GROUP_ID_DEFAULT = 0x4D430001;
    /** Default capacity: 20 Mbit/s, a realistic 802.11g goodput ceiling. */
    public static final long CAPACITY_DEFAULT = 20_000_000L;
    /** Default per-frame overhead bytes: 20 IP + 8 UDP + 34 MAC/LLC. */
    public static final int FRAME_OVERHEAD_BYTES_DEFAULT = 62;
    /** Default fixed airtime per attempt: DIFS + mean back-off + SIFS + ACK, about 100 microseconds. */
    public static final long FRAME_OVERHEAD_NANOS_DEFAULT = 100_000L;
    /** Default retry limit (802.11's short retry limit of 7 attempts). */
    public static final int MAX_RETRIES_DEFAULT = 6;
    /** Default queue capacity per station. */
    public static final int QUEUE_CAPACITY_DEFAULT = 256;
    /** Default maximum payload: fits a 1500-byte MTU with IP, UDP and the frame header. */
    public static final int MAX_PAYLOAD_LENGTH_DEFAULT = 1400;
    /** Default maximum number of stations. */
    public static final int MAX_STATIONS_DEFAULT = 64;

    /**
     * Validates the parameters.
     *
     * @param groupId see the record description.
     * @param capacityBitsPerSecond see the record description.
     * @param frameOverheadBytes see the record description.
     * @param frameOverheadNanos see the record description.
     * @param maxRetries see the record description.
     * @param reservedShare see the record description.
     * @param competingFrameBytes see the record description.
     * @param queueCapacity see the record description.
     * @param maxPayloadLength see the record description.
     * @param maxStations see the record description.
     */
    public MediumConfig
    {
        require(capacityBitsPerSecond > 0, "capacityBitsPerSecond must be positive");
        require(frameOverheadBytes >= 0, "frameOverheadBytes must not be negative");
        require(frameOverheadNanos >= 0, "frameOverheadNanos must not be negative");
        require(maxRetries >= 0 && maxRetries <= 255, "maxRetries must be in 0..255");
        require(reservedShare >= 0 && reservedShare < 1, "reservedShare must be in [0, 1)");
        require(competingFrameBytes >= 0, "competingFrameBytes must not be negative");
        require(queueCapacity > 0, "queueCapacity must be positive");
        require(maxPayloadLength > 0 && maxPayloadLength <= FrameHeader.MAX_PAYLOAD_LENGTH,
            "maxPayloadLength must be in 1..65535");
        require(maxStations > 0 && maxStations <= 4096, "maxStations must be in 1..4096");
        require(capacityBitsPerSecond * (1 - reservedShare) >= 1, "no capacity left after the reserved share");
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * A builder holding the defaults.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * The default configuration.
     *
     * @return the defaults.
     */
    public static MediumConfig defaults()
    {
        return builder().build();
    }

    /**
     * Airtime of one transmission attempt of a frame.
     *
     * @param frameLength frame length including the frame header.
     * @return nanoseconds.
     */
    public long attemptNanos(final int frameLength)
    {
        final double usable = capacityBitsPerSecond * (1 - reservedShare);
        return frameOverheadNanos + (long)Math.ceil((frameOverheadBytes + frameLength) * 8e9 / usable);
    }

    /**
     * Builds a {@link MediumConfig}. Not thread-safe.
     */
    public static final class Builder
    {
        private int groupId = GROUP_ID_DEFAULT;
        private long capacityBitsPerSecond = CAPACITY_DEFAULT;
        private int frameOverheadBytes = FRAME_OVERHEAD_BYTES_DEFAULT;
        private long frameOverheadNanos = FRAME_OVERHEAD_NANOS_DEFAULT;
        private int maxRetries = MAX_RETRIES_DEFAULT;
        private double reservedShare;
        private int competingFrameBytes;
        private int queueCapacity = QUEUE_CAPACITY_DEFAULT;
        private int maxPayloadLength = MAX_PAYLOAD_LENGTH_DEFAULT;
        private int maxStations = MAX_STATIONS_DEFAULT;

        private Builder()
        {
        }

        /**
         * Sets the group id.
         *
         * @param value the group.
         * @return this builder.
         */
        public Builder groupId(final int value)
        {
            groupId = value;
            return this;
        }

        /**
         * Sets the channel capacity.
         *
         * @param value bits per second.
         * @return this builder.
         */
        public Builder capacityBitsPerSecond(final long value)
        {
            capacityBitsPerSecond = value;
            return this;
        }

        /**
         * Sets the per-frame overhead bytes.
         *
         * @param value bytes.
         * @return this builder.
         */
        public Builder frameOverheadBytes(final int value)
        {
            frameOverheadBytes = value;
            return this;
        }

        /**
         * Sets the fixed airtime per attempt.
         *
         * @param value nanoseconds.
         * @return this builder.
         */
        public Builder frameOverheadNanos(final long value)
        {
            frameOverheadNanos = value;
            return this;
        }

        /**
         * Sets the link-layer retry limit for unicast frames.
         *
         * @param value retries after the first attempt.
         * @return this builder.
         */
        public Builder maxRetries(final int value)
        {
            maxRetries = value;
            return this;
        }

        /**
         * Sets the share of capacity reserved for background traffic.
         *
         * @param value in [0, 1).
         * @return this builder.
         */
        public Builder reservedShare(final double value)
        {
            reservedShare = value;
            return this;
        }

        /**
         * Adds a saturated competing station.
         *
         * @param value its frame size in bytes, or zero for none.
         * @return this builder.
         */
        public Builder competingFrameBytes(final int value)
        {
            competingFrameBytes = value;
            return this;
        }

        /**
         * Sets the per-station queue capacity.
         *
         * @param value frames.
         * @return this builder.
         */
        public Builder queueCapacity(final int value)
        {
            queueCapacity = value;
            return this;
        }

        /**
         * Sets the largest payload.
         *
         * @param value bytes.
         * @return this builder.
         */
        public Builder maxPayloadLength(final int value)
        {
            maxPayloadLength = value;
            return this;
        }

        /**
         * Sets the most stations that can attach.
         *
         * @param value stations.
         * @return this builder.
         */
        public Builder maxStations(final int value)
        {
            maxStations = value;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration.
         * @throws IllegalArgumentException if a parameter is out of range.
         */
        public MediumConfig build()
        {
            return new MediumConfig(groupId, capacityBitsPerSecond, frameOverheadBytes, frameOverheadNanos, maxRetries,
                reservedShare, competingFrameBytes, queueCapacity, maxPayloadLength, maxStations);
        }
    }
}
