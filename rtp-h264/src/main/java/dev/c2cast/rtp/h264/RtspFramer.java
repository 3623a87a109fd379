package dev.c2cast.rtp.h264;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Splits an RTSP TCP byte stream into whole RTSP messages (passed on as {@link ByteBuf}s for Netty's
 * {@code RtspDecoder}, which therefore always sees message boundaries) and {@code $}-interleaved frames (passed on
 * as {@link InterleavedFrame}s, which the RTSP decoder forwards untouched). A {@code $} is recognised only at a
 * message boundary, so it may appear inside a message body.
 */
final class RtspFramer extends ByteToMessageDecoder
{
    static final int MAX_HEADER_LENGTH = 16 * 1024;
    static final int MAX_CONTENT_LENGTH = 64 * 1024;

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        while (in.isReadable())
        {
            final int start = in.readerIndex();
            if (in.getByte(start) == '$')
            {
                if (in.readableBytes() < 4)
                {
                    return;
                }
                final int length = in.getUnsignedShort(start + 2);
                if (in.readableBytes() < 4 + length)
                {
                    return;
                }
                final int channel = in.getUnsignedByte(start + 1);
                in.skipBytes(4);
                out.add(new InterleavedFrame(channel, in.readRetainedSlice(length)));
                continue;
            }
            if (in.getByte(start) == '\r' || in.getByte(start) == '\n')
            {
                in.skipBytes(1);
                continue;
            }
            final int headerEnd = ByteBufUtil.indexOf(CRLFCRLF, in);
            if (headerEnd < 0)
            {
                if (in.readableBytes() > MAX_HEADER_LENGTH)
                {
                    throw new TooLongFrameException("RTSP header longer than " + MAX_HEADER_LENGTH);
                }
                return;
            }
            final int bodyStart = headerEnd + 4;
            final int contentLength = contentLength(in, start, bodyStart);
            if (contentLength < 0 || contentLength > MAX_CONTENT_LENGTH)
            {
                throw new TooLongFrameException("RTSP body of " + contentLength + " bytes");
            }
            if (in.writerIndex() < bodyStart + contentLength)
            {
                return;
            }
            out.add(in.readRetainedSlice(bodyStart + contentLength - start));
        }
    }

    private static final ByteBuf CRLFCRLF = io.netty.buffer.Unpooled.unreleasableBuffer(
        io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {'\r', '\n', '\r', '\n'}));

    private static int contentLength(final ByteBuf in, final int start, final int end)
    {
        final String header = in.toString(start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (final String line : header.split("\r\n"))
        {
            final int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length"))
            {
                try
                {
                    return Integer.parseInt(line.substring(colon + 1).trim());
                }
                catch (final NumberFormatException ex)
                {
                    throw new RtpH264Exception(RtpH264Exception.Reason.BAD_DESCRIPTION, "Content-Length " + line);
                }
            }
        }
        return 0;
    }
}
