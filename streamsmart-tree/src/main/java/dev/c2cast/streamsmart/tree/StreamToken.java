package dev.c2cast.streamsmart.tree;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The credential a stream owner issues to each authorized clone: an HMAC-SHA256-signed, expiring token binding a
 * stream id and a member id. The radix (the owner's clone) checks it on every join.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |    Version    |              Stream Id (64 bits) ...          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  ... Stream Id              |     Member Id (64 bits) ...     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  ... Member Id              |  Expiry (64 bits, clock nanos)  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  ... Expiry                 |  HMAC-SHA256 over bytes 0..24   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       ... (32 bytes in all)                   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Expiry is in the time base of the clock injected into the radix; processes that exchange tokens must share it
 * (production drivers use wall-clock epoch nanoseconds).
 * <p>
 * Not thread-safe (it holds one {@link Mac}): one instance per event loop.
 */
public final class StreamToken
{
    /** Current token format version. */
    public static final byte VERSION = 1;
    /** Offset of the version byte. */
    public static final int VERSION_OFFSET = 0;
    /** Offset of the stream id. */
    public static final int STREAM_ID_OFFSET = 1;
    /** Offset of the member id. */
    public static final int MEMBER_ID_OFFSET = 9;
    /** Offset of the expiry. */
    public static final int EXPIRY_OFFSET = 17;
    /** Offset of the HMAC. */
    public static final int MAC_OFFSET = 25;
    /** Length of the HMAC-SHA256 tag. */
    public static final int MAC_LENGTH = 32;
    /** Total token length. */
    public static final int LENGTH = MAC_OFFSET + MAC_LENGTH;
    /** Shortest key accepted. */
    public static final int MIN_KEY_LENGTH = 16;

    private final Mac mac;
    private final byte[] scratch = new byte[MAC_LENGTH];

    /**
     * A token codec for the owner's secret key.
     *
     * @param key the HMAC key, at least {@link #MIN_KEY_LENGTH} bytes.
     */
    public StreamToken(final byte[] key)
    {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY_LENGTH)
        {
            throw new IllegalArgumentException("key shorter than " + MIN_KEY_LENGTH + " bytes");
        }
        try
        {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        }
        catch (final NoSuchAlgorithmException | InvalidKeyException ex)
        {
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
    }

    /**
     * Issues a token.
     *
     * @param streamId    the stream it admits to.
     * @param memberId    the member it is issued to.
     * @param expiryNanos when it stops being accepted, in the radix clock's time base.
     * @return the token bytes.
     */
    public byte[] issue(final long streamId, final long memberId, final long expiryNanos)
    {
        final byte[] token = new byte[LENGTH];
        final ByteBuffer buffer = ByteBuffer.wrap(token);
        buffer.put(VERSION_OFFSET, VERSION);
        buffer.putLong(STREAM_ID_OFFSET, streamId);
        buffer.putLong(MEMBER_ID_OFFSET, memberId);
        buffer.putLong(EXPIRY_OFFSET, expiryNanos);
        mac.update(token, 0, MAC_OFFSET);
        try
        {
            mac.doFinal(token, MAC_OFFSET);
        }
        catch (final javax.crypto.ShortBufferException ex)
        {
            throw new IllegalStateException(ex);
        }
        return token;
    }

    /**
     * Checks a token presented by a joining member.
     *
     * @param token     the token, possibly null or empty.
     * @param streamId  the stream being joined.
     * @param memberId  the member presenting it.
     * @param nowNanos  the current time in the radix clock's time base.
     * @return null if the token admits the member, otherwise why not.
     */
    public RefusalReason verify(final byte[] token, final long streamId, final long memberId, final long nowNanos)
    {
        if (token == null || token.length == 0)
        {
            return RefusalReason.NO_TOKEN;
        }
        if (token.length != LENGTH || token[VERSION_OFFSET] != VERSION)
        {
            return RefusalReason.MALFORMED_TOKEN;
        }
        mac.update(token, 0, MAC_OFFSET);
        try
        {
            mac.doFinal(scratch, 0);
        }
        catch (final javax.crypto.ShortBufferException ex)
        {
            throw new IllegalStateException(ex);
        }
        if (!MessageDigest.isEqual(scratch, java.util.Arrays.copyOfRange(token, MAC_OFFSET, LENGTH)))
        {
            return RefusalReason.BAD_SIGNATURE;
        }
        final ByteBuffer buffer = ByteBuffer.wrap(token);
        if (buffer.getLong(STREAM_ID_OFFSET) != streamId)
        {
            return RefusalReason.WRONG_STREAM;
        }
        if (buffer.getLong(MEMBER_ID_OFFSET) != memberId)
        {
            return RefusalReason.WRONG_MEMBER;
        }
        if (nowNanos - buffer.getLong(EXPIRY_OFFSET) > 0)
        {
            return RefusalReason.EXPIRED;
        }
        return null;
    }
}
