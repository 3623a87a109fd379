package dev.c2cast.microcast.nc.p2;

import java.util.Objects;
import java.util.SplittableRandom;

import dev.c2cast.microcast.nc.CodedPacket;
import dev.c2cast.microcast.nc.CodedPacketException;
import dev.c2cast.microcast.nc.CodingParameters;
import dev.c2cast.microcast.nc.CoefficientEncoding;
import dev.c2cast.microcast.nc.Decoder;
import dev.c2cast.microcast.nc.Encoder;
import dev.c2cast.microcast.nc.Generation;
import dev.c2cast.microcast.nc.Recoder;

import io.netty.buffer.ByteBuf;

/**
 * The {@link SegmentStore} over this module's coder, with integrity: segment i is generation i; a holder of a
 * decoded segment encodes with SEED coefficients, a partial holder recodes, plain packets are SYSTEMATIC ones, all in
 * the {@link CodedPacket} format. Every decoded segment is checked against the {@link SegmentManifest} before it is
 * reported decoded: if the check fails, the store finds the polluting peer by decoding again without each
 * contributor's packets in turn, ignores that peer's packets from then on and keeps the segment if the remaining
 * packets decode it correctly; a sole contributor of wrong data is ignored too. Otherwise it discards the segment
 * ({@link #ABSORB_CORRUPT}) so it is requested again. Only engines that serve verified segments (MicroNC-P2,
 * BitTorrent-Pull) guarantee an honest peer is never blamed; an R2-Push relay recodes unverified packets and can
 * forward pollution.
 * A corrupt segment is never stored nor handed to the application. With a
 * {@link SegmentManifest#lengthsOnly lengths-only} manifest only lengths are checked: nothing is detected as corrupt.
 * <p>
 * Cellular downloads enter through {@link #supply}. Received packets of an incomplete segment are kept (up to 4g,
 * in one buffer allocated when its first packet arrives) for the culprit search; absorbing a packet allocates
 * nothing else. Confined to one thread.
 */
public final class CodedSegmentStore implements SegmentStore
{
    /** Most sources a store can ignore. */
    public static final int MAX_IGNORED = 64;

    private final SegmentManifest manifest;
    private final CodingParameters parameters;
    private final int g;
    private final int s;
    private final int segmentCount;
    private final byte[][] data;
    private final Encoder[] encoders;
    private final Recoder[] recoders;
    private final Kept[] kept;
    private final CodedPacket view = new CodedPacket();
    private final long[] ignored = new long[MAX_IGNORED];
    private final byte[] scratch;
    private final long seed;
    private int ignoredCount;
    private long corruptDecodes;
    private long rejected;

    /**
     * The packets received of one incomplete segment, in one buffer allocated once per segment.
     */
    private static final class Kept
    {
        final byte[] bytes;
        final long[] sources;
        final int[] lengths;
        final int slot;
        int count;

        Kept(final int capacity, final int slot)
        {
            this.bytes = new byte[capacity * slot];
            this.sources = new long[capacity];
            this.lengths = new int[capacity];
            this.slot = slot;
        }
    }

    /**
     * An empty store for the file a manifest describes.
     *
     * @param manifest the initiator's manifest.
     * @param seed     seed of the coefficient generators.
     */
    public CodedSegmentStore(final SegmentManifest manifest, final long seed)
    {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.parameters = manifest.parameters();
        this.g = parameters.generationSize();
        this.s = parameters.symbolSize();
        this.segmentCount = manifest.segmentCount();
        this.data = new byte[segmentCount][];
        this.encoders = new Encoder[segmentCount];
        this.recoders = new Recoder[segmentCount];
        this.kept = new Kept[segmentCount];
        this.scratch = new byte[parameters.capacity()];
        this.seed = seed;
    }

    /**
     * Hands the store a segment downloaded over the cellular link, checked against the manifest; the engine's
     * {@link DisseminationEngine#onSegmentDownloaded(int)} then loads it.
     *
     * @param segment segment index.
     * @param bytes   holds the segment.
     * @param offset  first byte.
     * @param length  bytes.
     * @return true if it matched the manifest and is now held, false if it was rejected.
     */
    public boolean supply(final int segment, final byte[] bytes, final int offset, final int length)
    {
        Objects.checkIndex(segment, segmentCount);
        if (data[segment] != null)
        {
            return true;
        }
        if (!manifest.matches(segment, bytes, offset, length))
        {
            return false;
        }
        hold(segment, java.util.Arrays.copyOfRange(bytes, offset, offset + length));
        return true;
    }

    /**
     * A decoded segment's bytes.
     *
     * @param segment segment index.
     * @return a copy of the verified bytes, or null if the segment is not held decoded.
     */
    public byte[] segment(final int segment)
    {
        return data[segment] == null ? null : data[segment].clone();
    }

    /**
     * Whether packets from a source are ignored because it polluted a segment.
     *
     * @param source node id.
     * @return true if ignored.
     */
    public boolean isIgnored(final long source)
    {
        for (int i = 0; i < ignoredCount; i++)
        {
            if (ignored[i] == source)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Decodes that failed the manifest check.
     *
     * @return the count.
     */
    public long corruptDecodes()
    {
        return corruptDecodes;
    }

    /**
     * Packets rejected: malformed, of another shape, or from an ignored source.
     *
     * @return the count.
     */
    public long rejectedPackets()
    {
        return rejected;
    }

    @Override
    public int segmentCount()
    {
        return segmentCount;
    }

    @Override
    public int generationSize()
    {
        return g;
    }

    @Override
    public int codedPacketLength()
    {
        return CodedPacket.maxLength(parameters);
    }

    @Override
    public int plainPacketLength()
    {
        return CodedPacket.length(CoefficientEncoding.SYSTEMATIC, g, s);
    }

    @Override
    public int rank(final int segment)
    {
        if (data[segment] != null)
        {
            return g;
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
            throw new IllegalStateException("segment " + segment + " was not supplied");
        }
    }

    @Override
    public void writeCoded(final int segment, final ByteBuf out, final SplittableRandom random)
    {
        if (data[segment] != null)
        {
            encoders[segment].writePacket(out);
        }
        else if (recoders[segment] != null && recoders[segment].rank() > 0)
        {
            recoders[segment].writePacket(out);
        }
        else
        {
            throw new IllegalStateException("nothing held of segment " + segment);
        }
    }

    @Override
    public void writePlain(final int segment, final int index, final ByteBuf out)
    {
        final byte[] bytes = data[segment];
        if (bytes == null || index < 0 || index >= g)
        {
            throw new IllegalStateException("no plain packet " + index + " of segment " + segment);
        }
        out.writeByte(CodedPacket.VERSION);
        out.writeByte(CoefficientEncoding.SYSTEMATIC.code());
        out.writeByte(g - 1);
        out.writeByte(0);
        out.writeInt(segment);
        out.writeShort(s - 1);
        out.writeShort(0);
        out.writeInt(bytes.length);
        out.writeByte(index);
        final int from = index * s;
        final int n = Math.max(0, Math.min(s, bytes.length - from));
        out.writeBytes(bytes, Math.min(from, bytes.length), n);
        out.writeZero(s - n);
    }

    @Override
    public int plainIndex(final ByteBuf buffer, final int offset, final int length)
    {
        try
        {
            view.wrap(buffer, offset, length);
        }
        catch (final CodedPacketException ex)
        {
            return -1;
        }
        return view.coefficientEncoding() == CoefficientEncoding.SYSTEMATIC ? view.systematicIndex() : -1;
    }

    @Override
    public int absorb(final int segment, final long source, final ByteBuf buffer, final int offset, final int length)
    {
        if (isIgnored(source))
        {
            rejected++;
            return ABSORB_REJECTED;
        }
        try
        {
            view.wrap(buffer, offset, length);
        }
        catch (final CodedPacketException ex)
        {
            rejected++;
            return ABSORB_REJECTED;
        }
        if (view.generationId() != segment || view.generationSize() != g || view.symbolSize() != s ||
            view.segmentLength() != manifest.segmentLength(segment))
        {
            rejected++;
            return ABSORB_REJECTED;
        }
        if (data[segment] != null)
        {
            return ABSORB_REDUNDANT;
        }
        if (recoders[segment] == null)
        {
            recoders[segment] = new Recoder(parameters, segment, seed ^ (0x9E3779B97F4A7C15L * (segment + 1)));
        }
        final boolean innovative;
        try
        {
            innovative = recoders[segment].receive(view);
        }
        catch (final CodedPacketException ex)
        {
            rejected++;
            return ABSORB_REJECTED;
        }
        Kept packets = kept[segment];
        if (packets == null)
        {
            packets = new Kept(4 * g, codedPacketLength());
            kept[segment] = packets;
        }
        if (packets.count < packets.sources.length)
        {
            buffer.getBytes(offset, packets.bytes, packets.count * packets.slot, length);
            packets.sources[packets.count] = source;
            packets.lengths[packets.count] = length;
            packets.count++;
        }
        if (!innovative)
        {
            return ABSORB_REDUNDANT;
        }
        if (recoders[segment].rank() < g)
        {
            return ABSORB_INNOVATIVE;
        }
        final Decoder decoder = recoders[segment].decoder();
        final int n = decoder.copySegment(scratch, 0);
        if (manifest.matches(segment, scratch, 0, n))
        {
            hold(segment, java.util.Arrays.copyOf(scratch, n));
            return ABSORB_DECODED;
        }
        corruptDecodes++;
        recoders[segment] = null;
        if (findPolluter(segment))
        {
            return ABSORB_DECODED;
        }
        final Kept full = kept[segment];
        if (full != null && full.count == full.sources.length)
        {
            full.count = 0;
        }
        return ABSORB_CORRUPT;
    }

    /**
     * Decodes the kept packets of a segment once without each contributor's; the contributor whose absence gives
     * the manifest's bytes is ignored from then on, and the segment is kept.
     */
    private boolean findPolluter(final int segment)
    {
        final Kept packets = kept[segment];
        final long[] sources = java.util.Arrays.stream(packets.sources, 0, packets.count).distinct().toArray();
        if (sources.length == 1)
        {
            // One contributor alone produced data that fails the manifest: it is the polluter.
            ignore(sources[0]);
            kept[segment] = null;
            return false;
        }
        final ByteBuf wrapper = io.netty.buffer.Unpooled.wrappedBuffer(packets.bytes);
        for (final long suspect : sources)
        {
            final Decoder decoder = new Decoder(parameters, segment);
            for (int k = 0; k < packets.count && !decoder.isComplete(); k++)
            {
                if (packets.sources[k] != suspect)
                {
                    try
                    {
                        decoder.receive(view.wrap(wrapper, k * packets.slot, packets.lengths[k]));
                    }
                    catch (final CodedPacketException ex)
                    {
                        // Kept packets were valid when kept; skip one that is not.
                        continue;
                    }
                }
            }
            if (decoder.isComplete())
            {
                final int n = decoder.copySegment(scratch, 0);
                if (manifest.matches(segment, scratch, 0, n))
                {
                    ignore(suspect);
                    hold(segment, java.util.Arrays.copyOf(scratch, n));
                    return true;
                }
            }
        }
        return false;
    }

    private void ignore(final long source)
    {
        if (!isIgnored(source) && ignoredCount < MAX_IGNORED)
        {
            ignored[ignoredCount++] = source;
        }
    }

    private void hold(final int segment, final byte[] bytes)
    {
        data[segment] = bytes;
        recoders[segment] = null;
        kept[segment] = null;
        encoders[segment] = new Encoder(Generation.copyOf(parameters, bytes), segment, CoefficientEncoding.SEED,
            false, seed ^ (0xC2B2AE3D27D4EB4FL * (segment + 1)));
    }
}
