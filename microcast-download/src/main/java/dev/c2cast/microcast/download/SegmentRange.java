package dev.c2cast.microcast.download;

/**
 * The bytes of one segment of the file: segment {@code index} covers {@code [offset, offset + length)}.
 *
 * @param index  segment number, from 0.
 * @param offset first byte.
 * @param length number of bytes, positive.
 */
public record SegmentRange(int index, long offset, int length)
{
    /**
     * Validates the range.
     *
     * @param index  segment number, from 0.
     * @param offset first byte.
     * @param length number of bytes, positive.
     */
    public SegmentRange
    {
        if (index < 0 || offset < 0 || length <= 0)
        {
            throw new IllegalArgumentException("invalid segment range: index=" + index + " offset=" + offset +
                " length=" + length);
        }
    }

    /**
     * The range of segment {@code index} of a file cut into segments of {@code segmentSize} bytes.
     *
     * @param index       segment number.
     * @param fileSize    size of the whole file.
     * @param segmentSize nominal segment size; the last segment may be shorter.
     * @return the range.
     */
    public static SegmentRange of(final int index, final long fileSize, final int segmentSize)
    {
        if (segmentSize <= 0)
        {
            throw new IllegalArgumentException("segment size must be positive: " + segmentSize);
        }
        final long offset = (long)index * segmentSize;
        if (index < 0 || offset >= fileSize)
        {
            throw new IllegalArgumentException("segment " + index + " is outside a file of " + fileSize + " bytes");
        }
        return new SegmentRange(index, offset, (int)Math.min(segmentSize, fileSize - offset));
    }

    /**
     * Number of segments of a file.
     *
     * @param fileSize    size of the whole file.
     * @param segmentSize nominal segment size.
     * @return the count.
     */
    public static int count(final long fileSize, final int segmentSize)
    {
        return Math.toIntExact((fileSize + segmentSize - 1) / segmentSize);
    }

    /**
     * One past the last byte.
     *
     * @return {@code offset + length}.
     */
    public long end()
    {
        return offset + length;
    }
}
