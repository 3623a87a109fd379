package dev.c2cast.microcast.nc.internal;

/**
 * A copy of a generation's source symbols in memory that a kernel reads faster than a heap array, with the
 * encoder's two products over it. Source {@code j} is the region at {@code j * srcStride}.
 * <p>
 * The SIMD kernel on JDK 25 and later keeps it in native memory on a 64-byte boundary: a heap {@code byte[]} starts
 * wherever the collector put it, and a 512-bit load from a source that is not on a cache-line boundary touches two
 * lines. Measured on the machine of docs/microcast-nc/BENCHMARKS.md, sources on the boundary encode 15 to 20 % faster
 * than the same sources in a heap array, in one JVM. {@link GfKernel#newSourceBuffer} returns null where a kernel
 * has no such memory; callers then read the heap array.
 * <p>
 * Not thread-safe: one generation's copy, written by {@link #load} and read by the products, like the generation.
 */
public interface SourceBuffer
{
    /**
     * Size in bytes.
     *
     * @return the capacity.
     */
    int capacity();

    /**
     * Copies {@code src[srcOff, srcOff + len)} to the start of this buffer.
     *
     * @param src    the symbols, as a generation stores them.
     * @param srcOff first byte.
     * @param len    bytes, at most {@link #capacity()}.
     */
    void load(byte[] src, int srcOff, int len);

    /**
     * {@link GfKernel#multiplyTo} with the sources read from this buffer.
     *
     * @param coefs      coefficient matrix, row-major, {@code m} rows of at least {@code n} entries.
     * @param coefOff    offset of entry (0, 0).
     * @param coefStride distance between coefficient rows.
     * @param m          number of outputs.
     * @param n          number of sources.
     * @param srcStride  distance between sources in this buffer.
     * @param dsts       array of each output.
     * @param dstOffsets offsets of the {@code m} outputs in their arrays.
     * @param len        bytes per region.
     */
    void multiplyTo(byte[] coefs, int coefOff, int coefStride, int m, int n, int srcStride, byte[][] dsts,
        int[] dstOffsets, int len);

    /**
     * {@link GfKernel#multiply} without accumulation, with the sources read from this buffer.
     *
     * @param coefs      coefficient matrix, row-major, {@code m} rows of at least {@code n} entries.
     * @param coefOff    offset of entry (0, 0).
     * @param coefStride distance between coefficient rows.
     * @param m          number of outputs.
     * @param n          number of sources.
     * @param srcStride  distance between sources in this buffer.
     * @param dst        array holding the outputs.
     * @param dstOffsets offsets of the {@code m} outputs.
     * @param len        bytes per region.
     */
    void multiply(byte[] coefs, int coefOff, int coefStride, int m, int n, int srcStride, byte[] dst,
        int[] dstOffsets, int len);
}
