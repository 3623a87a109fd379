package dev.c2cast.examples.streamsmart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.c2cast.examples.internal.Await;
import org.junit.jupiter.api.Test;

/** The radix's admission protocol over loopback TCP, line by line, with a stand-in for the radix's token issuer. */
class RendezvousIT
{
    private static final long STREAM = 77;
    private static final int RADIX_TREE_PORT = 40_000;

    private final Map<Long, InetSocketAddress> registered = new ConcurrentHashMap<>();

    private final Rendezvous.Admission admission = new Rendezvous.Admission()
    {
        @Override
        public byte[] token(final long member)
        {
            return new byte[] {(byte)member, 2, 3};
        }

        @Override
        public void registered(final long member, final String name, final InetSocketAddress address)
        {
            registered.put(member, address);
        }
    };

    /** One member's end of the connection. */
    private static final class Link implements AutoCloseable
    {
        private final Socket socket;
        private final PrintWriter out;
        private final BufferedReader in;

        Link(final int port) throws IOException
        {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        String ask(final String line) throws IOException
        {
            out.println(line);
            return in.readLine();
        }

        String read() throws IOException
        {
            return in.readLine();
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }

    @Test
    void admitsMembersWithIdsAndTokensAndSharesTheDirectory() throws Exception
    {
        try (Rendezvous rendezvous = new Rendezvous("radix", 0, STREAM, RADIX_TREE_PORT, new InetSocketAddress("127.0.0.1", 0),
            admission); Link second = new Link(rendezvous.port()))
        {
            final Link first = new Link(rendezvous.port());
            assertEquals("WELCOME 1 0 77 " + HexFormat.of().formatHex(new byte[] {1, 2, 3}), first.ask("HELLO c1"));
            first.out.println("ADDRESS 127.0.0.1 5001 8001");
            assertEquals("MEMBER 0 radix 127.0.0.1 " + RADIX_TREE_PORT, first.read(), "the radix comes first");
            assertEquals("MEMBER 1 c1 127.0.0.1 5001", first.read(), "then the member itself: its cue to join");

            assertEquals("WELCOME 2 0 77 020203", second.ask("HELLO c2"));
            second.out.println("ADDRESS 127.0.0.1 5002 8002");
            assertEquals(List.of("MEMBER 0 radix 127.0.0.1 " + RADIX_TREE_PORT, "MEMBER 1 c1 127.0.0.1 5001",
                "MEMBER 2 c2 127.0.0.1 5002"), List.of(second.read(), second.read(), second.read()));
            assertEquals("MEMBER 2 c2 127.0.0.1 5002", first.read(), "earlier members learn the newcomer");
            assertEquals(new InetSocketAddress("127.0.0.1", 5002), registered.get(2L));
            Await.until(() -> rendezvous.connectedMembers() == 2, 5_000, "two members");

            rendezvous.report(123_456_789L, 90_000L);
            assertEquals("SR 123456789 90000", first.read());
            assertEquals("SR 123456789 90000", second.read());

            first.socket.close();
            Await.until(() -> rendezvous.connectedMembers() == 1, 5_000, "the closed member to be dropped");
        }
    }

    @Test
    void refusesMalformedGreetingsAndTakenNames() throws Exception
    {
        try (Rendezvous rendezvous = new Rendezvous("radix", 0, STREAM, RADIX_TREE_PORT, new InetSocketAddress("127.0.0.1", 0),
            admission); Link member = new Link(rendezvous.port()))
        {
            assertTrue(member.ask("HELLO c1").startsWith("WELCOME 1 "));
            try (Link same = new Link(rendezvous.port()); Link radixName = new Link(rendezvous.port());
                Link garbage = new Link(rendezvous.port()))
            {
                assertEquals("ERROR name c1 already in the overlay", same.ask("HELLO c1"));
                assertEquals("ERROR name radix already in the overlay", radixName.ask("HELLO radix"));
                assertEquals("ERROR expected HELLO name", garbage.ask("JOIN c9 127.0.0.1 1 2"));
            }
            member.out.println("ADDRESS 127.0.0.1");
            assertEquals("ERROR expected ADDRESS host treePort rtspPort", member.read());
            assertEquals(null, member.read(), "the radix closes the connection");
            assertTrue(registered.isEmpty());
        }
    }

    @Test
    void anOverlongLineOrABadAddressIsRefusedAndASilentPeerIsDropped() throws Exception
    {
        try (Rendezvous rendezvous = new Rendezvous("radix", 0, STREAM, RADIX_TREE_PORT, new InetSocketAddress("127.0.0.1", 0),
            admission, 500); Link flood = new Link(rendezvous.port()); Link named = new Link(rendezvous.port());
            Link silent = new Link(rendezvous.port()))
        {
            assertEquals("ERROR line longer than " + RendezvousProtocol.MAX_LINE_BYTES + " bytes",
                flood.ask("HELLO " + "x".repeat(100_000)));
            assertTrue(named.ask("HELLO c1").startsWith("WELCOME 1 "));
            assertEquals("ERROR not an IP address: localhost", named.ask("ADDRESS localhost 5001 8001"),
                "a member never makes the radix resolve a name");
            assertEquals(null, silent.read(), "a peer that says nothing is dropped after the handshake timeout");
            assertEquals(2, rendezvous.refused());
            assertTrue(registered.isEmpty());
        }
    }
}
