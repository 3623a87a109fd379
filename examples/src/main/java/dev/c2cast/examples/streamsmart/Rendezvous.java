package dev.c2cast.examples.streamsmart;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.c2cast.examples.internal.Threads;
import dev.c2cast.streamsmart.tree.CloneNode;

/**
 * The radix's admission desk, the out-of-band part of StreamSmart that streamsmart-tree leaves to its user: it hands
 * each joining clone a member id and a join token issued by the radix's {@link CloneNode}, and keeps every clone's
 * directory of tree addresses. Everything else (placement, attach, forwarding, repair) is streamsmart-tree's UDP
 * protocol. One TCP connection per member, one line per message:
 * <pre>
 *   member -> radix   HELLO name
 *   radix  -> member  WELCOME memberId radixId streamId token          (token: the 57 bytes of StreamToken, hex)
 *   member -> radix   ADDRESS host treePort rtspPort                   (after binding its tree socket)
 *   radix  -> all     MEMBER memberId name host treePort               (the radix first; then each newcomer, to everyone)
 *   radix  -> all     SR ntpTimestamp rtpTimestamp                     (the phone's RTCP sender reports, for latency)
 *   radix  -> member  ERROR reason
 * </pre>
 * A member joins the tree (UDP) once it has seen its own MEMBER line, so the radix knows its address by then. A
 * closed connection only ends the member's directory updates: failure detection and repair are the tree's own.
 * Every line is read and checked by {@link RendezvousProtocol} (bounded length, IP literals only, ranges); a broken
 * line, or a new connection silent for {@link #HANDSHAKE_TIMEOUT_MILLIS}, ends the connection, and at most
 * {@link #MAX_CONNECTIONS} are open at once.
 * <p>
 * Threads: one accept thread, one reader per member, and one writer thread that sends every line in order (so
 * {@link #report} never blocks the clone's event loop).
 */
final class Rendezvous implements AutoCloseable
{
    /** Member ids the radix hands out are 1..MAX_MEMBERS; later greetings are refused ("the overlay is full"). */
    static final int MAX_MEMBERS = 4096;
    /** Open connections at most (each has a reader thread); more are closed at once. */
    static final int MAX_CONNECTIONS = MAX_MEMBERS + 64;
    /** How long a new connection may take to send HELLO and then ADDRESS, by default. */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(Rendezvous.class);
    private static final HexFormat HEX = HexFormat.of();

    /** What the radix's side needs from its clone. */
    interface Admission
    {
        /**
         * Authorizes a member on the radix and issues its join token.
         *
         * @param member the member id.
         * @return the token.
         */
        byte[] token(long member);

        /**
         * A member's tree address is known: add it to the radix's directory.
         *
         * @param member  the member id.
         * @param name    its name.
         * @param address its tree socket.
         */
        void registered(long member, String name, InetSocketAddress address);
    }

    /** One admitted member. */
    private record Member(long id, String name, InetSocketAddress tree, PrintWriter writer, Socket socket)
    {
    }

    private final String radixName;
    private final long radixId;
    private final long streamId;
    private final int radixTreePort;
    private final Admission admission;
    private final ServerSocket server;
    private final ExecutorService writer;
    private final Map<Long, Member> members = new LinkedHashMap<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicLong refused = new AtomicLong();
    private final int handshakeTimeoutMillis;
    private long nextId = 1;
    private volatile boolean closed;

    Rendezvous(
        final String radixName, final long radixId, final long streamId, final int radixTreePort,
        final InetSocketAddress bind, final Admission admission) throws IOException
    {
        this(radixName, radixId, streamId, radixTreePort, bind, admission, HANDSHAKE_TIMEOUT_MILLIS);
    }

    Rendezvous(
        final String radixName, final long radixId, final long streamId, final int radixTreePort,
        final InetSocketAddress bind, final Admission admission, final int handshakeTimeoutMillis) throws IOException
    {
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.radixName = radixName;
        this.radixId = radixId;
        this.streamId = streamId;
        this.radixTreePort = radixTreePort;
        this.admission = admission;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(bind);
        this.writer = Executors.newSingleThreadExecutor(Threads.factory("rendezvous-send-" + radixName));
        Threads.start("rendezvous-accept-" + radixName, this::accept);
    }

    int port()
    {
        return server.getLocalPort();
    }

    /**
     * Members that sent their address and are still connected.
     *
     * @return the count.
     */
    synchronized int connectedMembers()
    {
        int count = 0;
        for (final Member member : members.values())
        {
            count += member.tree() == null ? 0 : 1;
        }
        return count;
    }

    /**
     * Connections refused: over the connection limit, or a line that broke the protocol (then answered with ERROR).
     *
     * @return the count.
     */
    long refused()
    {
        return refused.get();
    }

    /**
     * Relays one of the phone's RTCP sender reports to every member; never blocks.
     *
     * @param ntpTimestamp the report's NTP timestamp.
     * @param rtpTimestamp the report's RTP timestamp.
     */
    void report(final long ntpTimestamp, final long rtpTimestamp)
    {
        send(() -> broadcast("SR " + ntpTimestamp + " " + rtpTimestamp));
    }

    private void send(final Runnable task)
    {
        if (!closed)
        {
            try
            {
                writer.execute(task);
            }
            catch (final java.util.concurrent.RejectedExecutionException ex)
            {
                LOG.debug("{}: rendezvous closed", radixName);
            }
        }
    }

    private synchronized void broadcast(final String line)
    {
        for (final Member member : members.values())
        {
            if (member.tree() != null)
            {
                member.writer().println(line);
            }
        }
    }

    private void accept()
    {
        while (!closed)
        {
            try
            {
                final Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                synchronized (this)
                {
                    if (sockets.size() >= MAX_CONNECTIONS)
                    {
                        refused.incrementAndGet();
                        socket.close();
                        continue;
                    }
                    sockets.add(socket);
                }
                Threads.start("rendezvous-member-" + radixName, () -> serve(socket));
            }
            catch (final IOException ex)
            {
                if (!closed)
                {
                    LOG.warn("{}: accept failed", radixName, ex);
                }
                return;
            }
        }
    }

    private void serve(final Socket socket)
    {
        long id = -1;
        try (socket)
        {
            // Until the member has given its address, a silent peer is dropped; afterwards the connection only
            // tells the radix that the member is still there.
            socket.setSoTimeout(handshakeTimeoutMillis);
            final InputStream in = new BufferedInputStream(socket.getInputStream());
            final PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            final RendezvousProtocol.Hello hello;
            final RendezvousProtocol.Address address;
            try
            {
                hello = RendezvousProtocol.hello(RendezvousProtocol.readLine(in));
                id = admit(hello.name(), out, socket);
                if (id < 0)
                {
                    return;
                }
                address = RendezvousProtocol.address(RendezvousProtocol.readLine(in));
            }
            catch (final RendezvousProtocolException ex)
            {
                refused.incrementAndGet();
                out.println("ERROR " + ex.getMessage());
                return;
            }
            socket.setSoTimeout(0);
            register(id, address.tree(), socket);
            while (RendezvousProtocol.readLine(in) != null)
            {
                // Members send nothing more; reading detects the end of the connection.
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.debug("{}: rendezvous connection of member {} ended", radixName, id, ex);
        }
        finally
        {
            synchronized (this)
            {
                members.remove(id);
                sockets.remove(socket);
            }
        }
    }

    private long admit(final String name, final PrintWriter out, final Socket socket)
    {
        final long id;
        synchronized (this)
        {
            final boolean taken = radixName.equals(name) || members.values().stream().anyMatch(m -> m.name().equals(name));
            if (closed || taken || nextId > MAX_MEMBERS)
            {
                out.println(taken ? "ERROR name " + name + " already in the overlay" : "ERROR the overlay is full");
                return -1;
            }
            id = nextId++;
            members.put(id, new Member(id, name, null, out, socket));
        }
        final byte[] token = admission.token(id);
        out.println("WELCOME " + id + " " + radixId + " " + streamId + " " + HEX.formatHex(token));
        return id;
    }

    private void register(final long id, final InetSocketAddress tree, final Socket socket)
    {
        final Member member;
        synchronized (this)
        {
            final Member admitted = members.get(id);
            member = new Member(id, admitted.name(), tree, admitted.writer(), socket);
            members.put(id, member);
        }
        admission.registered(id, member.name(), tree);
        LOG.info("{}: {} admitted as member {} at {}", radixName, member.name(), id, tree);
        send(() ->
        {
            synchronized (this)
            {
                // The newcomer learns the radix (at the address it reached us on) and everyone before it; then all
                // learn the newcomer, the newcomer last, which is its cue to join.
                final String radixHost = socket.getLocalAddress().getHostAddress();
                member.writer().println("MEMBER " + radixId + " " + radixName + " " + radixHost + " " + radixTreePort);
                for (final Member other : members.values())
                {
                    if (other.id() != id && other.tree() != null)
                    {
                        member.writer().println(line(other));
                    }
                }
            }
            broadcast(line(member));
        });
    }

    private static String line(final Member member)
    {
        return "MEMBER " + member.id() + " " + member.name() + " " + member.tree().getAddress().getHostAddress() + " "
            + member.tree().getPort();
    }

    @Override
    public void close()
    {
        closed = true;
        try
        {
            server.close();
        }
        catch (final IOException ex)
        {
            LOG.debug("{}: closing the rendezvous failed", radixName, ex);
        }
        final List<Socket> open;
        synchronized (this)
        {
            open = new ArrayList<>(sockets);
        }
        for (final Socket socket : open)
        {
            try
            {
                socket.close();
            }
            catch (final IOException ex)
            {
                LOG.debug("{}: closing a member connection failed", radixName, ex);
            }
        }
        writer.shutdownNow();
        try
        {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
