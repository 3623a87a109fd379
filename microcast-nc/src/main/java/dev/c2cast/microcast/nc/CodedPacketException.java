package dev.c2cast.microcast.nc;

/**
 * The one error this library raises for a malformed coded packet, or for a well-formed one that does not fit the
 * generation it was given to. Unchecked: a receiver typically drops the packet and counts the {@link #reason()}.
 * <p>
 * It carries no stack trace: packets come from the network, and a flood of bad ones should cost little.
 */
public final class CodedPacketException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** Why a packet was rejected. */
    public enum Reason
    {
        /** Shorter than the fixed header. */
        TRUNCATED,
        /** Unknown version byte. */
        UNSUPPORTED_VERSION,
        /** Unknown coefficient encoding byte. */
        UNKNOWN_ENCODING,
        /** A reserved field is not zero. */
        RESERVED_NOT_ZERO,
        /** The total length is not header + coefficient block + symbol size. */
        LENGTH_MISMATCH,
        /** The segment length exceeds {@code g * s}. */
        SEGMENT_LENGTH_OUT_OF_RANGE,
        /** The coefficient vector is all zero. */
        ZERO_COEFFICIENTS,
        /** A systematic index is not below {@code g}. */
        SYSTEMATIC_INDEX_OUT_OF_RANGE,
        /** The packet belongs to another generation. */
        GENERATION_MISMATCH,
        /** The packet's {@code g} or {@code s} differ from the generation's. */
        PARAMETERS_MISMATCH,
        /** The packet's segment length differs from earlier packets of the same generation. */
        SEGMENT_LENGTH_MISMATCH
    }

    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason  the category.
     * @param message details.
     */
    public CodedPacketException(final Reason reason, final String message)
    {
        super(reason + ": " + message, null, false, false);
        this.reason = reason;
    }

    /**
     * Why the packet was rejected.
     *
     * @return the reason.
     */
    public Reason reason()
    {
        return reason;
    }
}
