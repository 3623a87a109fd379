package dev.c2cast.microcast.nc;

import java.util.Objects;

import dev.c2cast.microcast.nc.internal.GfKernel;
import dev.c2cast.microcast.nc.internal.GfTables;
import dev.c2cast.microcast.nc.internal.Kernels;

/**
 * Arithmetic in GF(2^8), the field every coefficient and symbol byte of this library lives in.
 * <p>
 * The field is GF(2)[x] modulo the polynomial x^8 + x^4 + x^3 + x^2 + 1 ({@value #POLYNOMIAL} = {@code 0x11D}), with
 * {@code 2} (the polynomial x) as generator of the multiplicative group: the same field as Intel ISA-L's erasure
 * codes and most network-coding libraries, so coefficient vectors interoperate. Addition and subtraction are XOR.
 * Elements are passed as ints 0..255 (a byte's value masked with {@code 0xFF}).
 * <p>
 * The region operations run on the kernel chosen for this JVM: the SIMD kernel on the Vector API when
 * {@code jdk.incubator.vector} is in the boot layer, the table-based portable kernel otherwise. The system property
 * {@code dev.c2cast.microcast.nc.kernel=portable} forces the portable kernel; both give identical bytes.
 */
public final class Gf256
{
    /** The reducing polynomial, x^8 + x^4 + x^3 + x^2 + 1. */
    public static final int POLYNOMIAL = GfTables.POLYNOMIAL;

    private static final GfKernel KERNEL = Kernels.active();

    private Gf256()
    {
    }

    /**
     * Sum (and difference) of two elements.
     *
     * @param a an element.
     * @param b an element.
     * @return {@code a ^ b}.
     */
    public static int add(final int a, final int b)
    {
        return (a ^ b) & 0xFF;
    }

    /**
     * Product of two elements.
     *
     * @param a an element.
     * @param b an element.
     * @return {@code a * b}.
     */
    public static int mul(final int a, final int b)
    {
        return GfTables.MUL[((a & 0xFF) << 8) | (b & 0xFF)] & 0xFF;
    }

    /**
     * Multiplicative inverse.
     *
     * @param a a non-zero element.
     * @return {@code a^-1}.
     * @throws ArithmeticException if {@code a} is zero.
     */
    public static int inv(final int a)
    {
        if ((a & 0xFF) == 0)
        {
            throw new ArithmeticException("zero has no inverse in GF(2^8)");
        }
        return GfTables.INV[a & 0xFF] & 0xFF;
    }

    /**
     * Quotient.
     *
     * @param a dividend.
     * @param b non-zero divisor.
     * @return {@code a / b}.
     * @throws ArithmeticException if {@code b} is zero.
     */
    public static int div(final int a, final int b)
    {
        return mul(a, inv(b));
    }

    /**
     * Power of the generator: {@code 2^e}.
     *
     * @param e any exponent (reduced modulo 255).
     * @return the element.
     */
    public static int exp(final int e)
    {
        return GfTables.EXP[Math.floorMod(e, 255)] & 0xFF;
    }

    /**
     * Discrete logarithm to base 2.
     *
     * @param a a non-zero element.
     * @return {@code e} in [0, 254] with {@code 2^e = a}.
     * @throws ArithmeticException if {@code a} is zero.
     */
    public static int log(final int a)
    {
        if ((a & 0xFF) == 0)
        {
            throw new ArithmeticException("log of zero");
        }
        return GfTables.LOG[a & 0xFF];
    }

    /**
     * {@code dst[i] ^= c * src[i]} over a region.
     *
     * @param dst    destination.
     * @param dstOff first destination byte.
     * @param src    source.
     * @param srcOff first source byte.
     * @param len    number of bytes.
     * @param c      the factor.
     */
    public static void mulAdd(final byte[] dst, final int dstOff, final byte[] src, final int srcOff, final int len,
        final int c)
    {
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        Objects.checkFromIndexSize(srcOff, len, src.length);
        KERNEL.mulAdd(dst, dstOff, src, srcOff, len, c);
    }

    /**
     * {@code dst[i] = c * dst[i]} over a region.
     *
     * @param dst    the region's array.
     * @param dstOff first byte.
     * @param len    number of bytes.
     * @param c      the factor.
     */
    public static void mul(final byte[] dst, final int dstOff, final int len, final int c)
    {
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        KERNEL.mul(dst, dstOff, len, c);
    }

    /**
     * Multi-source dot product, the operation one coded symbol is: {@code dst = sum over j < n of coefs[coefOff + j]
     * * src_j}, where {@code src_j} is the region of {@code len} bytes at {@code src[srcOff + j * srcStride]}.
     *
     * @param coefs     coefficients.
     * @param coefOff   first coefficient.
     * @param n         number of sources.
     * @param src       array holding the sources.
     * @param srcOff    offset of source 0.
     * @param srcStride distance between sources, at least {@code len}.
     * @param dst       destination (must not overlap a source).
     * @param dstOff    first destination byte.
     * @param len       bytes per region.
     */
    public static void dotProduct(final byte[] coefs, final int coefOff, final int n, final byte[] src,
        final int srcOff, final int srcStride, final byte[] dst, final int dstOff, final int len)
    {
        Objects.checkFromIndexSize(coefOff, n, coefs.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        if (n > 0)
        {
            if (srcStride < len)
            {
                throw new IllegalArgumentException("srcStride < len");
            }
            Objects.checkFromIndexSize(srcOff, (n - 1) * srcStride + len, src.length);
        }
        KERNEL.multiply(coefs, coefOff, 0, 1, n, src, srcOff, srcStride, dst, new int[] {dstOff}, len, false);
    }

    /**
     * Name of the kernel the region operations use in this JVM ({@code portable}, {@code simd-256},
     * {@code simd-512}, ...).
     *
     * @return the kernel's name.
     */
    public static String kernelName()
    {
        return KERNEL.name();
    }
}
