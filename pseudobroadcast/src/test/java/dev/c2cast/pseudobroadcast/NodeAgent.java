package dev.c2cast.pseudobroadcast;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * One node of a multi-process test, run in its own network namespace with {@code ip netns exec}: it opens a
 * {@link UdpTransport} and obeys line commands on stdin, answering on stdout (one line, or lines ended by
 * {@code end}).
 * <pre>
 * args: mode(MULTICAST|BROADCAST|UNICAST) nodeId groupOrBroadcastAddress port interfaceName(or -) groupIdHex
 * send TYPE DEST HEX        -> ok 1|0|-1        (sent, rejected, illegal)
 * burst DEST COUNT SIZE RATE -> ok              (paced DATA frames; answers when all are sent)
 * received                  -> r TYPE SRC DST OVERHEARD HEX ... end (first 1000 recorded frames)
 * counters PEER             -> c FS BS FR BR FO BO
 * drops                     -> d MALFORMED OVERSIZED OTHERGROUP UNHANDLED BROADCAST REJECTED
 * peer ID IP PORT           -> ok
 * inject HEX                -> ok               (raw datagram to this node's own port)
 * close / reset / quit      -> ok
 * reliable DEST COUNT SIZE  -> ok RETRANSMISSIONS FAILURES   (answers once all are acknowledged or a peer failed)
 * reliable-received SRC     -> n COUNT IN_ORDER(1|0) DUPLICATES_SUPPRESSED
 * </pre>
 */
public final class NodeAgent
{
    private static final int RECORD_LIMIT = 1000;

    private final UdpTransportConfig config;
    private final NodeId node;
    private final EventLoop loop;
    private final List<String> received = new ArrayList<>();
    private UdpTransport transport;
    private ReliableMessenger reliable;
    private final java.util.Map<Long, int[]> reliableReceived = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile java.util.concurrent.CompletableFuture<Integer> reliableDone;
    private Runnable reliablePump;

    private NodeAgent(final UdpTransportConfig config, final NodeId node, final EventLoop loop)
    {
        this.config = config;
        this.node = node;
        this.loop = loop;
    }

    /**
     * Runs the agent until {@code quit} or end of input.
     *
     * @param args see the class description.
     * @throws Exception on any failure, which ends the process.
     */
    public static void main(final String[] args) throws Exception
    {
        final UdpTransportConfig.Mode mode = UdpTransportConfig.Mode.valueOf(args[0]);
        final NodeId node = new NodeId(Long.parseLong(args[1]));
        final InetSocketAddress group = new InetSocketAddress(InetAddress.getByName(args[2]), Integer.parseInt(args[3]));
        final NetworkInterface networkInterface = "-".equals(args[4]) ? null : NetworkInterface.getByName(args[4]);
        final int groupId = (int)Long.parseLong(args[5], 16);
        final UdpTransportConfig config = new UdpTransportConfig(mode, group, networkInterface, null,
            UdpTransportConfig.TTL_DEFAULT, true, groupId, UdpTransportConfig.MAX_PAYLOAD_LENGTH_DEFAULT);
        final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        try
        {
            final NodeAgent agent = new NodeAgent(config, node, loops.next());
            agent.open();
            out.println("ready " + agent.transport.localAddress().getPort());
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null)
            {
                final String[] words = line.trim().split(" ");
                if ("quit".equals(words[0]))
                {
                    out.println("ok");
                    break;
                }
                out.println(agent.execute(words));
            }
        }
        finally
        {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }

    private void open() throws Exception
    {
        transport = UdpTransport.open(config, node, loop);
        call(() ->
        {
            synchronized (received)
            {
                received.clear();
            }
            reliableReceived.clear();
            reliable = new ReliableMessenger(transport, new ReliableConfig(32, 20_000_000L, 1_000_000_000L, 20),
                new java.util.SplittableRandom(node.value()), new ReliableListener()
                {
                    @Override
                    public void onMessage(final long source, final ByteBuf buffer, final int offset, final int length)
                    {
                        // [count, in order so far (1/0)]
                        final int[] state = reliableReceived.computeIfAbsent(source, key -> new int[] {0, 1});
                        if (length < 4 || buffer.getInt(offset) != state[0])
                        {
                            state[1] = 0;
                        }
                        state[0]++;
                    }

                    @Override
                    public void onPeerUnreachable(final long peer, final int undelivered)
                    {
                        final java.util.concurrent.CompletableFuture<Integer> done = reliableDone;
                        if (done != null)
                        {
                            done.complete(1);
                        }
                    }

                    @Override
                    public void onWindowAvailable(final long peer)
                    {
                        if (reliablePump != null)
                        {
                            reliablePump.run();
                        }
                    }
                });
            for (final int type : new int[] {FrameType.DATA, FrameType.FIRST_APPLICATION_TYPE})
            {
                transport.listener(type, (source, destination, overheard, buffer, offset, length) ->
                {
                    synchronized (received)
                    {
                        if (received.size() < RECORD_LIMIT)
                        {
                            received.add("r " + type + ' ' + source + ' ' + destination + ' ' + (overheard ? 1 : 0) + ' ' +
                                (length == 0 ? "-" : ByteBufUtil.hexDump(buffer, offset, length)));
                        }
                    }
                });
            }
            return null;
        });
    }

    private <T> T call(final Callable<T> task) throws Exception
    {
        return loop.submit(task).get(60, TimeUnit.SECONDS);
    }

    private String execute(final String[] words) throws Exception
    {
        switch (words[0])
        {
            case "send":
            {
                final int type = Integer.parseInt(words[1]);
                final long destination = Long.parseLong(words[2]);
                final byte[] payload = "-".equals(words[3]) ? new byte[0] : ByteBufUtil.decodeHexDump(words[3]);
                return "ok " + call(() ->
                {
                    try
                    {
                        return transport.send(type, destination, Unpooled.wrappedBuffer(payload)) ? 1 : 0;
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        return -1;
                    }
                });
            }
            case "burst":
                burst(Long.parseLong(words[1]), Integer.parseInt(words[2]), Integer.parseInt(words[3]),
                    Integer.parseInt(words[4]));
                return "ok";
            case "received":
            {
                final StringBuilder text = new StringBuilder();
                synchronized (received)
                {
                    for (final String record : received)
                    {
                        text.append(record).append('\n');
                    }
                }
                return text.append("end").toString();
            }
            case "counters":
            {
                final PeerCounters c = call(() -> transport.counters().peer(Long.parseLong(words[1])));
                return "c " + c.framesSent() + ' ' + c.bytesSent() + ' ' + c.framesReceived() + ' ' + c.bytesReceived() +
                    ' ' + c.framesOverheard() + ' ' + c.bytesOverheard();
            }
            case "drops":
                return call(() ->
                {
                    final TransportCounters c = transport.counters();
                    return "d " + c.droppedMalformed() + ' ' + c.droppedOversized() + ' ' + c.droppedOtherGroup() + ' ' +
                        c.droppedUnhandled() + ' ' + c.framesBroadcast() + ' ' + c.sendsRejected();
                });
            case "peer":
            {
                final InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(words[2]),
                    Integer.parseInt(words[3]));
                call(() ->
                {
                    transport.peerAddress(new NodeId(Long.parseLong(words[1])), address);
                    return null;
                });
                return "ok";
            }
            case "inject":
            {
                final byte[] frame = ByteBufUtil.decodeHexDump(words[1]);
                try (DatagramSocket socket = new DatagramSocket())
                {
                    socket.send(new DatagramPacket(frame, frame.length, InetAddress.getLoopbackAddress(),
                        transport.localAddress().getPort()));
                }
                return "ok";
            }
            case "close":
                call(() ->
                {
                    reliable.close();
                    transport.close();
                    return null;
                });
                return "ok";
            case "reset":
                call(() ->
                {
                    reliable.close();
                    transport.close();
                    return null;
                });
                transport.eventLoop().submit(() -> { }).get(10, TimeUnit.SECONDS);
                open();
                return "ok";
            case "reliable":
                return reliableSend(new NodeId(Long.parseLong(words[1])), Integer.parseInt(words[2]),
                    Integer.parseInt(words[3]));
            case "reliable-received":
            {
                final long source = Long.parseLong(words[1]);
                final long[] result = call(() ->
                {
                    final int[] state = reliableReceived.getOrDefault(source, new int[] {0, 1});
                    return new long[] {state[0], state[1], reliable.duplicatesSuppressed()};
                });
                return "n " + result[0] + ' ' + result[1] + ' ' + result[2];
            }
            default:
                return "error unknown command " + words[0];
        }
    }

    /** Sends COUNT reliable messages and waits until all are acknowledged or the peer fails. */
    private String reliableSend(final NodeId destination, final int count, final int size) throws Exception
    {
        final java.util.concurrent.CompletableFuture<Integer> done = new java.util.concurrent.CompletableFuture<>();
        reliableDone = done;
        final ByteBuf message = Unpooled.buffer(Math.max(4, size));
        final int[] next = new int[1];
        final Runnable[] check = new Runnable[1];
        check[0] = () ->
        {
            if (next[0] == count && reliable.inFlight(destination) == 0)
            {
                done.complete(0);
            }
            else if (!done.isDone())
            {
                transport.timers().schedule(5_000_000L, check[0]);
            }
        };
        call(() ->
        {
            reliablePump = () ->
            {
                while (next[0] < count)
                {
                    message.clear().writeInt(next[0]).writeZero(Math.max(0, size - 4));
                    if (!reliable.send(destination, message))
                    {
                        return;
                    }
                    next[0]++;
                }
            };
            reliablePump.run();
            check[0].run();
            return null;
        });
        final int failures;
        try
        {
            // Below RemoteNode's 120 s answer timeout, so a stall is reported with its state rather than as silence.
            failures = done.get(100, TimeUnit.SECONDS);
        }
        catch (final java.util.concurrent.TimeoutException ex)
        {
            return call(() -> "error stalled: accepted " + next[0] + " of " + count + ", in flight " +
                reliable.inFlight(destination) + ", retransmissions " + reliable.retransmissions() + ", malformed " +
                reliable.malformed());
        }
        return "ok " + call(() -> reliable.retransmissions()) + " " + failures;
    }

    /** Sends COUNT frames of SIZE bytes at RATE frames per second, in 1 ms ticks on the event loop. */
    private void burst(final long destination, final int count, final int size, final int rate) throws Exception
    {
        final ByteBuf payload = Unpooled.buffer(size);
        final int perTick = Math.max(1, rate / 1000);
        final java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        final int[] sent = new int[1];
        final Runnable[] tick = new Runnable[1];
        tick[0] = () ->
        {
            for (int i = 0; i < perTick && sent[0] < count; i++)
            {
                payload.clear().writeInt(sent[0]).writeZero(Math.max(0, size - 4));
                transport.send(FrameType.DATA, destination, payload);
                sent[0]++;
            }
            if (sent[0] < count)
            {
                transport.timers().schedule(1_000_000L, tick[0]);
            }
            else
            {
                done.complete(null);
            }
        };
        loop.execute(tick[0]);
        done.get(600, TimeUnit.SECONDS);
    }
}
