package dev.c2cast.microcast.nc.p2;

import java.util.SplittableRandom;

import io.netty.buffer.ByteBuf;

/**
 * The coder facade an engine works against: one coding generation per segment, each of
 * {@link #generationSize()} packets. It encodes and recodes coded packets of what it holds, absorbs received ones
 * (progressive decoding) and, where it has a manifest, verifies a decoded segment before reporting it decoded.
 * <p>
 * Threading: confined to the engine's thread.
 */
public interface SegmentStore
{
    /** {@link #absorb} result: malformed, or from a source the store ignores. */
    int ABSORB_REJECTED = -1;
    /** {@link #absorb} result: not innovative (already spanned, or the segment is already decoded). */
    int ABSORB_REDUNDANT = 0;
    /** {@link #absorb} result: innovative, the segment is still incomplete. */
    int ABSORB_INNOVATIVE = 1;
    /** {@link #absorb} result: innovative and the segment is now decoded (and verified). */
    int ABSORB_DECODED = 2;
    /**
     * {@link #absorb} result: the segment reached full rank but failed verification; the store discarded it and
     * ignores the polluting source from now on.
     */
    int ABSORB_CORRUPT = 3;

    /**
     * Number of segments of the file.
     *
     * @return the segment count.
     */
    int segmentCount();

    /**
     * Packets per segment, the generation size g.
     *
     * @return g.
     */
    int generationSize();

    /**
     * Length of the longest coded packet {@link #writeCoded} produces.
     *
     * @return bytes.
     */
    int codedPacketLength();

    /**
     * Length of every plain packet {@link #writePlain} produces.
     *
     * @return bytes.
     */
    int plainPacketLength();

    /**
     * Dimensions of a segment held.
     *
     * @param segment segment index.
     * @return rank in [0, g].
     */
    int rank(int segment);

    /**
     * Whether a segment is held complete and verified.
     *
     * @param segment segment index.
     * @return true if decoded.
     */
    boolean isDecoded(int segment);

    /**
     * Loads a segment obtained outside the group (the cellular download) as decoded.
     *
     * @param segment segment index.
     */
    void loadSource(int segment);

    /**
     * Writes one random linear combination of what is held of a segment.
     *
     * @param segment segment index, with rank above zero.
     * @param out     receives {@link #codedPacketLength()} bytes at its writer index.
     * @param random  source of the coding coefficients.
     */
    void writeCoded(int segment, ByteBuf out, SplittableRandom random);

    /**
     * Writes one plain (systematic) packet of a decoded segment.
     *
     * @param segment segment index, decoded.
     * @param index   packet index in [0, g).
     * @param out     receives {@link #plainPacketLength()} bytes at its writer index.
     */
    void writePlain(int segment, int index, ByteBuf out);

    /**
     * Absorbs a coded or plain packet of a segment.
     *
     * @param segment segment index.
     * @param source  node the packet came from.
     * @param buffer  holds the packet.
     * @param offset  packet start.
     * @param length  packet length.
     * @return one of the {@code ABSORB_*} codes.
     */
    int absorb(int segment, long source, ByteBuf buffer, int offset, int length);

    /**
     * Packet index of a plain packet, as {@link #writePlain} wrote it.
     *
     * @param buffer holds the packet.
     * @param offset packet start.
     * @param length packet length.
     * @return the index in [0, g), or -1 if the packet is not a plain one.
     */
    int plainIndex(ByteBuf buffer, int offset, int length);
}
