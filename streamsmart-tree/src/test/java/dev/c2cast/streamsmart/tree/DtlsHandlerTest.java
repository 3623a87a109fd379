package dev.c2cast.streamsmart.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.c2cast.streamsmart.tree.internal.DtlsHandler;
import dev.c2cast.streamsmart.tree.internal.DtlsRecord;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;

/**
 * Two clones' DTLS layers wired back to back through in-memory channels, the test deciding which datagram reaches
 * the other side: the handshake completes with mutual authentication, data crosses both ways decrypted and with
 * the right sender, a lost flight is retransmitted on the timer (also the server's last flight while the server
 * already streams application data), full-size datagrams still fit one record after a flight was retransmitted
 * three times, simultaneous opens converge on one association, a restarted peer gets a fresh association, and a
 * certificate naming another member is refused.
 */
class DtlsHandlerTest
{
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 41_001);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 41_002);
    private static final Map<Long, InetSocketAddress> DIRECTORY = Map.of(1L, A, 2L, B);

    @TempDir
    static Path dir;
    private static Map<Long, CloneSecurity> securities;

    @BeforeAll
    static void pki() throws Exception
    {
        final TestPki pki = TestPki.create(dir, "unit-ca");
        securities = new HashMap<>(pki.securities(java.util.List.of(1L, 2L, 3L), pki.trust()));
    }

    /** One side: its channel, with a fixed local address, and its handler. */
    private static final class Side
    {
        final InetSocketAddress address;
        final DtlsHandler handler;
        final EmbeddedChannel channel;

        Side(final InetSocketAddress address, final CloneSecurity security)
        {
            this(address, security, DIRECTORY);
        }

        Side(final InetSocketAddress address, final CloneSecurity security,
            final Map<Long, InetSocketAddress> directory)
        {
            this(address, security, directory, 1_000_000L);
        }

        Side(final InetSocketAddress address, final CloneSecurity security,
            final Map<Long, InetSocketAddress> directory, final long retransmitNanos)
        {
            this.address = address;
            this.handler = new DtlsHandler(security.withTimings(5_000_000_000L, retransmitNanos, 1_000_000_000L),
                directory::get, System::nanoTime);
            this.channel = new EmbeddedChannel()
            {
                @Override
                protected SocketAddress localAddress0()
                {
                    return address;
                }
            };
            channel.pipeline().addLast(handler);
        }

        void send(final InetSocketAddress to, final String text)
        {
            channel.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII), to));
        }

        /** Moves every datagram this side sent to {@code other}; returns how many. */
        int deliverTo(final Side other)
        {
            int n = 0;
            DatagramPacket packet;
            while ((packet = channel.readOutbound()) != null)
            {
                other.channel.writeInbound(new DatagramPacket(packet.content(), other.address, address));
                n++;
            }
            return n;
        }

        int drop()
        {
            int n = 0;
            DatagramPacket packet;
            while ((packet = channel.readOutbound()) != null)
            {
                packet.release();
                n++;
            }
            return n;
        }

        String receive()
        {
            final DatagramPacket packet = channel.readInbound();
            if (packet == null)
            {
                return null;
            }
            try
            {
                return packet.sender() + " " + packet.content().toString(StandardCharsets.US_ASCII);
            }
            finally
            {
                packet.release();
            }
        }
    }

    private static void pump(final Side a, final Side b)
    {
        for (int i = 0; i < 50 && (a.deliverTo(b) + b.deliverTo(a)) > 0; i++)
        {
            a.channel.runPendingTasks();
            b.channel.runPendingTasks();
        }
    }

    /** Runs one side's scheduled tasks until its retransmission timer sends something; returns how many. */
    private static int awaitTimer(final Side side) throws InterruptedException
    {
        for (int i = 0; i < 200; i++)
        {
            Thread.sleep(2);
            side.channel.runPendingTasks();
            final int sent = side.channel.outboundMessages().size();
            if (sent > 0)
            {
                return sent;
            }
        }
        return 0;
    }

    @Test
    void handshakeThenDataBothWays()
    {
        final Side a = new Side(A, securities.get(1L));
        final Side b = new Side(B, securities.get(2L));
        a.send(B, "hello from a");
        final DatagramPacket hello = a.channel.readOutbound();
        assertNotNull(hello);
        assertTrue(DtlsRecord.isClientHello(hello.content()), "first datagram is not a ClientHello");
        b.channel.writeInbound(new DatagramPacket(hello.content(), B, A));
        pump(a, b);
        assertEquals(A + " hello from a", b.receive());
        b.send(A, "hello from b");
        pump(a, b);
        assertEquals(B + " hello from b", a.receive());
        assertEquals(1, a.handler.stats().handshakesCompleted());
        assertEquals(1, b.handler.stats().handshakesCompleted());
        assertEquals(1, a.handler.stats().associations());
        assertEquals(0, a.handler.stats().handshakeFailures() + b.handler.stats().handshakeFailures());
        a.channel.finishAndReleaseAll();
        b.channel.finishAndReleaseAll();
    }

    @Test
    void lostFlightIsRetransmitted() throws InterruptedException
    {
        final Side a = new Side(A, securities.get(1L));
        final Side b = new Side(B, securities.get(2L));
        a.send(B, "survives loss");
        assertTrue(a.drop() > 0, "no ClientHello");
        // The retransmission timer (1 ms here) fires on the next run of scheduled tasks.
        assertTrue(awaitTimer(a) > 0, "ClientHello not retransmitted");
        a.deliverTo(b);
        pump(a, b);
        assertEquals(A + " survives loss", b.receive());
        a.channel.finishAndReleaseAll();
        b.channel.finishAndReleaseAll();
    }

    @Test
    void lostFinalFlightIsRecoveredWhileThePeerStreams() throws InterruptedException
    {
        // Addresses no other test uses: the contexts cache sessions by peer address, and a resumed handshake ends
        // with the client's flight, not the server's.
        final InetSocketAddress a3 = new InetSocketAddress("127.0.0.1", 41_031);
        final InetSocketAddress b3 = new InetSocketAddress("127.0.0.1", 41_032);
        final Map<Long, InetSocketAddress> directory = Map.of(1L, a3, 2L, b3);
        final Side a = new Side(a3, securities.get(1L), directory);
        final Side b = new Side(b3, securities.get(2L), directory);
        a.send(b3, "opening");
        // Run the handshake until the server (b) finishes; drop everything b sends from that moment: its last
        // flight and the queued data.
        for (int i = 0; i < 50 && b.handler.stats().handshakesCompleted() == 0; i++)
        {
            a.deliverTo(b);
            if (b.handler.stats().handshakesCompleted() == 0)
            {
                b.deliverTo(a);
            }
        }
        assertEquals(1, b.handler.stats().handshakesCompleted(), "server never finished");
        assertTrue(b.drop() > 0, "server sent no final flight");
        assertEquals(0, a.handler.stats().handshakesCompleted());
        // b streams to a at every turn; a must still notice that its handshake is stuck and retransmit.
        for (int i = 0; i < 300 && a.handler.stats().handshakesCompleted() == 0; i++)
        {
            b.send(a3, "media " + i);
            b.deliverTo(a);
            Thread.sleep(1);
            a.channel.runPendingTasks();
            a.deliverTo(b);
            b.deliverTo(a);
            a.deliverTo(b);
            b.deliverTo(a);
        }
        assertEquals(1, a.handler.stats().handshakesCompleted(), "client never recovered the lost final flight");
        assertEquals(1, a.handler.stats().handshakeRestarts());
        assertEquals(0, a.handler.stats().handshakeFailures() + b.handler.stats().handshakeFailures());
        while (a.receive() != null)
        {
            // media sent before the client finished is dropped or delivered; either is fine
        }
        b.send(a3, "after recovery");
        b.deliverTo(a);
        assertEquals(b3 + " after recovery", a.receive());
        a.channel.finishAndReleaseAll();
        b.channel.finishAndReleaseAll();
    }

    @Test
    void fullSizeDatagramsPassAfterARetransmittedHandshake() throws InterruptedException
    {
        // The JDK engine halves its maximum packet size on the third retransmission of a flight
        // (DTLSOutputRecord.DTLSFragmenter.setRetransmission) and keeps the smaller size after the handshake: a
        // 1,200-byte overlay datagram then no longer fitted one record, and every such datagram to that neighbour
        // was dropped for the life of the association (the stalled child of SecureTreeIT).
        final InetSocketAddress a4 = new InetSocketAddress("127.0.0.1", 41_041);
        final InetSocketAddress b4 = new InetSocketAddress("127.0.0.1", 41_042);
        final Map<Long, InetSocketAddress> directory = Map.of(1L, a4, 2L, b4);
        // Timers fire only when the test runs a side's scheduled tasks.
        final Side a = new Side(a4, securities.get(1L), directory);
        final Side b = new Side(b4, securities.get(2L), directory);
        final String media = "m".repeat(1_200);
        a.send(b4, "first " + media);
        assertTrue(a.deliverTo(b) > 0, "no ClientHello");
        assertTrue(b.deliverTo(a) > 0, "no HelloVerifyRequest");
        assertTrue(a.deliverTo(b) > 0, "no ClientHello with cookie");
        assertTrue(b.drop() > 0, "server sent no flight");
        // The server's timer retransmits its lost flight twice; both copies are lost too.
        for (int lost = 0; lost < 2; lost++)
        {
            assertTrue(awaitTimer(b) > 0, "server flight not retransmitted");
            b.drop();
        }
        // The client's timer retransmits its hello; the server answers with its flight a third time, which gets
        // through.
        assertTrue(awaitTimer(a) > 0, "client hello not retransmitted");
        a.deliverTo(b);
        for (int i = 0; i < 50 && (b.deliverTo(a) + a.deliverTo(b)) > 0; i++)
        {
            // deliver without running timers
        }
        assertEquals(1, a.handler.stats().handshakesCompleted());
        assertEquals(1, b.handler.stats().handshakesCompleted());
        assertTrue((a4 + " first " + media).equals(b.receive()), "client's queued full-size datagram lost");
        b.send(a4, "reply " + media);
        b.deliverTo(a);
        assertTrue((b4 + " reply " + media).equals(a.receive()), "server's full-size datagram lost");
        assertEquals(0, a.handler.stats().datagramsDropped() + b.handler.stats().datagramsDropped());
        a.channel.finishAndReleaseAll();
        b.channel.finishAndReleaseAll();
    }

    @Test
    void simultaneousOpensConvergeOnOneAssociation()
    {
        final Side a = new Side(A, securities.get(1L));
        final Side b = new Side(B, securities.get(2L));
        a.send(B, "from a");
        b.send(A, "from b");
        pump(a, b);
        assertEquals(A + " from a", b.receive());
        assertEquals(B + " from b", a.receive());
        assertEquals(1, a.handler.stats().handshakesCompleted());
        assertEquals(1, b.handler.stats().handshakesCompleted());
        a.channel.finishAndReleaseAll();
        b.channel.finishAndReleaseAll();
    }

    @Test
    void restartedPeerGetsAFreshAssociation()
    {
        final Side a = new Side(A, securities.get(1L));
        final Side b = new Side(B, securities.get(2L));
        a.send(B, "first life");
        pump(a, b);
        assertEquals(A + " first life", b.receive());
        a.channel.finishAndReleaseAll();
        final Side reborn = new Side(A, securities.get(1L));
        reborn.send(B, "second life");
        pump(reborn, b);
        assertEquals(A + " second life", b.receive());
        assertEquals(2, b.handler.stats().handshakesCompleted());
        reborn.channel.finishAndReleaseAll();
        b.channel.finishAndReleaseAll();
    }

    @Test
    void certificateNamingAnotherMemberIsRefused()
    {
        // Member 3's certificate used from member 1's address.
        final Side a = new Side(A, securities.get(3L));
        final Side b = new Side(B, securities.get(2L));
        a.send(B, "i am not who i say");
        pump(a, b);
        assertNull(b.receive());
        assertEquals(0, b.handler.stats().handshakesCompleted());
        assertEquals(1, b.handler.stats().handshakeFailures());
        assertTrue(b.handler.stats().lastFailure().contains("names member 3"), b.handler.stats().lastFailure());
        assertEquals(0, a.handler.stats().applicationRecordsIn());
        a.channel.finishAndReleaseAll();
        b.channel.finishAndReleaseAll();
    }
}
