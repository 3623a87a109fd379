package dev.c2cast.microcast.nc;

import java.util.Arrays;
import java.util.Objects;

import dev.c2cast.microcast.nc.internal.GfKernel;
import dev.c2cast.microcast.nc.internal.Kernels;
import dev.c2cast.microcast.nc.internal.SourceBuffer;
import io.netty.buffer.ByteBuf;

/**
 * The source side of one generation: a segment of up to {@code g * s} bytes cut into g source symbols of s bytes.
 * A shorter segment is padded with zeros and its true {@link #length()} recorded (and carried in every packet).
 * <p>
 * Symbols are stored in one array with a stride of s rounded up to a multiple of 128 bytes (two 512-bit vectors, so
 * a multiple of 64 too), so the kernels never run a scalar
 * tail. A generation can be {@link #load reloaded} with the next segment, so a long-running encoder allocates
 * nothing per generation either. Not thread-safe.
 * <p>
 * With the SIMD kernel on JDK 25 and later, a generation also keeps a copy of its symbols in native memory on a
 * 64-byte boundary, which encoders read instead of the array (about 20 % faster, docs/microcast-nc/BENCHMARKS.md):
 * g times the padded symbol size more memory, counted against {@code -XX:MaxDirectMemorySize} like a direct buffer
 * and freed by the collector with the generation, and one copy per {@link #load}. The system property
 * {@code dev.c2cast.microcast.nc.nativeSources=false} turns it off.
 */
public final class Generation
{
    private final CodingParameters parameters;
    private final int stride;
    private final byte[] symbols;
    /** The kernel's faster copy of {@link #symbols}, or null when it has none. */
    private final SourceBuffer sourceBuffer;
    private int length;

    private Generation(final CodingParameters parameters)
    {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.stride = paddedSymbolSize(parameters.symbolSize());
        this.symbols = new byte[parameters.generationSize() * stride];
        this.sourceBuffer = Kernels.active().newSourceBuffer(symbols.length);
    }

    /**
     * An empty generation (length 0, all symbols zero) to {@link #load} later.
     *
     * @param parameters g and s.
     * @return the generation.
     */
    public static Generation allocate(final CodingParameters parameters)
    {
        return new Generation(parameters);
    }

    /**
     * A generation holding a copy of a segment.
     *
     * @param parameters g and s.
     * @param segment    the bytes.
     * @param offset     first byte.
     * @param length     bytes, at most {@code g * s}.
     * @return the generation.
     */
    public static Generation copyOf(final CodingParameters parameters, final byte[] segment, final int offset,
        final int length)
    {
        final Generation generation = new Generation(parameters);
        generation.load(segment, offset, length);
        return generation;
    }

    /**
     * A generation holding a copy of a whole array.
     *
     * @param parameters g and s.
     * @param segment    the bytes, at most {@code g * s}.
     * @return the generation.
     */
    public static Generation copyOf(final CodingParameters parameters, final byte[] segment)
    {
        return copyOf(parameters, segment, 0, segment.length);
    }

    /**
     * Replaces the content with a segment; the rest is zeroed.
     *
     * @param segment the bytes.
     * @param offset  first byte.
     * @param len     bytes, at most {@code g * s}.
     */
    public void load(final byte[] segment, final int offset, final int len)
    {
        Objects.checkFromIndexSize(offset, len, segment.length);
        checkLength(len);
        final int s = parameters.symbolSize();
        int remaining = len;
        for (int i = 0; i < parameters.generationSize(); i++)
        {
            final int n = Math.max(0, Math.min(s, remaining));
            if (n > 0)
            {
                System.arraycopy(segment, offset + i * s, symbols, i * stride, n);
            }
            Arrays.fill(symbols, i * stride + n, (i + 1) * stride, (byte)0);
            remaining -= n;
        }
        this.length = len;
        if (sourceBuffer != null)
        {
            sourceBuffer.load(symbols, 0, symbols.length);
        }
    }

    /**
     * Replaces the content with the readable bytes of a buffer (indices unchanged); the rest is zeroed.
     *
     * @param segment the bytes, at most {@code g * s}.
     */
    public void load(final ByteBuf segment)
    {
        final int len = segment.readableBytes();
        checkLength(len);
        final int s = parameters.symbolSize();
        int remaining = len;
        for (int i = 0; i < parameters.generationSize(); i++)
        {
            final int n = Math.max(0, Math.min(s, remaining));
            if (n > 0)
            {
                segment.getBytes(segment.readerIndex() + i * s, symbols, i * stride, n);
            }
            Arrays.fill(symbols, i * stride + n, (i + 1) * stride, (byte)0);
            remaining -= n;
        }
        this.length = len;
        if (sourceBuffer != null)
        {
            sourceBuffer.load(symbols, 0, symbols.length);
        }
    }

    private void checkLength(final int len)
    {
        if (len > parameters.capacity())
        {
            throw new IllegalArgumentException("segment of " + len + " bytes exceeds g * s = " +
                parameters.capacity());
        }
    }

    /**
     * The generation's shape.
     *
     * @return g and s.
     */
    public CodingParameters parameters()
    {
        return parameters;
    }

    /**
     * Meaningful bytes (the segment's true length).
     *
     * @return 0..g*s.
     */
    public int length()
    {
        return length;
    }

    /**
     * Copies source symbol {@code i} (s bytes).
     *
     * @param i      index below g.
     * @param dst    destination.
     * @param dstOff first byte written.
     */
    public void copySymbol(final int i, final byte[] dst, final int dstOff)
    {
        Objects.checkIndex(i, parameters.generationSize());
        System.arraycopy(symbols, i * stride, dst, dstOff, parameters.symbolSize());
    }

    byte[] storage()
    {
        return symbols;
    }

    /**
     * The kernel's copy of the symbols that encoders read, or null.
     *
     * @return the buffer, with source {@code i} at {@code i * stride()}, or null.
     */
    SourceBuffer sourceBuffer()
    {
        return sourceBuffer;
    }

    int stride()
    {
        return stride;
    }

    /**
     * s rounded up to the kernels' padding of 128 bytes.
     *
     * @param symbolSize s.
     * @return the padded size.
     */
    static int paddedSymbolSize(final int symbolSize)
    {
        return (symbolSize + GfKernel.PADDING - 1) & -GfKernel.PADDING;
    }
}
