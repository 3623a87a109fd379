package dev.c2cast.streamsmart.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

/**
 * Sits first in a clone's pipeline and looks at every datagram exactly as it arrived on the socket: counts them,
 * their bytes, and those that contain a byte pattern. Test-only.
 */
final class WireTap extends ChannelInboundHandlerAdapter
{
    /**
     * The synthetic source's RTP SSRC (0x12345678) followed by a non-IDR NAL header and the first zero bytes of the
     * payload: in every plaintext media datagram of {@link LoopbackCluster#startSource}, and (2^-104 per position)
     * never in ciphertext.
     */
    static final byte[] RTP_PATTERN = {0x12, 0x34, 0x56, 0x78, 0x41, 0, 0, 0, 0, 0, 0, 0, 0};

    /**
     * Share of received DTLS handshake datagrams (content type 22) the tap loses on purpose, from the system property
     * {@code secureTree.handshakeLoss} (default 0: none). For reproducing handshakes under loss by hand, e.g.
     * {@code -DsecureTree.handshakeLoss=0.02}.
     */
    static final double HANDSHAKE_LOSS = Double.parseDouble(System.getProperty("secureTree.handshakeLoss", "0"));
    private static final byte HANDSHAKE = 22;

    final AtomicLong handshakeDrops = new AtomicLong();
    private final SplittableRandom lossRandom = new SplittableRandom();
    final AtomicLong datagrams = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong matches = new AtomicLong();
    private final byte[] pattern;

    WireTap(final byte[] pattern)
    {
        this.pattern = pattern;
    }

    /** One tap for the RTP pattern on every clone of the cluster. */
    static List<WireTap> installAll(final LoopbackCluster cluster)
    {
        final List<WireTap> taps = new ArrayList<>();
        for (final CloneNode clone : cluster.clones.values())
        {
            taps.add(install(clone, RTP_PATTERN));
        }
        return taps;
    }

        static WireTap install(final CloneNode clone, final byte[] pattern)
    {
        final WireTap tap = new WireTap(pattern);
        clone.channel().pipeline().addFirst("wire-tap", tap);
        return tap;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof DatagramPacket)
        {
            final ByteBuf content = ((DatagramPacket)msg).content();
            if (HANDSHAKE_LOSS > 0 && content.isReadable() && content.getByte(content.readerIndex()) == HANDSHAKE
                && lossRandom.nextDouble() < HANDSHAKE_LOSS)
            {
                handshakeDrops.incrementAndGet();
                ((DatagramPacket)msg).release();
                return;
            }
            datagrams.incrementAndGet();
            bytes.addAndGet(content.readableBytes());
            if (contains(content, pattern))
            {
                matches.incrementAndGet();
            }
        }
        ctx.fireChannelRead(msg);
    }

    static boolean contains(final ByteBuf buffer, final byte[] pattern)
    {
        final int start = buffer.readerIndex();
        final int last = buffer.writerIndex() - pattern.length;
        for (int i = start; i <= last; i++)
        {
            int j = 0;
            while (j < pattern.length && buffer.getByte(i + j) == pattern[j])
            {
                j++;
            }
            if (j == pattern.length)
            {
                return true;
            }
        }
        return false;
    }
}
