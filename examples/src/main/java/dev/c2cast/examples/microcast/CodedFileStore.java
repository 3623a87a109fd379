package dev.c2cast.examples.microcast;

import java.util.Arrays;
import java.util.SplittableRandom;

import dev.c2cast.microcast.nc.CodedPacket;
import dev.c2cast.microcast.nc.CodedPacketException;
import dev.c2cast.microcast.nc.CodingParameters;
import dev.c2cast.microcast.nc.CoefficientEncoding;
import dev.c2cast.microcast.nc.Encoder;
import dev.c2cast.microcast.nc.Generation;
import dev.c2cast.microcast.nc.Recoder;
import dev.c2cast.microcast.nc.p2.SegmentStore;
import io.netty.buffer.ByteBuf;

/**
 * The bytes of one file as the local dissemination engines see them: one RLNC generation per MicroDownload segment
 * ({@code g * s} bytes), backed by microcast-nc's {@link Encoder} for segments held whole and {@link Recoder} for
 * partial ones (progressive Gauss-Jordan decoding). Plain packets, which BitTorrent-Pull moves, are coded packets
 * with the SYSTEMATIC coefficient block, so one parser serves both.
 * <p>
 * The engines' store interface exists only in microcast-nc's simulator form ({@code VirtualSegmentStore}); this is
 * the real one the examples need. It does not verify segments against a manifest: the demo checks the whole file's
 * SHA-256 instead. Confined to the engine's thread.
 */
final class CodedFileStore implements SegmentStore
{
    private final CodingParameters parameters;
    private final long fileSize;
    private final int segmentSize;
    private final int segmentCount;
    private final byte[][] data;
    private final Encoder[] encoders;
    private final Recoder[] recoders;
    private final CodedPacket packet = new CodedPacket();
    private final byte[] unit;
    private final byte[] symbol;
    private final long seed;

    CodedFileStore(final CodingParameters parameters, final long fileSize, final long seed)
    {
        this.parameters = parameters;
        this.fileSize = fileSize;
        this.segmentSize = parameters.capacity();
        this.segmentCount = (int)((fileSize + segmentSize - 1) / segmentSize);
        this.data = new byte[segmentCount][];
        this.encoders = new Encoder[segmentCount];
        this.recoders = new Recoder[segmentCount];
        this.unit = new byte[parameters.generationSize()];
        this.symbol = new byte[parameters.symbolSize()];
        this.seed = seed;
    }

    int segmentLength(final int segment)
    {
        return (int)Math.min(segmentSize, fileSize - (long)segment * segmentSize);
    }

    /**
     * Hands over a segment downloaded over the cellular link, before the engine's {@code onSegmentDownloaded}.
     *
     * @param segment the index.
     * @param bytes   its bytes.
     */
    void offer(final int segment, final byte[] bytes)
    {
        if (bytes.length != segmentLength(segment))
        {
            throw new IllegalArgumentException("segment " + segment + " of " + bytes.length + " bytes, expected " + segmentLength(segment));
        }
        if (data[segment] == null)
        {
            data[segment] = bytes.clone();
        }
    }

    /**
     * The bytes of a decoded segment.
     *
     * @param segment the index.
     * @return the bytes (not copied), or null if not decoded.
     */
    byte[] bytes(final int segment)
    {
        return data[segment];
    }

    @Override
    public int segmentCount()
    {
        return segmentCount;
    }

    @Override
    public int generationSize()
    {
        return parameters.generationSize();
    }

    @Override
    public int codedPacketLength()
    {
        return CodedPacket.maxLength(parameters);
    }

    @Override
    public int plainPacketLength()
    {
        return CodedPacket.length(CoefficientEncoding.SYSTEMATIC, parameters.generationSize(), parameters.symbolSize());
    }

    @Override
    public int rank(final int segment)
    {
        if (data[segment] != null)
        {
            return parameters.generationSize();
        }
        return recoders[segment] == null ? 0 : recoders[segment].rank();
    }

    @Override
    public boolean isDecoded(final int segment)
    {
        return data[segment] != null;
    }

    @Override
    public void loadSource(final int segment)
    {
        if (data[segment] == null)
        {
            throw new IllegalStateException("segment " + segment + " was not offered before loadSource");
        }
        recoders[segment] = null;
    }

    @Override
    public void writeCoded(final int segment, final ByteBuf out, final SplittableRandom random)
    {
        if (data[segment] != null)
        {
            Encoder encoder = encoders[segment];
            if (encoder == null)
            {
                encoder = new Encoder(Generation.copyOf(parameters, data[segment]), segment, CoefficientEncoding.SEED, false,
                    seed ^ (segment * 0x9E3779B97F4A7C15L));
                encoders[segment] = encoder;
            }
            encoder.writePacket(out);
            return;
        }
        final Recoder recoder = recoders[segment];
        if (recoder == null || recoder.rank() == 0)
        {
            throw new IllegalStateException("segment " + segment + " has rank 0");
        }
        recoder.writePacket(out);
    }

    @Override
    public void writePlain(final int segment, final int index, final ByteBuf out)
    {
        final byte[] bytes = data[segment];
        if (bytes == null)
        {
            throw new IllegalStateException("segment " + segment + " is not decoded");
        }
        final int s = parameters.symbolSize();
        out.writeByte(CodedPacket.VERSION);
        out.writeByte(CoefficientEncoding.SYSTEMATIC.code());
        out.writeByte(parameters.generationSize() - 1);
        out.writeByte(0);
        out.writeInt(segment);
        out.writeShort(s - 1);
        out.writeShort(0);
        out.writeInt(bytes.length);
        out.writeByte(index);
        final int from = index * s;
        final int available = Math.max(0, Math.min(s, bytes.length - from));
        if (available > 0)
        {
            out.writeBytes(bytes, from, available);
        }
        out.writeZero(s - available);
    }

    @Override
    public int absorb(final int segment, final long source, final ByteBuf buffer, final int offset, final int length)
    {
        try
        {
            packet.wrap(buffer, offset, length);
        }
        catch (final CodedPacketException ex)
        {
            return ABSORB_REJECTED;
        }
        if (packet.generationId() != segment || packet.generationSize() != parameters.generationSize()
            || packet.symbolSize() != parameters.symbolSize() || packet.segmentLength() != segmentLength(segment))
        {
            return ABSORB_REJECTED;
        }
        if (data[segment] != null)
        {
            return ABSORB_REDUNDANT;
        }
        Recoder recoder = recoders[segment];
        if (recoder == null)
        {
            recoder = new Recoder(parameters, segment, seed + segment);
            recoders[segment] = recoder;
        }
        final boolean innovative;
        if (packet.coefficientEncoding() == CoefficientEncoding.SYSTEMATIC)
        {
            Arrays.fill(unit, (byte)0);
            unit[packet.systematicIndex()] = 1;
            packet.copyPayload(symbol, 0);
            innovative = recoder.decoder().receive(unit, 0, symbol, 0);
        }
        else
        {
            innovative = recoder.receive(packet);
        }
        if (!innovative)
        {
            return ABSORB_REDUNDANT;
        }
        if (!recoder.decoder().isComplete())
        {
            return ABSORB_INNOVATIVE;
        }
        final byte[] whole = new byte[segmentSize];
        final int s = parameters.symbolSize();
        for (int i = 0; i < parameters.generationSize(); i++)
        {
            recoder.decoder().copySymbol(i, whole, i * s);
        }
        data[segment] = Arrays.copyOf(whole, segmentLength(segment));
        recoders[segment] = null;
        return ABSORB_DECODED;
    }

    @Override
    public int plainIndex(final ByteBuf buffer, final int offset, final int length)
    {
        try
        {
            packet.wrap(buffer, offset, length);
        }
        catch (final CodedPacketException ex)
        {
            return -1;
        }
        return packet.coefficientEncoding() == CoefficientEncoding.SYSTEMATIC ? packet.systematicIndex() : -1;
    }
}
