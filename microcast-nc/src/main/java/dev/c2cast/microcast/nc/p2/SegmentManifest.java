package dev.c2cast.microcast.nc.p2;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import dev.c2cast.microcast.nc.CodingParameters;
import dev.c2cast.microcast.nc.wire.P2Manifest;

/**
 * The integrity manifest the initiator distributes: the file length, the coding shape and a SHA-256 digest of each
 * segment. A store checks every segment it decodes against it before reporting it decoded. Immutable.
 * <p>
 * A group that has no digests (the file is being fetched from a server that publishes none) can use a
 * {@link #lengthsOnly lengths-only} manifest: it describes the segmentation but checks only lengths, so a store
 * relying on it cannot detect or trace pollution; authenticate the group ({@link GroupAuthenticator}) and check the
 * whole file afterwards instead.
 */
public final class SegmentManifest
{
    /** Bytes of one digest. */
    public static final int DIGEST_LENGTH = 32;

    private final long fileLength;
    private final CodingParameters parameters;
    private final byte[][] digests;

    private final int segmentCount;

    private SegmentManifest(final long fileLength, final CodingParameters parameters, final byte[][] digests)
    {
        this(fileLength, parameters, digests, digests.length);
    }

    private SegmentManifest(
        final long fileLength, final CodingParameters parameters, final byte[][] digests, final int segmentCount)
    {
        this.fileLength = fileLength;
        this.parameters = parameters;
        this.digests = digests;
        this.segmentCount = segmentCount;
    }

    /**
     * Builds the manifest of a file.
     *
     * @param file       the whole file.
     * @param parameters g and s; a segment holds {@code g * s} bytes.
     * @return the manifest.
     */
    public static SegmentManifest of(final byte[] file, final CodingParameters parameters)
    {
        final int capacity = parameters.capacity();
        final int segments = Math.max(1, (file.length + capacity - 1) / capacity);
        final byte[][] digests = new byte[segments][];
        final MessageDigest sha = sha256();
        for (int s = 0; s < segments; s++)
        {
            final int offset = s * capacity;
            sha.update(file, offset, Math.min(capacity, file.length - offset));
            digests[s] = sha.digest();
        }
        return new SegmentManifest(file.length, parameters, digests);
    }

    /**
     * A manifest of a file whose segment digests are not known: {@link #matches} checks lengths only.
     *
     * @param fileLength bytes of the file, not negative.
     * @param parameters g and s; a segment holds {@code g * s} bytes.
     * @return the manifest.
     */
    public static SegmentManifest lengthsOnly(final long fileLength, final CodingParameters parameters)
    {
        if (fileLength < 0)
        {
            throw new IllegalArgumentException("file length must not be negative: " + fileLength);
        }
        final long segments = Math.max(1, (fileLength + parameters.capacity() - 1) / parameters.capacity());
        if (segments > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("too many segments: " + segments);
        }
        return new SegmentManifest(fileLength, parameters, null, (int)segments);
    }

    /**
     * Parses a manifest from its wire form.
     *
     * @param bytes the serialized {@code P2Manifest}.
     * @return the manifest.
     * @throws IllegalArgumentException if the bytes are not a consistent manifest.
     */
    public static SegmentManifest parse(final byte[] bytes)
    {
        final P2Manifest wire;
        try
        {
            wire = P2Manifest.parseFrom(bytes);
        }
        catch (final InvalidProtocolBufferException ex)
        {
            throw new IllegalArgumentException("malformed manifest", ex);
        }
        final CodingParameters parameters = new CodingParameters(wire.getGenerationSize(), wire.getSymbolSize());
        final long length = wire.getFileLength();
        final long segments = Math.max(1, (length + parameters.capacity() - 1) / parameters.capacity());
        if (length < 0 || segments != wire.getDigestCount())
        {
            throw new IllegalArgumentException("manifest lists " + wire.getDigestCount() + " digests for " + segments +
                " segments");
        }
        final byte[][] digests = new byte[(int)segments][];
        for (int s = 0; s < segments; s++)
        {
            digests[s] = wire.getDigest(s).toByteArray();
            if (digests[s].length != DIGEST_LENGTH)
            {
                throw new IllegalArgumentException("digest " + s + " is not SHA-256");
            }
        }
        return new SegmentManifest(length, parameters, digests);
    }

    /**
     * The wire form, for distribution over the control plane.
     *
     * @return a serialized {@code P2Manifest}.
     */
    public byte[] toBytes()
    {
        if (digests == null)
        {
            throw new IllegalStateException("a lengths-only manifest has no wire form");
        }
        final P2Manifest.Builder wire = P2Manifest.newBuilder().setFileLength(fileLength)
            .setGenerationSize(parameters.generationSize()).setSymbolSize(parameters.symbolSize());
        for (final byte[] digest : digests)
        {
            wire.addDigest(ByteString.copyFrom(digest));
        }
        return wire.build().toByteArray();
    }

    /**
     * The file length.
     *
     * @return bytes.
     */
    public long fileLength()
    {
        return fileLength;
    }

    /**
     * The coding shape.
     *
     * @return g and s.
     */
    public CodingParameters parameters()
    {
        return parameters;
    }

    /**
     * Number of segments.
     *
     * @return the count.
     */
    public int segmentCount()
    {
        return segmentCount;
    }

    /**
     * Whether the manifest holds segment digests, or checks lengths only ({@link #lengthsOnly}).
     *
     * @return true if segments are verified by digest.
     */
    public boolean hasDigests()
    {
        return digests != null;
    }

    /**
     * Bytes of one segment (the last may be short).
     *
     * @param segment segment index.
     * @return its length.
     */
    public int segmentLength(final int segment)
    {
        final long offset = (long)segment * parameters.capacity();
        return (int)Math.min(parameters.capacity(), fileLength - offset);
    }

    /**
     * Whether bytes are the segment the manifest describes.
     *
     * @param segment segment index.
     * @param data    candidate bytes.
     * @param offset  first byte.
     * @param length  bytes.
     * @return true if the length and the SHA-256 digest match (the length only, without digests).
     */
    public boolean matches(final int segment, final byte[] data, final int offset, final int length)
    {
        if (length != segmentLength(segment))
        {
            return false;
        }
        if (digests == null)
        {
            return true;
        }
        final MessageDigest sha = sha256();
        sha.update(data, offset, length);
        return MessageDigest.isEqual(sha.digest(), digests[segment]);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof SegmentManifest m && m.fileLength == fileLength &&
            m.parameters.equals(parameters) && Arrays.deepEquals(m.digests, digests);
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(fileLength) * 31 + Arrays.deepHashCode(digests);
    }

    static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
        }
    }
}
