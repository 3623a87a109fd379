package dev.c2cast.microcast.nc;

/**
 * The shape of a generation: {@code generationSize} source symbols of {@code symbolSize} bytes each
 * (microcast.txt, section V-B).
 *
 * @param generationSize number of source symbols g, 1 to {@value #MAX_GENERATION_SIZE}.
 * @param symbolSize     bytes per symbol s, 1 to {@value #MAX_SYMBOL_SIZE}.
 */
public record CodingParameters(int generationSize, int symbolSize)
{
    /** Largest generation: coefficients are GF(2^8) elements, so more symbols add no diversity per byte. */
    public static final int MAX_GENERATION_SIZE = 256;
    /** Largest symbol, 64 KiB. */
    public static final int MAX_SYMBOL_SIZE = 65536;

    /**
     * Validates the parameters.
     *
     * @param generationSize number of source symbols g.
     * @param symbolSize     bytes per symbol s.
     */
    public CodingParameters
    {
        if (generationSize < 1 || generationSize > MAX_GENERATION_SIZE)
        {
            throw new IllegalArgumentException("generation size must be in [1, " + MAX_GENERATION_SIZE + "]: " +
                generationSize);
        }
        if (symbolSize < 1 || symbolSize > MAX_SYMBOL_SIZE)
        {
            throw new IllegalArgumentException("symbol size must be in [1, " + MAX_SYMBOL_SIZE + "]: " + symbolSize);
        }
    }

    /**
     * Bytes of source data one generation holds.
     *
     * @return {@code generationSize * symbolSize}.
     */
    public int capacity()
    {
        return generationSize * symbolSize;
    }
}
