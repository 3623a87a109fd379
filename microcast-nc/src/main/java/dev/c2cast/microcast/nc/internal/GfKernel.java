package dev.c2cast.microcast.nc.internal;

/**
 * Region operations over GF(2^8) ({@link GfTables#POLYNOMIAL}): the only code that touches symbol bytes in bulk.
 * <p>
 * Two implementations exist, the table-based {@link PortableKernel} and a SIMD kernel on the JDK Vector API that
 * is loaded only when {@code jdk.incubator.vector} is in the boot layer ({@link Kernels}). Both produce identical
 * bytes. Implementations are stateless and thread-safe; callers guarantee in-bounds offsets (the kernels check
 * nothing beyond what the JVM checks) and that destination regions do not overlap the sources they read.
 * <p>
 * Lengths that are a multiple of {@link #PADDING} run without any scalar tail and without a single-vector step:
 * every buffer of the coding classes is padded to it.
 */
public interface GfKernel
{
    /**
     * What every coding buffer is padded to, in bytes: two of the widest vectors (512 bits), because the SIMD kernel
     * steps two vectors at a time (each lookup table is loaded once per two) and a lone trailing vector would take
     * a slower step, one that JDK 17's C2 also fails to keep in registers (it allocated boxes).
     */
    int PADDING = 128;

    /**
     * Short name for logs and benchmarks, such as {@code portable} or {@code simd-512}.
     *
     * @return the name.
     */
    String name();

    /**
     * {@code dst[dstOff + i] ^= c * src[srcOff + i]} for {@code i < len}.
     *
     * @param dst    destination array.
     * @param dstOff first destination byte.
     * @param src    source array.
     * @param srcOff first source byte.
     * @param len    number of bytes.
     * @param c      the factor, 0..255.
     */
    void mulAdd(byte[] dst, int dstOff, byte[] src, int srcOff, int len, int c);

    /**
     * {@code dst[dstOff + i] = c * dst[dstOff + i]} for {@code i < len}.
     *
     * @param dst    the region.
     * @param dstOff first byte.
     * @param len    number of bytes.
     * @param c      the factor, 0..255.
     */
    void mul(byte[] dst, int dstOff, int len, int c);

    /**
     * Matrix product, the operation encoding, recoding and elimination all reduce to: for every output
     * {@code k < m} (the region of {@code len} bytes at {@code dst[dstOffsets[k]]}),
     * <pre>
     * dst_k = (accumulate ? dst_k : 0) + sum over j &lt; n of coefs[coefOff + k * coefStride + j] * src_j
     * </pre>
     * where {@code src_j} is the region at {@code src[srcOff + j * srcStride]}. Several outputs are computed per
     * pass over the sources, so each source block is loaded once for a group of outputs.
     *
     * @param coefs      coefficient matrix, row-major, {@code m} rows of at least {@code n} entries.
     * @param coefOff    offset of entry (0, 0).
     * @param coefStride distance between coefficient rows.
     * @param m          number of outputs.
     * @param n          number of sources.
     * @param src        array holding the sources.
     * @param srcOff     offset of source 0.
     * @param srcStride  distance between sources.
     * @param dst        array holding the outputs; may be {@code src} if no output overlaps a source.
     * @param dstOffsets offsets of the {@code m} outputs.
     * @param len        bytes per region.
     * @param accumulate add to the outputs instead of overwriting them.
     */
    void multiply(byte[] coefs, int coefOff, int coefStride, int m, int n, byte[] src, int srcOff, int srcStride,
        byte[] dst, int[] dstOffsets, int len, boolean accumulate);

    /**
     * {@link #multiply} without accumulation, each output in an array of its own: output {@code k} is the region of
     * {@code len} bytes at {@code dsts[k][dstOffsets[k]]}, so coded payloads can be computed straight into the
     * arrays behind the buffers they are sent from.
     *
     * @param coefs      coefficient matrix, row-major, {@code m} rows of at least {@code n} entries.
     * @param coefOff    offset of entry (0, 0).
     * @param coefStride distance between coefficient rows.
     * @param m          number of outputs.
     * @param n          number of sources.
     * @param src        array holding the sources.
     * @param srcOff     offset of source 0.
     * @param srcStride  distance between sources.
     * @param dsts       array of each output; an output may not overlap a source or another output.
     * @param dstOffsets offsets of the {@code m} outputs in their arrays.
     * @param len        bytes per region.
     */
    void multiplyTo(byte[] coefs, int coefOff, int coefStride, int m, int n, byte[] src, int srcOff, int srcStride,
        byte[][] dsts, int[] dstOffsets, int len);

    /**
     * One accumulating dot product over sources at arbitrary offsets, the reduction step of a decoder:
     * <pre>
     * dst = dst + sum over j &lt; n of coefs[j] * src_j
     * </pre>
     * where {@code src_j} is the region of {@code len} bytes at {@code src[srcOffsets[j]]}.
     *
     * @param coefs      the n coefficients.
     * @param srcOffsets offsets of the n sources.
     * @param n          number of sources.
     * @param src        array holding the sources.
     * @param dst        array holding the output (may be {@code src} if the output overlaps no source).
     * @param dstOff     offset of the output.
     * @param len        bytes per region.
     */
    void dotRows(byte[] coefs, int[] srcOffsets, int n, byte[] src, byte[] dst, int dstOff, int len);

    /**
     * One source added to several outputs, the elimination step of a decoder:
     * {@code dst[dstOffsets[k] + i] ^= factors[k] * src[srcOff + i]} for {@code k < m} and {@code i < len}.
     *
     * @param factors    the m factors.
     * @param m          number of outputs.
     * @param src        array holding the source.
     * @param srcOff     offset of the source.
     * @param dst        array holding the outputs (may be {@code src} if no output overlaps the source).
     * @param dstOffsets offsets of the m outputs.
     * @param len        bytes per region.
     */
    void mulAddTo(byte[] factors, int m, byte[] src, int srcOff, byte[] dst, int[] dstOffsets, int len);

    /**
     * A buffer for a generation's sources that this kernel's encoding products read faster than a heap array, or
     * null when it has none (then sources are read where they are). The default has none.
     *
     * @param bytes capacity in bytes.
     * @return a new buffer of that capacity, zeroed, or null.
     */
    default SourceBuffer newSourceBuffer(final int bytes)
    {
        return null;
    }
}
