package dev.c2cast.microcast.nc;

/**
 * How a coded packet carries its coefficient vector (see {@link CodedPacket} for the frame).
 */
public enum CoefficientEncoding
{
    /** All {@code g} coefficients, one byte each. Recoded packets always use it. */
    FULL(0),
    /**
     * An 8-byte seed: the coefficients are the first {@code g} bytes of {@code new SplittableRandom(seed)}'s
     * {@code nextLong()} stream, little-endian. Only a source's encoder can use it.
     */
    SEED(1),
    /** A systematic packet: source symbol {@code i} itself, carried as one index byte. */
    SYSTEMATIC(2);

    private final int code;

    CoefficientEncoding(final int code)
    {
        this.code = code;
    }

    /**
     * The value of the frame's encoding byte.
     *
     * @return the code.
     */
    public int code()
    {
        return code;
    }

    /**
     * Bytes of the coefficient block for a generation size.
     *
     * @param generationSize g.
     * @return the block's length.
     */
    public int blockLength(final int generationSize)
    {
        switch (this)
        {
            case FULL:
                return generationSize;
            case SEED:
                return Long.BYTES;
            default:
                return 1;
        }
    }

    static CoefficientEncoding ofCode(final int code)
    {
        switch (code)
        {
            case 0:
                return FULL;
            case 1:
                return SEED;
            case 2:
                return SYSTEMATIC;
            default:
                return null;
        }
    }
}
