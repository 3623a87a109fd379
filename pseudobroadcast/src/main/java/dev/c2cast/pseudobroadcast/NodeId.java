package dev.c2cast.pseudobroadcast;

/**
 * The identity of a node in a pseudo-broadcast group: a non-zero 64-bit value carried in every frame header.
 * Zero is reserved for "no particular destination" (broadcast).
 *
 * @param value the identifier, never zero.
 */
public record NodeId(long value)
{
    /** The destination of a frame addressed to everyone. */
    public static final long BROADCAST_VALUE = 0L;

    /**
     * Validates the identifier.
     *
     * @param value the identifier, never zero.
     */
    public NodeId
    {
        if (value == BROADCAST_VALUE)
        {
            throw new IllegalArgumentException("node id 0 is reserved for broadcast");
        }
    }

    @Override
    public String toString()
    {
        return "node-" + Long.toUnsignedString(value, 16);
    }
}
