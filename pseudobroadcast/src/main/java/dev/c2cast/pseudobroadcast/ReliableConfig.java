package dev.c2cast.pseudobroadcast;

/**
 * Parameters of a {@link ReliableMessenger}, validated when built.
 *
 * @param window             most unacknowledged messages in flight to one peer (also the receiver's reorder
 *                           window), 1..64 so one acknowledgement's bitmap covers it.
 * @param initialRtoNanos    retransmission timeout of a message's first transmission.
 * @param maxRtoNanos        ceiling of the exponential back-off.
 * @param maxRetransmissions retransmissions of one message before its peer is declared unreachable.
 */
public record ReliableConfig(int window, long initialRtoNanos, long maxRtoNanos, int maxRetransmissions)
{
    /** Default window. */
    public static final int WINDOW_DEFAULT = 32;
    /** Default initial retransmission timeout: 20 ms, a few WLAN round trips. */
    public static final long INITIAL_RTO_NANOS_DEFAULT = 20_000_000L;
    /** Default back-off ceiling: 1 s. */
    public static final long MAX_RTO_NANOS_DEFAULT = 1_000_000_000L;
    /** Default retransmissions before giving up. */
    public static final int MAX_RETRANSMISSIONS_DEFAULT = 10;
    /** Largest window one acknowledgement can describe. */
    public static final int MAX_WINDOW = 64;

    /**
     * Validates the parameters.
     *
     * @param window see the record description.
     * @param initialRtoNanos see the record description.
     * @param maxRtoNanos see the record description.
     * @param maxRetransmissions see the record description.
     */
    public ReliableConfig
    {
        if (window < 1 || window > MAX_WINDOW)
        {
            throw new IllegalArgumentException("window must be in 1..64: " + window);
        }
        if (initialRtoNanos <= 0 || maxRtoNanos < initialRtoNanos)
        {
            throw new IllegalArgumentException("need 0 < initialRtoNanos <= maxRtoNanos");
        }
        if (maxRetransmissions < 0)
        {
            throw new IllegalArgumentException("maxRetransmissions must not be negative");
        }
    }

    /**
     * The defaults.
     *
     * @return a configuration of the {@code *_DEFAULT} values.
     */
    public static ReliableConfig defaults()
    {
        return new ReliableConfig(WINDOW_DEFAULT, INITIAL_RTO_NANOS_DEFAULT, MAX_RTO_NANOS_DEFAULT,
            MAX_RETRANSMISSIONS_DEFAULT);
    }
}
