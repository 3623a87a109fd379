package dev.c2cast.microcast.download;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;

/**
 * Segments of one file persisted on disk (microcast.txt V-D, Storage), one file per segment.
 * <p>
 * Each segment is written to a temporary file, forced to disk, atomically renamed into place and the directory
 * forced, so a crash leaves either no segment file or a complete one; every segment file carries its index,
 * offset, length and SHA-256, and {@link #open} verifies them, deleting whatever is torn or corrupt, so a
 * restarted device resumes with exactly the segments it really has. Memory use is bounded by one segment per
 * concurrent {@link #put}.
 * <p>
 * Segment file layout (big-endian):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                      magic 'M' 'C' 'S' 'G'                    |  0
 *  +---------------------------------------------------------------+
 *  |                        segment index                          |  4
 *  +---------------------------------------------------------------+
 *  |                     offset in the file (64)                   |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        segment length                         | 16
 *  +---------------------------------------------------------------+
 *  |                    SHA-256 of the data (256)                  | 20
 *  |                              ...                              |
 *  +---------------------------------------------------------------+
 *  |                    zero padding to byte 64                    | 52
 *  +---------------------------------------------------------------+
 *  |                     data (segment length)                     | 64
 *  +---------------------------------------------------------------+
 * </pre>
 * Threading: thread-safe.
 */
public final class SegmentStore
{
    /** Magic number at the start of every segment file. */
    public static final int MAGIC = 0x4D435347;
    /** Offset of the magic number. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the segment index. */
    public static final int INDEX_OFFSET = 4;
    /** Offset of the segment's byte offset in the file. */
    public static final int FILE_OFFSET_OFFSET = 8;
    /** Offset of the segment length. */
    public static final int LENGTH_OFFSET = 16;
    /** Offset of the SHA-256 digest. */
    public static final int DIGEST_OFFSET = 20;
    /** Length of the digest. */
    public static final int DIGEST_LENGTH = 32;
    /** Offset of the data, the header length. */
    public static final int DATA_OFFSET = 64;

    private static final String SUFFIX = ".seg";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final String MANIFEST = "manifest";

    private final Path directory;
    private final long fileSize;
    private final int segmentSize;
    private final int segmentCount;
    private final String entityTag;
    private final BitSet present;
    private final Map<Integer, CompletableFuture<Void>> waiters = new HashMap<>();
    private final AtomicLong tempCounter = new AtomicLong();
    private final int recovered;
    private final int discarded;
    private int presentCount;

    private SegmentStore(
        final Path directory,
        final long fileSize,
        final int segmentSize,
        final String entityTag,
        final BitSet present,
        final int discarded)
    {
        this.directory = directory;
        this.fileSize = fileSize;
        this.segmentSize = segmentSize;
        this.segmentCount = SegmentRange.count(fileSize, segmentSize);
        this.entityTag = entityTag;
        this.present = present;
        this.presentCount = present.cardinality();
        this.recovered = presentCount;
        this.discarded = discarded;
    }

    /**
     * Opens (creating if needed) the store of a file in a directory and verifies what is already there: segments
     * whose header or digest do not match, temporary files of interrupted writes and, if the directory held another
     * file (different size, segment size or entity tag), every segment, are deleted.
     *
     * @param directory   the directory, owned by this store.
     * @param fileSize    bytes of the whole file.
     * @param segmentSize bytes per segment.
     * @param entityTag   identity of the file's version (an HTTP ETag, or any string), empty if unknown.
     * @return the store.
     * @throws IOException if the directory cannot be read or written.
     */
    public static SegmentStore open(
        final Path directory, final long fileSize, final int segmentSize, final String entityTag) throws IOException
    {
        if (fileSize <= 0 || segmentSize <= 0)
        {
            throw new IllegalArgumentException("fileSize and segmentSize must be positive");
        }
        Objects.requireNonNull(entityTag, "entityTag");
        Files.createDirectories(directory);
        final String manifest = "fileSize=" + fileSize + "\nsegmentSize=" + segmentSize + "\nentityTag=" + entityTag + "\n";
        final Path manifestPath = directory.resolve(MANIFEST);
        final boolean sameFile = Files.exists(manifestPath) &&
            Files.readString(manifestPath, StandardCharsets.UTF_8).equals(manifest);
        final BitSet present = new BitSet();
        int discarded = 0;
        final int count = SegmentRange.count(fileSize, segmentSize);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory))
        {
            for (final Path entry : entries)
            {
                final String name = entry.getFileName().toString();
                if (name.equals(MANIFEST))
                {
                    continue;
                }
                final int index = sameFile && name.endsWith(SUFFIX) ? parseIndex(name) : -1;
                if (index >= 0 && index < count && verify(entry, SegmentRange.of(index, fileSize, segmentSize)))
                {
                    present.set(index);
                }
                else
                {
                    Files.deleteIfExists(entry);
                    discarded += name.endsWith(SUFFIX) ? 1 : 0;
                }
            }
        }
        if (!sameFile)
        {
            writeAtomically(directory, manifestPath, manifest.getBytes(StandardCharsets.UTF_8));
        }
        return new SegmentStore(directory, fileSize, segmentSize, entityTag, present, discarded);
    }

    /**
     * Stores a segment durably; storing a segment already present is a no-op.
     *
     * @param range the segment.
     * @param data  exactly {@code range.length()} readable bytes; not released, reader index unchanged.
     * @throws IOException if writing fails (nothing is left behind).
     */
    public void put(final SegmentRange range, final ByteBuf data) throws IOException
    {
        checkRange(range);
        if (data.readableBytes() != range.length())
        {
            throw new MicroDownloadException("segment " + range.index() + " has " + data.readableBytes() +
                " bytes, expected " + range.length());
        }
        if (has(range.index()))
        {
            return;
        }
        final MessageDigest sha = sha256();
        for (final ByteBuffer nio : data.nioBuffers(data.readerIndex(), data.readableBytes()))
        {
            sha.update(nio);
        }
        final ByteBuffer header = header(range, sha.digest());
        final Path temp = directory.resolve(fileName(range.index()) + "." + tempCounter.incrementAndGet() + TEMP_SUFFIX);
        try
        {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
            {
                writeFully(channel, header);
                for (final ByteBuffer nio : data.nioBuffers(data.readerIndex(), data.readableBytes()))
                {
                    writeFully(channel, nio);
                }
                channel.force(true);
            }
            moveAtomically(temp, pathOf(range.index()));
            forceDirectory(directory);
        }
        finally
        {
            Files.deleteIfExists(temp);
        }
        final CompletableFuture<Void> waiter;
        synchronized (this)
        {
            if (!present.get(range.index()))
            {
                present.set(range.index());
                presentCount++;
            }
            waiter = waiters.remove(range.index());
        }
        if (waiter != null)
        {
            waiter.complete(null);
        }
    }

    /**
     * Whether a segment is stored.
     *
     * @param index the segment.
     * @return {@code true} if present.
     */
    public synchronized boolean has(final int index)
    {
        return present.get(index);
    }

    /**
     * Completes when a segment is stored (at once if it already is).
     *
     * @param index the segment.
     * @return a future, shared by every waiter of that segment; do not cancel it, apply a timeout on a copy.
     */
    public CompletableFuture<Void> awaitSegment(final int index)
    {
        Objects.checkIndex(index, segmentCount);
        synchronized (this)
        {
            if (present.get(index))
            {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> waiter = waiters.get(index);
            if (waiter == null)
            {
                waiter = new CompletableFuture<>();
                waiters.put(index, waiter);
            }
            return waiter;
        }
    }

    /**
     * Number of stored segments.
     *
     * @return the count.
     */
    public synchronized int presentCount()
    {
        return presentCount;
    }

    /**
     * Whether every segment is stored.
     *
     * @return {@code true} when the file is complete.
     */
    public synchronized boolean isComplete()
    {
        return presentCount == segmentCount;
    }

    /**
     * Segments found intact by {@link #open}.
     *
     * @return the count.
     */
    public int recoveredCount()
    {
        return recovered;
    }

    /**
     * Segment files deleted by {@link #open} because they were torn, corrupt or of another file.
     *
     * @return the count.
     */
    public int discardedCount()
    {
        return discarded;
    }

    /**
     * The path of a segment's file; its data starts at {@link #DATA_OFFSET}.
     *
     * @param index the segment.
     * @return the path, which exists once {@link #has} is true.
     */
    public Path pathOf(final int index)
    {
        return directory.resolve(fileName(index));
    }

    /**
     * Reads a stored segment's data, verifying its digest.
     *
     * @param index the segment.
     * @return the data.
     * @throws IOException if the file cannot be read.
     * @throws MicroDownloadException if the segment is missing or corrupt.
     */
    public byte[] read(final int index) throws IOException
    {
        final SegmentRange range = SegmentRange.of(index, fileSize, segmentSize);
        if (!has(index))
        {
            throw new MicroDownloadException("segment " + index + " is not stored");
        }
        final byte[] data = new byte[range.length()];
        final byte[] digest;
        try (FileChannel channel = FileChannel.open(pathOf(index), StandardOpenOption.READ))
        {
            final ByteBuffer header = ByteBuffer.allocate(DATA_OFFSET);
            readFully(channel, header, 0);
            digest = Arrays.copyOfRange(header.array(), DIGEST_OFFSET, DIGEST_OFFSET + DIGEST_LENGTH);
            readFully(channel, ByteBuffer.wrap(data), DATA_OFFSET);
        }
        if (!MessageDigest.isEqual(digest, sha256().digest(data)))
        {
            throw new MicroDownloadException("segment " + index + " is corrupt");
        }
        return data;
    }

    /**
     * Writes the whole file, once complete, to {@code target}.
     *
     * @param target the output path (replaced).
     * @throws IOException if reading or writing fails.
     */
    public void assembleTo(final Path target) throws IOException
    {
        if (!isComplete())
        {
            throw new MicroDownloadException("only " + presentCount() + " of " + segmentCount + " segments stored");
        }
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            for (int i = 0; i < segmentCount; i++)
            {
                writeFully(out, ByteBuffer.wrap(read(i)));
            }
            out.force(true);
        }
    }

    /**
     * The range of a segment of this file.
     *
     * @param index the segment.
     * @return its range.
     */
    public SegmentRange range(final int index)
    {
        return SegmentRange.of(index, fileSize, segmentSize);
    }

    /**
     * Bytes of the whole file.
     *
     * @return the size.
     */
    public long fileSize()
    {
        return fileSize;
    }

    /**
     * Bytes per segment.
     *
     * @return the nominal segment size.
     */
    public int segmentSize()
    {
        return segmentSize;
    }

    /**
     * Number of segments of the file.
     *
     * @return the count.
     */
    public int segmentCount()
    {
        return segmentCount;
    }

    /**
     * The entity tag given to {@link #open}.
     *
     * @return the tag, possibly empty.
     */
    public String entityTag()
    {
        return entityTag;
    }

    private void checkRange(final SegmentRange range)
    {
        if (!range.equals(SegmentRange.of(range.index(), fileSize, segmentSize)))
        {
            throw new MicroDownloadException("segment range " + range + " does not belong to this file");
        }
    }

    private static String fileName(final int index)
    {
        return String.format(Locale.ROOT, "%08d%s", index, SUFFIX);
    }

    private static int parseIndex(final String name)
    {
        final String digits = name.substring(0, name.length() - SUFFIX.length());
        if (digits.length() != 8 || !digits.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            return -1;
        }
        return Integer.parseInt(digits);
    }

    private static ByteBuffer header(final SegmentRange range, final byte[] digest)
    {
        final ByteBuffer header = ByteBuffer.allocate(DATA_OFFSET).order(ByteOrder.BIG_ENDIAN);
        header.putInt(MAGIC_OFFSET, MAGIC);
        header.putInt(INDEX_OFFSET, range.index());
        header.putLong(FILE_OFFSET_OFFSET, range.offset());
        header.putInt(LENGTH_OFFSET, range.length());
        header.put(DIGEST_OFFSET, digest);
        return header;
    }

    private static boolean verify(final Path file, final SegmentRange range)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            if (channel.size() != DATA_OFFSET + (long)range.length())
            {
                return false;
            }
            final ByteBuffer header = ByteBuffer.allocate(DATA_OFFSET);
            readFully(channel, header, 0);
            if (header.getInt(MAGIC_OFFSET) != MAGIC || header.getInt(INDEX_OFFSET) != range.index() ||
                header.getLong(FILE_OFFSET_OFFSET) != range.offset() || header.getInt(LENGTH_OFFSET) != range.length())
            {
                return false;
            }
            for (int i = DIGEST_OFFSET + DIGEST_LENGTH; i < DATA_OFFSET; i++)
            {
                if (header.get(i) != 0)
                {
                    return false;
                }
            }
            final MessageDigest sha = sha256();
            final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            long position = DATA_OFFSET;
            while (position < channel.size())
            {
                chunk.clear();
                final int n = channel.read(chunk, position);
                if (n < 0)
                {
                    return false;
                }
                chunk.flip();
                sha.update(chunk);
                position += n;
            }
            final byte[] stored = Arrays.copyOfRange(header.array(), DIGEST_OFFSET, DIGEST_OFFSET + DIGEST_LENGTH);
            return MessageDigest.isEqual(stored, sha.digest());
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static void writeAtomically(final Path directory, final Path target, final byte[] bytes) throws IOException
    {
        final Path temp = directory.resolve(target.getFileName() + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            writeFully(channel, ByteBuffer.wrap(bytes));
            channel.force(true);
        }
        moveAtomically(temp, target);
        forceDirectory(directory);
    }

    private static void moveAtomically(final Path from, final Path to) throws IOException
    {
        try
        {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            throw new IOException("the store's file system cannot rename atomically: " + to.getParent(), ex);
        }
    }

    private static void forceDirectory(final Path directory) throws IOException
    {
        // Makes the rename itself durable (POSIX: fsync of the directory).
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }

    private static void readFully(final FileChannel channel, final ByteBuffer buffer, final long position)
        throws IOException
    {
        long at = position;
        while (buffer.hasRemaining())
        {
            final int n = channel.read(buffer, at);
            if (n < 0)
            {
                throw new IOException("unexpected end of file");
            }
            at += n;
        }
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new UncheckedIOException(new IOException("SHA-256 unavailable", ex));
        }
    }
}
