#!/usr/bin/env python3
# Generates src/simd/java/.../internal/SimdKernel.java of microcast-nc and src/simd25/java/.../internal/SimdSegments.java
# (its JDK 25 encoding loops over aligned native sources): the vector loops must
# keep their accumulators in registers, so there is one method per shape (outputs x vectors per step) and per
# formulation, written out from the templates below rather than by hand. Run: python3 src/simd/generate_simd_kernel.py
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "java", "dev", "c2cast", "microcast", "nc", "internal",
                   "SimdKernel.java")

HEAD = r'''package dev.c2cast.microcast.nc.internal;

import static jdk.incubator.vector.VectorOperators.XOR;

import java.util.function.IntFunction;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernel on the JDK Vector API ({@code jdk.incubator.vector}): the split-nibble method of ISA-L and Kodo.
 * A product {@code c * x} is {@code LOW_c[x & 15] ^ HIGH_c[x >>> 4]}, two 16-entry table lookups done for a whole
 * vector at once; the high nibble comes from shifting 64-bit lanes right by 4 and masking (x86 has no byte shift,
 * so a byte-lane shift would be emulated).
 * <p>
 * This is the only class of the library that uses the Vector API. It lives in its own source root
 * ({@code src/simd/java}), compiled by a separate compiler execution with {@code --add-modules
 * jdk.incubator.vector}, and is loaded reflectively by {@link Kernels} only when that module is in the boot layer.
 * <p>
 * One species for the whole JVM, {@link ByteVector#SPECIES_PREFERRED}: mixing 256- and 512-bit species in one JVM
 * made every vector kernel several times slower on JDK 17. The lookup tables are stored pre-replicated to the
 * vector length so each one is a single load.
 * <p>
 * Two formulations of the matrix product, chosen once per JVM by the JDK's feature version (both are covered by
 * the known-answer self-test and by the identical-bytes property tests, which run on JDK 17 and on newer JDKs):
 * <ul>
 * <li>JDK 25 and later: {@code selectFrom} (compiled to one permute), three outputs per pass over the sources, four
 * vectors per output per step (each pair of table vectors serves four source vectors; with four outputs C2 spilled
 * accumulators to the stack, and g = 32 encoding measured 10 to 20 % slower);</li>
 * <li>JDK 17 to 24: JDK 17 implements {@code selectFrom} as {@code rearrange(toShuffle())} with its index checks
 * per call, so the nibble shuffles are built once per source vector and reused for every output; five outputs per
 * pass, two vectors per output per step (more accumulators spilled registers there).</li>
 * </ul>
 * On JDK 25 and later the encoder's sources can also sit in 64-byte-aligned native memory ({@link SourceBuffer},
 * {@link #newSourceBuffer}): {@code SimdSegments}, compiled against the JDK 25 API ({@code MemorySegment}) into
 * {@code META-INF/versions/25} of the jar, is loaded when it is there and the system property
 * {@value #NATIVE_SOURCES_PROPERTY} is not {@code false}.
 * <p>
 * Every hot loop has its own method with no data-dependent branch inside (a conditional inside a loop that
 * carries vectors made JDK 17's C2 box them), and the accumulating operations of the decoder have methods of their
 * own, so the JIT profiles of encoding and decoding do not mix.
 */
public final class SimdKernel implements GfKernel
{
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int VLEN = SPECIES.length();
    private static final int SHIFT = Integer.numberOfTrailingZeros(VLEN);
    private static final byte[] LOW_V = new byte[256 * VLEN];
    private static final byte[] HIGH_V = new byte[256 * VLEN];
    /** Formulation, fixed per JVM (see the class comment). */
    private static final boolean SELECT_FROM = Runtime.version().feature() >= 25;
    /** System property: {@code false} keeps the encoder's sources in the generation's heap array. */
    public static final String NATIVE_SOURCES_PROPERTY = "dev.c2cast.microcast.nc.nativeSources";
    private static final String SEGMENTS_CLASS = "dev.c2cast.microcast.nc.internal.SimdSegments";
    /** Factory of aligned native source buffers, or null (before JDK 25, without the class, or switched off). */
    private static final IntFunction<SourceBuffer> SEGMENTS = segments();

    static
    {
        for (int c = 0; c < 256; c++)
        {
            for (int i = 0; i < VLEN; i++)
            {
                LOW_V[c * VLEN + i] = GfTables.LOW[(c << 4) | (i & 15)];
                HIGH_V[c * VLEN + i] = GfTables.HIGH[(c << 4) | (i & 15)];
            }
        }
    }

    private final String name;

    private SimdKernel()
    {
        this.name = "simd-" + SPECIES.vectorBitSize();
    }

    /**
     * Creates the kernel, or returns null when the preferred species is too narrow to hold a 16-entry table.
     *
     * @return the kernel or null.
     */
    public static GfKernel create()
    {
        if (VLEN < 16 || Integer.bitCount(VLEN) != 1)
        {
            return null;
        }
        return new SimdKernel();
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public SourceBuffer newSourceBuffer(final int bytes)
    {
        return SEGMENTS == null ? null : SEGMENTS.apply(bytes);
    }

    /**
     * Whether {@link #newSourceBuffer} gives aligned native buffers in this JVM.
     *
     * @return true on JDK 25 and later with {@code SimdSegments} loaded.
     */
    public static boolean nativeSources()
    {
        return SEGMENTS != null;
    }

    @SuppressWarnings("unchecked")
    private static IntFunction<SourceBuffer> segments()
    {
        if (!SELECT_FROM || "false".equalsIgnoreCase(System.getProperty(NATIVE_SOURCES_PROPERTY, "true").trim()))
        {
            return null;
        }
        try
        {
            final Class<?> type = Class.forName(SEGMENTS_CLASS, true, SimdKernel.class.getClassLoader());
            return (IntFunction<SourceBuffer>)type.getMethod("factory").invoke(null);
        }
        catch (final ReflectiveOperationException | LinkageError | RuntimeException ex)
        {
            // Not in this jar (built without JDK 25) or not loadable here: sources stay on the heap.
            return null;
        }
    }

    private static ByteVector low(final int c)
    {
        return ByteVector.fromArray(SPECIES, LOW_V, (c & 0xFF) << SHIFT);
    }

    private static ByteVector high(final int c)
    {
        return ByteVector.fromArray(SPECIES, HIGH_V, (c & 0xFF) << SHIFT);
    }

    private static ByteVector highNibbles(final ByteVector v)
    {
        return v.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte)0x0F);
    }

    @Override
    public void mulAdd(final byte[] dst, final int dstOff, final byte[] src, final int srcOff, final int len,
        final int c)
    {
        if ((c & 0xFF) == 0)
        {
            return;
        }
        final int bound = SPECIES.loopBound(len);
        mulAddVectors(dst, dstOff, src, srcOff, bound, c);
        if (bound < len)
        {
            PortableKernel.INSTANCE.mulAdd(dst, dstOff + bound, src, srcOff + bound, len - bound, c);
        }
    }

    @Override
    public void mul(final byte[] dst, final int dstOff, final int len, final int c)
    {
        if ((c & 0xFF) == 1)
        {
            return;
        }
        final int bound = len & -(2 * VLEN);
        scaleVectors(dst, dstOff, bound, c);
        if (bound < len)
        {
            PortableKernel.INSTANCE.mul(dst, dstOff + bound, len - bound, c);
        }
    }

    @Override
    public void multiply(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[] dst, final int[] dstOffsets,
        final int len, final boolean accumulate)
    {
        final int bound = len & -(2 * VLEN);
        product(coefs, coefOff, coefStride, m, n, src, srcOff, srcStride, null, dst, dstOffsets, bound, accumulate);
        tail(coefs, coefOff, coefStride, m, n, src, srcOff, srcStride, null, dst, dstOffsets, bound, len, accumulate);
    }

    @Override
    public void multiplyTo(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[][] dsts, final int[] dstOffsets,
        final int len)
    {
        final int bound = len & -(2 * VLEN);
        product(coefs, coefOff, coefStride, m, n, src, srcOff, srcStride, dsts, null, dstOffsets, bound, false);
        tail(coefs, coefOff, coefStride, m, n, src, srcOff, srcStride, dsts, null, dstOffsets, bound, len, false);
    }

    /**
     * {@inheritDoc}
     * <p>
     * One source at a time, the output kept in the first-level cache and each source read in one sequential sweep:
     * measured 1.3 to 1.6 times faster for a decoder (g = 32, s = 1400 and 8192, JDK 25) than summing eight sources
     * per pass with the output in registers, whose interleaved reads of eight rows the prefetchers served worse.
     * <p>
     * The decoder's operations ({@code dotRows}, {@code mulAddTo}, {@code mul}) run their loops in methods that hold
     * both formulations and so exceed C2's inlining size limit: inlined into the decoder's large receive method, the
     * vector code lost its intrinsics in some JDK 17 runs and not in others (decode at g = 32, s = 1400 measured
     * 140 to 620 MB/s from one JVM to the next, and 600 to 670 MB/s in every run with the kernel not inlined).
     */
    @Override
    public void dotRows(final byte[] coefs, final int[] srcOffsets, final int n, final byte[] src, final byte[] dst,
        final int dstOff, final int len)
    {
        final int bound = len & -(2 * VLEN);
        for (int j = 0; j < n; j++)
        {
            axpyAccumulate(coefs[j], src, srcOffsets[j], dst, dstOff, bound);
        }
        if (bound < len)
        {
            for (int j = 0; j < n; j++)
            {
                PortableKernel.INSTANCE.mulAdd(dst, dstOff + bound, src, srcOffsets[j] + bound, len - bound,
                    coefs[j]);
            }
        }
    }

    @Override
    public void mulAddTo(final byte[] factors, final int m, final byte[] src, final int srcOff, final byte[] dst,
        final int[] dstOffsets, final int len)
    {
        final int bound = len & -(2 * VLEN);
        scatterAccumulate(factors, m, src, srcOff, dst, dstOffsets, bound);
        if (bound < len)
        {
            for (int k = 0; k < m; k++)
            {
                PortableKernel.INSTANCE.mulAdd(dst, dstOffsets[k] + bound, src, srcOff + bound, len - bound,
                    factors[k]);
            }
        }
    }

    private static void tail(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final byte[] src, final int srcOff, final int srcStride, final byte[][] dsts, final byte[] dst,
        final int[] dstOffsets, final int bound, final int len, final boolean accumulate)
    {
        if (bound >= len)
        {
            return;
        }
        for (int k = 0; k < m; k++)
        {
            final byte[] d = dsts != null ? dsts[k] : dst;
            final int out = dstOffsets[k] + bound;
            if (!accumulate)
            {
                java.util.Arrays.fill(d, out, dstOffsets[k] + len, (byte)0);
            }
            final int r = coefOff + k * coefStride;
            for (int j = 0; j < n; j++)
            {
                PortableKernel.INSTANCE.mulAdd(d, out, src, srcOff + j * srcStride + bound, len - bound, coefs[r + j]);
            }
        }
    }

    /** The product over [0, bound), bound a multiple of two vectors; one of dsts and dst is null. */
    private static void product(final byte[] coefs, final int coefOff, final int coefStride, final int m,
        final int n, final byte[] src, final int srcOff, final int srcStride, final byte[][] dsts, final byte[] dst,
        final int[] outs, final int bound, final boolean accumulate)
    {
        if (SELECT_FROM)
        {
            final int bound4 = bound & -(4 * VLEN);
            for (int k = 0; k < m; k += 3)
            {
                final int row = coefOff + k * coefStride;
                switch (Math.min(3, m - k))
                {
                    case 3:
                        select3x4(coefs, row, coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], dsts != null ? dsts[k + 2] : dst, outs[k + 2], bound4, accumulate);
                        if (bound4 < bound)
                        {
                            select3x2(coefs, row, coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], dsts != null ? dsts[k + 2] : dst, outs[k + 2], bound4, bound, accumulate);
                        }
                        break;
                    case 2:
                        select2x4(coefs, row, coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], bound4, accumulate);
                        if (bound4 < bound)
                        {
                            select2x2(coefs, row, coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], bound4, bound, accumulate);
                        }
                        break;
                    default:
                        select1x4(coefs, row, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], bound4, accumulate);
                        if (bound4 < bound)
                        {
                            select1x2(coefs, row, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], bound4, bound, accumulate);
                        }
                        break;
                }
            }
        }
        else
        {
            for (int k = 0; k < m; k += 5)
            {
                final int row = coefOff + k * coefStride;
                switch (Math.min(5, m - k))
                {
                    case 5:
                        shuffle5x2(coefs, row, coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], dsts != null ? dsts[k + 2] : dst, outs[k + 2], dsts != null ? dsts[k + 3] : dst, outs[k + 3], dsts != null ? dsts[k + 4] : dst, outs[k + 4], bound, accumulate);
                        break;
                    case 4:
                        shuffle4x2(coefs, row, coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], dsts != null ? dsts[k + 2] : dst, outs[k + 2], dsts != null ? dsts[k + 3] : dst, outs[k + 3], bound, accumulate);
                        break;
                    case 3:
                        shuffle3x2(coefs, row, coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], dsts != null ? dsts[k + 2] : dst, outs[k + 2], bound, accumulate);
                        break;
                    case 2:
                        shuffle2x2(coefs, row, coefStride, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], bound, accumulate);
                        break;
                    default:
                        shuffle1x2(coefs, row, n, src, srcOff, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], bound, accumulate);
                        break;
                }
            }
        }
    }

    private static void mulAddVectors(final byte[] dst, final int dstOff, final byte[] src, final int srcOff,
        final int bound, final int c)
    {
        final ByteVector tl = low(c);
        final ByteVector th = high(c);
        for (int i = 0; i < bound; i += VLEN)
        {
            final ByteVector v = ByteVector.fromArray(SPECIES, src, srcOff + i);
            final ByteVector p = SELECT_FROM
                ? v.and((byte)0x0F).selectFrom(tl).lanewise(XOR, highNibbles(v).selectFrom(th))
                : tl.rearrange(v.and((byte)0x0F).toShuffle()).lanewise(XOR, th.rearrange(highNibbles(v).toShuffle()));
            ByteVector.fromArray(SPECIES, dst, dstOff + i).lanewise(XOR, p).intoArray(dst, dstOff + i);
        }
    }

    // The loops below are generated by src/simd/generate_simd_kernel.py (an output's accumulators must stay in
    // registers, hence one method per shape rather than arrays): selectNxV for JDK 25 and later, shuffleNx2 for
    // JDK 17 to 24, each computing N outputs from V vectors of every source per step.
'''

def lookups(sel, acc, v, o):
    if sel:
        return f"{acc} = {acc}.lanewise(XOR, l{v}.selectFrom(tl{o})).lanewise(XOR, h{v}.selectFrom(th{o}));"
    return f"{acc} = {acc}.lanewise(XOR, tl{o}.rearrange(l{v})).lanewise(XOR, th{o}.rearrange(h{v}));"

def nibbles(sel, v, L, ind):
    if sel:
        L.append(f"{ind}final ByteVector l{v} = x{v}.and((byte)0x0F);")
        L.append(f"{ind}final ByteVector h{v} = highNibbles(x{v});")
    else:
        L.append(f"{ind}final VectorShuffle<Byte> l{v} = x{v}.and((byte)0x0F).toShuffle();")
        L.append(f"{ind}final VectorShuffle<Byte> h{v} = highNibbles(x{v}).toShuffle();")

def group(sel, N, V, ranged, accumulating=True):
    name = f"{'select' if sel else 'shuffle'}{N}x{V}"
    L = []
    params = "final byte[] coefs, final int row, " + ("final int coefStride, " if N > 1 else "") + "final int n, final byte[] src, final int srcOff, final int srcStride, " + ", ".join(f"final byte[] d{o}, final int o{o}" for o in range(N)) + (", final int start, final int end" if ranged else ", final int end") + (", final boolean accumulate" if accumulating else "")
    # wrap params
    words = ("private static void " + name + "(" + params + ")").split(" ")
    line = "    "; out = []
    for w in words:
        if len(line) + len(w) + 1 > 116:
            out.append(line.rstrip()); line = "        "
        line += w + " "
    out.append(line.rstrip())
    L += out
    L.append("    {")
    for o in range(N):
        L.append(f"        final int r{o} = row + {o} * coefStride;" if N > 1 else f"        final int r{o} = row;")
    L.append(f"        for (int i = {'start' if ranged else '0'}; i < end; i += {V} * VLEN)")
    L.append("        {")
    for o in range(N):
        for v in range(V):
            if accumulating:
                L.append(f"            ByteVector a{o}{v} = accumulate ? ByteVector.fromArray(SPECIES, d{o}, o{o} + i + {v} * VLEN)")
                L.append(f"                : ByteVector.zero(SPECIES);")
            else:
                L.append(f"            ByteVector a{o}{v} = ByteVector.zero(SPECIES);")
    L.append("            for (int j = 0; j < n; j++)")
    L.append("            {")
    L.append("                final int at = srcOff + j * srcStride + i;")
    for v in range(V):
        L.append(f"                final ByteVector x{v} = ByteVector.fromArray(SPECIES, src, at + {v} * VLEN);")
        nibbles(sel, v, L, "                ")
    for o in range(N):
        L.append(f"                final int t{o} = (coefs[r{o} + j] & 0xFF) << SHIFT;")
        L.append(f"                final ByteVector tl{o} = ByteVector.fromArray(SPECIES, LOW_V, t{o});")
        L.append(f"                final ByteVector th{o} = ByteVector.fromArray(SPECIES, HIGH_V, t{o});")
        for v in range(V):
            L.append("                " + lookups(sel, f"a{o}{v}", v, o))
    L.append("            }")
    for o in range(N):
        for v in range(V):
            L.append(f"            a{o}{v}.intoArray(d{o}, o{o} + i + {v} * VLEN);")
    L.append("        }")
    L.append("    }")
    return "\n".join(L) + "\n"

def accum(sel, name, gather):
    look = (lambda a, x, t: f"{a} = {a}.lanewise(XOR, {x}.and((byte)0x0F).selectFrom(tl)).lanewise(XOR, highNibbles({x}).selectFrom(th));") if sel else (lambda a, x, t: f"{a} = {a}.lanewise(XOR, tl.rearrange({x}.and((byte)0x0F).toShuffle())).lanewise(XOR, th.rearrange(highNibbles({x}).toShuffle()));")
    # one output, two vectors per step, accumulating into dst; sources by stride or gathered offsets
    L = []
    if gather:
        L.append(f"    private static void {name}(final byte[] coefs, final int[] srcOffsets, final int from, final int to,")
        L.append("        final byte[] src, final byte[] dst, final int out, final int end)")
    else:
        L.append(f"    private static void {name}(final byte[] coefs, final int row, final int n, final byte[] src,")
        L.append("        final int srcOff, final int srcStride, final byte[] dst, final int out, final int start, final int end)")
    L.append("    {")
    L.append(f"        for (int i = {'0' if gather else 'start'}; i < end; i += 2 * VLEN)")
    L.append("        {")
    L.append("            ByteVector a0 = ByteVector.fromArray(SPECIES, dst, out + i);")
    L.append("            ByteVector a1 = ByteVector.fromArray(SPECIES, dst, out + i + VLEN);")
    if gather:
        L.append("            for (int j = from; j < to; j++)")
        L.append("            {")
        L.append("                final int at = srcOffsets[j] + i;")
        L.append("                final int t = (coefs[j] & 0xFF) << SHIFT;")
    else:
        L.append("            for (int j = 0; j < n; j++)")
        L.append("            {")
        L.append("                final int at = srcOff + j * srcStride + i;")
        L.append("                final int t = (coefs[row + j] & 0xFF) << SHIFT;")
    L.append("                final ByteVector x0 = ByteVector.fromArray(SPECIES, src, at);")
    L.append("                final ByteVector x1 = ByteVector.fromArray(SPECIES, src, at + VLEN);")
    L.append("                final ByteVector tl = ByteVector.fromArray(SPECIES, LOW_V, t);")
    L.append("                final ByteVector th = ByteVector.fromArray(SPECIES, HIGH_V, t);")
    for line in (look("a0", "x0", 0), look("a1", "x1", 0)):
        if len(line) > 100:
            head, rest = line.split(".lanewise(XOR, highNibbles", 1) if sel else line.split(".lanewise(XOR, th.", 1)
            L.append("                " + head)
            L.append("                    " + (".lanewise(XOR, highNibbles" if sel else ".lanewise(XOR, th.") + rest)
        else:
            L.append("                " + line)
    L.append("            }")
    L.append("            a0.intoArray(dst, out + i);")
    L.append("            a1.intoArray(dst, out + i + VLEN);")
    L.append("        }")
    L.append("    }")
    return "\n".join(L) + "\n"

def both(L, ind, body_sel, body_shf):
    L.append(ind + "if (SELECT_FROM)")
    L.append(ind + "{")
    L += [ind + "    " + x for x in body_sel]
    L.append(ind + "}")
    L.append(ind + "else")
    L.append(ind + "{")
    L += [ind + "    " + x for x in body_shf]
    L.append(ind + "}")

def steps(sel, acc_names, srcs, t):
    out = []
    for a, x in zip(acc_names, srcs):
        if sel:
            out.append(f"{a} = {a}.lanewise(XOR, {x}.and((byte)0x0F).selectFrom(tl{t}))")
            out.append(f"    .lanewise(XOR, highNibbles({x}).selectFrom(th{t}));")
        else:
            out.append(f"{a} = {a}.lanewise(XOR, tl{t}.rearrange({x}.and((byte)0x0F).toShuffle()))")
            out.append(f"    .lanewise(XOR, th{t}.rearrange(highNibbles({x}).toShuffle()));")
    return out

def gather():
    L = []
    L.append("    /**")
    L.append("     * dst[out, out + end) += sum over j in [from, to) of coefs[j] * src[srcOffsets[j] ...]. Both formulations sit")
    L.append("     * in this one method, so it is too large for C2 to inline into a caller (see {@link #dotRows}).")
    L.append("     */")
    L.append("    private static void gatherAccumulate(final byte[] coefs, final int[] srcOffsets, final int from, final int to,")
    L.append("        final byte[] src, final byte[] dst, final int out, final int end)")
    L.append("    {")
    def loop(sel):
        b = []
        b.append("for (int i = 0; i < end; i += 2 * VLEN)")
        b.append("{")
        b.append("    ByteVector a0 = ByteVector.fromArray(SPECIES, dst, out + i);")
        b.append("    ByteVector a1 = ByteVector.fromArray(SPECIES, dst, out + i + VLEN);")
        b.append("    for (int j = from; j < to; j++)")
        b.append("    {")
        b.append("        final int at = srcOffsets[j] + i;")
        b.append("        final int t = (coefs[j] & 0xFF) << SHIFT;")
        b.append("        final ByteVector x0 = ByteVector.fromArray(SPECIES, src, at);")
        b.append("        final ByteVector x1 = ByteVector.fromArray(SPECIES, src, at + VLEN);")
        b.append("        final ByteVector tl = ByteVector.fromArray(SPECIES, LOW_V, t);")
        b.append("        final ByteVector th = ByteVector.fromArray(SPECIES, HIGH_V, t);")
        b += ["        " + x for x in steps(sel, ["a0", "a1"], ["x0", "x1"], "")]
        b.append("    }")
        b.append("    a0.intoArray(dst, out + i);")
        b.append("    a1.intoArray(dst, out + i + VLEN);")
        b.append("}")
        return b
    both(L, "        ", loop(True), loop(False))
    L.append("    }")
    return "\n".join(L) + "\n"

def scatter():
    L = []
    L.append("    /**")
    L.append("     * dst[outs[k], outs[k] + end) += factors[k] * src[srcOff ...] for k &lt; m; both formulations in one method,")
    L.append("     * too large for C2 to inline into a caller.")
    L.append("     */")
    L.append("    private static void scatterAccumulate(final byte[] factors, final int m, final byte[] src, final int srcOff,")
    L.append("        final byte[] dst, final int[] outs, final int end)")
    L.append("    {")
    L.append("        for (int k = 0; k < m; k++)")
    L.append("        {")
    L.append("            final int out = outs[k];")
    L.append("            final int t = (factors[k] & 0xFF) << SHIFT;")
    L.append("            final ByteVector tl = ByteVector.fromArray(SPECIES, LOW_V, t);")
    L.append("            final ByteVector th = ByteVector.fromArray(SPECIES, HIGH_V, t);")
    def loop(sel):
        b = []
        b.append("for (int i = 0; i < end; i += 2 * VLEN)")
        b.append("{")
        b.append("    final ByteVector x0 = ByteVector.fromArray(SPECIES, src, srcOff + i);")
        b.append("    final ByteVector x1 = ByteVector.fromArray(SPECIES, src, srcOff + i + VLEN);")
        b.append("    ByteVector a0 = ByteVector.fromArray(SPECIES, dst, out + i);")
        b.append("    ByteVector a1 = ByteVector.fromArray(SPECIES, dst, out + i + VLEN);")
        b += ["    " + x for x in steps(sel, ["a0", "a1"], ["x0", "x1"], "")]
        b.append("    a0.intoArray(dst, out + i);")
        b.append("    a1.intoArray(dst, out + i + VLEN);")
        b.append("}")
        return b
    both(L, "            ", loop(True), loop(False))
    L.append("        }")
    L.append("    }")
    return "\n".join(L) + "\n"

def axpy():
    L = []
    L.append("    /** dst[out, out + end) += c * src[srcOff ...]; both formulations in one method, too large for C2 to inline. */")
    L.append("    private static void axpyAccumulate(final int c, final byte[] src, final int srcOff, final byte[] dst,")
    L.append("        final int out, final int end)")
    L.append("    {")
    L.append("        final int t = (c & 0xFF) << SHIFT;")
    L.append("        final ByteVector tl = ByteVector.fromArray(SPECIES, LOW_V, t);")
    L.append("        final ByteVector th = ByteVector.fromArray(SPECIES, HIGH_V, t);")
    def loop(sel):
        b = []
        b.append("for (int i = 0; i < end; i += 2 * VLEN)")
        b.append("{")
        b.append("    final ByteVector x0 = ByteVector.fromArray(SPECIES, src, srcOff + i);")
        b.append("    final ByteVector x1 = ByteVector.fromArray(SPECIES, src, srcOff + i + VLEN);")
        b.append("    ByteVector a0 = ByteVector.fromArray(SPECIES, dst, out + i);")
        b.append("    ByteVector a1 = ByteVector.fromArray(SPECIES, dst, out + i + VLEN);")
        b += ["    " + x for x in steps(sel, ["a0", "a1"], ["x0", "x1"], "")]
        b.append("    a0.intoArray(dst, out + i);")
        b.append("    a1.intoArray(dst, out + i + VLEN);")
        b.append("}")
        return b
    both(L, "        ", loop(True), loop(False))
    L.append("    }")
    return "\n".join(L) + "\n"

def scale():
    L = []
    L.append("    /** dst[off, off + end) = c * dst[...]; both formulations in one method, too large for C2 to inline. */")
    L.append("    private static void scaleVectors(final byte[] dst, final int off, final int end, final int c)")
    L.append("    {")
    L.append("        final int t = (c & 0xFF) << SHIFT;")
    L.append("        final ByteVector tl = ByteVector.fromArray(SPECIES, LOW_V, t);")
    L.append("        final ByteVector th = ByteVector.fromArray(SPECIES, HIGH_V, t);")
    def loop(sel):
        b = []
        b.append("for (int i = 0; i < end; i += 2 * VLEN)")
        b.append("{")
        b.append("    final ByteVector x0 = ByteVector.fromArray(SPECIES, dst, off + i);")
        b.append("    final ByteVector x1 = ByteVector.fromArray(SPECIES, dst, off + i + VLEN);")
        b.append("    ByteVector a0 = ByteVector.zero(SPECIES);")
        b.append("    ByteVector a1 = ByteVector.zero(SPECIES);")
        b += ["    " + x for x in steps(sel, ["a0", "a1"], ["x0", "x1"], "")]
        b.append("    a0.intoArray(dst, off + i);")
        b.append("    a1.intoArray(dst, off + i + VLEN);")
        b.append("}")
        return b
    both(L, "        ", loop(True), loop(False))
    L.append("    }")
    return "\n".join(L) + "\n"

body = HEAD
for N in (3, 2, 1):
    body += group(True, N, 4, False) + "\n" + group(True, N, 2, True) + "\n"
for N in (5, 4, 3, 2, 1):
    body += group(False, N, 2, False) + "\n"
body += scatter() + "\n" + axpy() + "\n" + scale()
body += "}\n"

def wrap(text):
    """Breaks calls longer than 120 columns after a comma, continuation lines indented four more."""
    out = []
    for line in text.split("\n"):
        if len(line) > 120 and "(" in line and line.strip().endswith(";"):
            ind = len(line) - len(line.lstrip())
            parts = line.split(", ")
            cur = parts[0]
            for part in parts[1:]:
                if len(cur) + len(part) + 2 > 118:
                    out.append(cur + ",")
                    cur = " " * (ind + 4) + part
                else:
                    cur += ", " + part
            out.append(cur)
        else:
            out.append(line)
    return "\n".join(out)

open(OUT, "w").write(wrap(body))

# ---- SimdSegments: the JDK 25 encoding products over aligned native sources (src/simd25/java) ----
SEG_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "simd25", "java", "dev", "c2cast", "microcast",
                       "nc", "internal", "SimdSegments.java")
SEG_HEAD = r'''package dev.c2cast.microcast.nc.internal;

import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.function.IntFunction;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The encoding products of {@code SimdKernel}'s JDK 25 formulation with the sources, and the nibble tables, in
 * native memory on a 64-byte boundary ({@link SourceBuffer}), so no 512-bit load of a source or a table spans two
 * cache lines. Generated with {@code SimdKernel} by src/simd/generate_simd_kernel.py: the same {@code selectNxV}
 * loops, loading from a {@code MemorySegment} instead of a {@code byte[]}; outputs stay in heap arrays (the packets'
 * buffers).
 * <p>
 * Compiled against the JDK 25 API ({@code src/simd25/java}, {@code --release 25}) into {@code META-INF/versions/25}
 * of the multi-release jar; {@code SimdKernel} loads it by name on JDK 25 and later and keeps the sources on the heap
 * when it is not there. Each buffer is allocated in an automatic arena, so the collector frees it with its
 * generation.
 */
final class SimdSegments implements SourceBuffer
{
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int VLEN = SPECIES.length();
    private static final int SHIFT = Integer.numberOfTrailingZeros(VLEN);
    private static final int ALIGNMENT = 64;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final MemorySegment LOW_M = Arena.global().allocate(256L * VLEN, ALIGNMENT);
    private static final MemorySegment HIGH_M = Arena.global().allocate(256L * VLEN, ALIGNMENT);
    private static final IntFunction<SourceBuffer> FACTORY = SimdSegments::new;

    static
    {
        for (int c = 0; c < 256; c++)
        {
            for (int i = 0; i < VLEN; i++)
            {
                LOW_M.set(ValueLayout.JAVA_BYTE, (long)c * VLEN + i, GfTables.LOW[(c << 4) | (i & 15)]);
                HIGH_M.set(ValueLayout.JAVA_BYTE, (long)c * VLEN + i, GfTables.HIGH[(c << 4) | (i & 15)]);
            }
        }
    }

    private final MemorySegment src;
    private final int capacity;

    private SimdSegments(final int capacity)
    {
        if (capacity < 0)
        {
            throw new IllegalArgumentException("capacity " + capacity + " < 0");
        }
        this.capacity = capacity;
        this.src = Arena.ofAuto().allocate(capacity, ALIGNMENT);
    }

    /**
     * The factory {@code SimdKernel} loads by name.
     *
     * @return a function from capacity to a new zeroed buffer.
     */
    public static IntFunction<SourceBuffer> factory()
    {
        return FACTORY;
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    @Override
    public void load(final byte[] bytes, final int off, final int len)
    {
        Objects.checkFromIndexSize(off, len, bytes.length);
        if (len > capacity)
        {
            throw new IllegalArgumentException(len + " bytes exceed the capacity " + capacity);
        }
        MemorySegment.copy(bytes, off, src, ValueLayout.JAVA_BYTE, 0, len);
    }

    @Override
    public void multiplyTo(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final int srcStride, final byte[][] dsts, final int[] dstOffsets, final int len)
    {
        check(m, n, srcStride, len);
        final int bound = len & -(2 * VLEN);
        product(coefs, coefOff, coefStride, m, n, src, srcStride, dsts, null, dstOffsets, bound);
        tail(coefs, coefOff, coefStride, m, n, srcStride, dsts, null, dstOffsets, bound, len);
    }

    @Override
    public void multiply(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final int srcStride, final byte[] dst, final int[] dstOffsets, final int len)
    {
        check(m, n, srcStride, len);
        final int bound = len & -(2 * VLEN);
        product(coefs, coefOff, coefStride, m, n, src, srcStride, null, dst, dstOffsets, bound);
        tail(coefs, coefOff, coefStride, m, n, srcStride, null, dst, dstOffsets, bound, len);
    }

    private void check(final int m, final int n, final int srcStride, final int len)
    {
        if (m < 0 || n < 0 || len < 0 || srcStride < 0 || n > 0 && (long)(n - 1) * srcStride + len > capacity)
        {
            throw new IndexOutOfBoundsException("sources n=" + n + " stride=" + srcStride + " len=" + len +
                " outside a buffer of " + capacity + " bytes");
        }
    }

    /** Bytes [bound, len) of every output, one at a time (the coding classes pad every length, so never in use). */
    private void tail(final byte[] coefs, final int coefOff, final int coefStride, final int m, final int n,
        final int srcStride, final byte[][] dsts, final byte[] dst, final int[] dstOffsets, final int bound,
        final int len)
    {
        for (int k = 0; k < m && bound < len; k++)
        {
            final byte[] d = dsts != null ? dsts[k] : dst;
            final int r = coefOff + k * coefStride;
            for (int i = bound; i < len; i++)
            {
                int value = 0;
                for (int j = 0; j < n; j++)
                {
                    final int x = src.get(ValueLayout.JAVA_BYTE, (long)j * srcStride + i) & 0xFF;
                    value ^= GfTables.MUL[((coefs[r + j] & 0xFF) << 8) | x];
                }
                d[dstOffsets[k] + i] = (byte)value;
            }
        }
    }

    private static ByteVector highNibbles(final ByteVector v)
    {
        return v.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte)0x0F);
    }

    /** The product over [0, bound), bound a multiple of two vectors; one of dsts and dst is null. */
    private static void product(final byte[] coefs, final int coefOff, final int coefStride, final int m,
        final int n, final MemorySegment src, final int srcStride, final byte[][] dsts, final byte[] dst,
        final int[] outs, final int bound)
    {
        final int bound4 = bound & -(4 * VLEN);
        for (int k = 0; k < m; k += 3)
        {
            final int row = coefOff + k * coefStride;
            switch (Math.min(3, m - k))
            {
                case 3:
                    select3x4(coefs, row, coefStride, n, src, 0, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], dsts != null ? dsts[k + 2] : dst, outs[k + 2], bound4);
                    if (bound4 < bound)
                    {
                        select3x2(coefs, row, coefStride, n, src, 0, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], dsts != null ? dsts[k + 2] : dst, outs[k + 2], bound4, bound);
                    }
                    break;
                case 2:
                    select2x4(coefs, row, coefStride, n, src, 0, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], bound4);
                    if (bound4 < bound)
                    {
                        select2x2(coefs, row, coefStride, n, src, 0, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], dsts != null ? dsts[k + 1] : dst, outs[k + 1], bound4, bound);
                    }
                    break;
                default:
                    select1x4(coefs, row, n, src, 0, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], bound4);
                    if (bound4 < bound)
                    {
                        select1x2(coefs, row, n, src, 0, srcStride, dsts != null ? dsts[k + 0] : dst, outs[k + 0], bound4, bound);
                    }
                    break;
            }
        }
    }

    // The loops below are generated (see the class comment): selectNxV computes N outputs from V vectors of every
    // source per step, exactly as in SimdKernel.
'''

def segmentize(code):
    import re
    code = code.replace("final byte[] src,", "final MemorySegment src,")
    code = code.replace("final\n        byte[] src,", "final\n        MemorySegment src,")
    code = re.sub(r"ByteVector\.fromArray\(SPECIES, src, ([^;]*?)\);", r"ByteVector.fromMemorySegment(SPECIES, src, \1, ORDER);", code)
    code = re.sub(r"ByteVector\.fromArray\(SPECIES, LOW_V, (t\d*)\)", r"ByteVector.fromMemorySegment(SPECIES, LOW_M, \1, ORDER)", code)
    code = re.sub(r"ByteVector\.fromArray\(SPECIES, HIGH_V, (t\d*)\)", r"ByteVector.fromMemorySegment(SPECIES, HIGH_M, \1, ORDER)", code)
    return code

seg = SEG_HEAD
for N in (3, 2, 1):
    seg += "\n" + segmentize(group(True, N, 4, False, False)) + "\n" + segmentize(group(True, N, 2, True, False))
seg += "}\n"
os.makedirs(os.path.dirname(SEG_OUT), exist_ok=True)
open(SEG_OUT, "w").write(wrap(seg))
