package dev.c2cast.microcast.nc;

import java.util.Objects;

import dev.c2cast.microcast.nc.internal.GfKernel;
import dev.c2cast.microcast.nc.internal.Kernels;
import dev.c2cast.microcast.nc.internal.SplitMix;
import io.netty.buffer.ByteBuf;

/**
 * A relay's coder: it holds the coded packets it has received and emits new random linear combinations of them
 * without decoding, each carrying its correct coefficient vector over the source symbols (always
 * {@link CoefficientEncoding#FULL}: a combination of combinations has no seed).
 * <p>
 * What it holds is kept by a {@link Decoder} (see {@link #decoder()}), so non-innovative packets are dropped on
 * arrival and the relay can play the generation too once complete. The rows the decoder keeps span exactly the
 * packets received, so random combinations of them are random combinations of those packets. Coefficients come from
 * SplitMix64 (the {@link java.util.SplittableRandom} generator); a combination is never zero while the rank is
 * positive. Recoding allocates nothing. Not thread-safe.
 */
public final class Recoder
{
    private final GfKernel kernel = Kernels.active();
    private final Decoder decoder;
    private final int g;
    private final int s;
    private final int rowStride;
    private final int coefStride;
    private final byte[] mix;
    private final byte[] out;
    private final int[] outOffsets;
    private long state;

    /**
     * Creates a recoder.
     *
     * @param parameters   g and s.
     * @param generationId the generation it relays.
     * @param seed         seed of the coefficient generator.
     */
    public Recoder(final CodingParameters parameters, final long generationId, final long seed)
    {
        this.decoder = new Decoder(parameters, generationId);
        this.g = parameters.generationSize();
        this.s = parameters.symbolSize();
        this.rowStride = decoder.rowStride();
        this.coefStride = decoder.coefStride();
        this.mix = new byte[Encoder.BURST * g];
        this.out = new byte[Encoder.BURST * rowStride];
        this.outOffsets = new int[Encoder.BURST];
        for (int k = 0; k < Encoder.BURST; k++)
        {
            outOffsets[k] = k * rowStride;
        }
        this.state = seed;
    }

    /**
     * Takes a received packet.
     *
     * @param packet a validated packet.
     * @return true if it was innovative.
     * @throws CodedPacketException if it does not belong to this generation.
     */
    public boolean receive(final CodedPacket packet)
    {
        return decoder.receive(packet);
    }

    /**
     * The decoder holding the received packets (to decode at the relay too, or reset it for the next generation).
     *
     * @return the decoder.
     */
    public Decoder decoder()
    {
        return decoder;
    }

    /**
     * Rank of what is held: how many independent packets a recoder can emit.
     *
     * @return 0..g.
     */
    public int rank()
    {
        return decoder.rank();
    }

    /**
     * Length of every recoded packet.
     *
     * @return bytes.
     */
    public int packetLength()
    {
        return CodedPacket.length(CoefficientEncoding.FULL, g, s);
    }

    /**
     * Writes one recoded packet at the buffer's writer index and advances it.
     *
     * @param dst destination.
     * @return bytes written.
     * @throws IllegalStateException if nothing has been received.
     */
    public int writePacket(final ByteBuf dst)
    {
        recode(1);
        return emit(0, dst);
    }

    /**
     * Writes {@code count} recoded packets, one per buffer, {@value Encoder#BURST} per pass.
     *
     * @param dsts   destinations.
     * @param offset first destination used.
     * @param count  number of packets.
     * @return bytes written in all.
     * @throws IllegalStateException if nothing has been received.
     */
    public int writePackets(final ByteBuf[] dsts, final int offset, final int count)
    {
        Objects.checkFromIndexSize(offset, count, dsts.length);
        int total = 0;
        for (int i = 0; i < count; i += Encoder.BURST)
        {
            final int n = Math.min(Encoder.BURST, count - i);
            recode(n);
            for (int k = 0; k < n; k++)
            {
                total += emit(k, dsts[offset + i + k]);
            }
        }
        return total;
    }

    private void recode(final int n)
    {
        if (decoder.rank() == 0)
        {
            throw new IllegalStateException("nothing to recode: no packet received");
        }
        if (decoder.segmentLength() < 0)
        {
            throw new IllegalStateException("segment length unknown: feed framed packets");
        }
        for (int k = 0; k < n; k++)
        {
            final int row = k * g;
            boolean any;
            do
            {
                any = false;
                for (int i = 0; i < g; i += Long.BYTES)
                {
                    state += SplitMix.GAMMA;
                    long bits = SplitMix.mix64(state);
                    final int end = Math.min(g, i + Long.BYTES);
                    for (int j = i; j < end; j++)
                    {
                        final byte c = decoder.isPresent(j) ? (byte)bits : 0;
                        mix[row + j] = c;
                        any |= c != 0;
                        bits >>>= 8;
                    }
                }
            }
            while (!any);
        }
        kernel.multiply(mix, 0, g, n, g, decoder.rows(), 0, rowStride, out, outOffsets, rowStride, false);
    }

    private int emit(final int k, final ByteBuf dst)
    {
        final int length = packetLength();
        dst.ensureWritable(length);
        final int index = dst.writerIndex();
        CodedPacket.writeHeader(dst, index, CoefficientEncoding.FULL, g, s, decoder.generationId(),
            decoder.segmentLength());
        dst.setBytes(index + CodedPacket.HEADER_LENGTH, out, k * rowStride, g);
        dst.setBytes(index + CodedPacket.HEADER_LENGTH + g, out, k * rowStride + coefStride, s);
        dst.writerIndex(index + length);
        return length;
    }
}
