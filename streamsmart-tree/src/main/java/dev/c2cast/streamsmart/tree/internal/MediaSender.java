package dev.c2cast.streamsmart.tree.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import io.netty.buffer.ByteBuf;

/**
 * Sends media datagrams straight on the clone's non-blocking UDP socket, without going through the Netty pipeline:
 * one {@code sendto} per child from the buffer's own NIO view, so a forwarded copy allocates nothing on JDK 17 (Netty's
 * unconnected-UDP API needs a new {@code DatagramPacket} and a derived buffer per write, and its write path more:
 * about 170 bytes per child copy measured with {@code RelayForwardBenchmark -prof gc}). The JDK's
 * {@link DatagramChannel#send} encodes a target address only when it differs from the previous one and allocates
 * nothing for a direct buffer.
 * <p>
 * The socket is the one the clone's Netty channel wraps (the same source address for control and media), written
 * from that channel's event loop only. A datagram the kernel cannot take at once (a full send buffer) is dropped and
 * counted, not queued: the child's gap repair asks for it again, as for any datagram lost on the way. Buffers that
 * are not a single direct NIO region go through the fallback the caller gives (Netty's write path).
 */
public final class MediaSender
{
    private final DatagramChannel socket;
    private long sent;
    private long dropped;
    private long errors;

    /**
     * A sender on a socket.
     *
     * @param socket the clone's socket, non-blocking, bound.
     */
    public MediaSender(final DatagramChannel socket)
    {
        this.socket = socket;
    }

    /**
     * Whether a buffer can be sent directly (one direct NIO region).
     *
     * @param frame the datagram.
     * @return true if {@link #send} takes it.
     */
    public static boolean canSend(final ByteBuf frame)
    {
        return frame.isDirect() && frame.nioBufferCount() == 1;
    }

    /**
     * Sends one datagram now. The buffer's indices are not changed and the caller keeps its reference.
     *
     * @param frame the datagram, for which {@link #canSend} is true.
     * @param to    the recipient.
     * @return true if the kernel took it.
     */
    public boolean send(final ByteBuf frame, final InetSocketAddress to)
    {
        final ByteBuffer data = frame.internalNioBuffer(frame.readerIndex(), frame.readableBytes());
        try
        {
            if (socket.send(data, to) == 0)
            {
                dropped++;
                return false;
            }
            sent++;
            return true;
        }
        catch (final IOException ex)
        {
            errors++;
            return false;
        }
    }

    /**
     * Datagrams the kernel took.
     *
     * @return the count.
     */
    public long sent()
    {
        return sent;
    }

    /**
     * Datagrams dropped because the socket's send buffer was full.
     *
     * @return the count.
     */
    public long dropped()
    {
        return dropped;
    }

    /**
     * Datagrams that failed with an I/O error (a closed socket, an unreachable address).
     *
     * @return the count.
     */
    public long errors()
    {
        return errors;
    }
}
