package dev.c2cast.microcast.nc.p2;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.netty.buffer.ByteBuf;

/**
 * Authenticates frames with the group key, so that nodes outside the group cannot inject into it: every payload
 * ends with a tag, the first {@value #TAG_LENGTH} bytes of HMAC-SHA256(key, frame type | source node | payload).
 * <pre>
 *  | payload (n bytes) | tag (16 bytes) |
 * </pre>
 * Frames whose tag does not verify are dropped and counted. There is no replay protection: a replayed frame is
 * a duplicate the engines already tolerate.
 * <p>
 * Confined to one thread; reuses one Mac and one buffer.
 */
public final class GroupAuthenticator
{
    /** Bytes of the tag appended to every payload. */
    public static final int TAG_LENGTH = 16;

    private final Mac mac;
    private final byte[] prefix = new byte[12];
    private final byte[] tag = new byte[32];
    private byte[] copy = new byte[2048];
    private long rejected;

    /**
     * An authenticator for one group.
     *
     * @param groupKey the shared key, at least 16 bytes.
     */
    public GroupAuthenticator(final byte[] groupKey)
    {
        if (groupKey.length < 16)
        {
            throw new IllegalArgumentException("group key must be at least 16 bytes");
        }
        try
        {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(groupKey, "HmacSHA256"));
        }
        catch (final NoSuchAlgorithmException | InvalidKeyException ex)
        {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", ex);
        }
    }

    /**
     * A sender that appends the tag to every frame before handing it to {@code inner}; the payload buffer's writer
     * index is restored afterwards.
     *
     * @param localNode this node, the source the receivers will see.
     * @param inner     the transport port.
     * @return the authenticating sender.
     */
    public FrameSender sender(final long localNode, final FrameSender inner)
    {
        return (frameType, destination, payload) ->
        {
            final int writerIndex = payload.writerIndex();
            compute(frameType, localNode, payload, payload.readerIndex(), payload.readableBytes());
            payload.writeBytes(tag, 0, TAG_LENGTH);
            try
            {
                return inner.send(frameType, destination, payload);
            }
            finally
            {
                payload.writerIndex(writerIndex);
            }
        };
    }

    /**
     * Verifies a received frame.
     *
     * @param frameType the frame's type.
     * @param source    the sender the transport reported.
     * @param buffer    holds the payload and its tag.
     * @param offset    payload start.
     * @param length    payload plus tag length.
     * @return the payload length without the tag, or -1 if the tag does not verify (the frame is counted).
     */
    public int open(final int frameType, final long source, final ByteBuf buffer, final int offset, final int length)
    {
        if (length < TAG_LENGTH)
        {
            rejected++;
            return -1;
        }
        final int payloadLength = length - TAG_LENGTH;
        compute(frameType, source, buffer, offset, payloadLength);
        int difference = 0;
        for (int i = 0; i < TAG_LENGTH; i++)
        {
            difference |= tag[i] ^ buffer.getByte(offset + payloadLength + i);
        }
        if (difference != 0)
        {
            rejected++;
            return -1;
        }
        return payloadLength;
    }

    /**
     * Frames dropped because their tag did not verify.
     *
     * @return the count.
     */
    public long rejectedFrames()
    {
        return rejected;
    }

    private void compute(final int frameType, final long source, final ByteBuf buffer, final int offset,
        final int length)
    {
        prefix[0] = (byte)(frameType >>> 24);
        prefix[1] = (byte)(frameType >>> 16);
        prefix[2] = (byte)(frameType >>> 8);
        prefix[3] = (byte)frameType;
        for (int i = 0; i < 8; i++)
        {
            prefix[4 + i] = (byte)(source >>> (56 - 8 * i));
        }
        mac.update(prefix);
        if (copy.length < length)
        {
            copy = new byte[Math.max(length, 2 * copy.length)];
        }
        buffer.getBytes(offset, copy, 0, length);
        mac.update(copy, 0, length);
        try
        {
            mac.doFinal(tag, 0);
        }
        catch (final javax.crypto.ShortBufferException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
