package dev.c2cast.pseudobroadcast;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.buffer.ByteBufUtil;

/**
 * A {@link TransportContractTest.Group} of {@link NodeAgent} JVMs on a lossless {@link NamespaceHub}, for the
 * contract of the UDP transport modes that need a real shared segment. The JVMs live as long as the test class;
 * each group {@code reset}s them to fresh transports.
 */
final class RemoteGroup implements TransportContractTest.Group
{
    static final int PORT = 47_100;
    static final int NODES = 4;

    private final NamespaceHub hub;
    private final List<RemoteNode> nodes = new ArrayList<>();
    private final UdpTransportConfig.Mode mode;

    private RemoteGroup(final NamespaceHub hub, final UdpTransportConfig.Mode mode)
    {
        this.hub = hub;
        this.mode = mode;
    }

    /**
     * Builds the hub and starts one agent per node.
     *
     * @param mode         the transport mode.
     * @param groupAddress multicast group or broadcast address.
     * @return the running group.
     * @throws IOException if anything fails (everything is torn down).
     */
    static RemoteGroup start(final UdpTransportConfig.Mode mode, final String groupAddress) throws IOException
    {
        final RemoteGroup group = new RemoteGroup(NamespaceHub.create(NODES, -1, 0), mode);
        try
        {
            for (int i = 0; i < NODES; i++)
            {
                if (mode == UdpTransportConfig.Mode.UNICAST)
                {
                    group.hub.overhear(i, PORT);
                }
                group.nodes.add(RemoteNode.start(group.hub.nodeNamespace(i), mode.name(), Long.toString(i + 1), groupAddress,
                    Integer.toString(PORT), "eth0", Integer.toHexString(TransportContractTest.GROUP_ID)));
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            group.shutdown();
            throw ex;
        }
        return group;
    }

    /**
     * Gives every agent a fresh transport (and, in unicast mode, every peer's address).
     *
     * @return this group.
     * @throws IOException if an agent fails.
     */
    RemoteGroup reset() throws IOException
    {
        for (int i = 0; i < NODES; i++)
        {
            nodes.get(i).command("reset");
            if (mode == UdpTransportConfig.Mode.UNICAST)
            {
                for (int j = 0; j < NODES; j++)
                {
                    if (j != i)
                    {
                        nodes.get(i).command("peer " + (j + 1) + " " + NamespaceHub.address(j) + " " + PORT);
                    }
                }
            }
        }
        return this;
    }

    void shutdown()
    {
        nodes.forEach(RemoteNode::close);
        nodes.clear();
        hub.close();
    }

    private static IllegalStateException failure(final IOException ex)
    {
        return new IllegalStateException(ex);
    }

    @Override
    public int send(final int from, final int type, final long destination, final byte[] payload)
    {
        try
        {
            final String hex = payload.length == 0 ? "-" : ByteBufUtil.hexDump(payload);
            return (int)nodes.get(from).numbers("send " + type + " " + destination + " " + hex)[0];
        }
        catch (final IOException ex)
        {
            throw failure(ex);
        }
    }

    @Override
    public List<TransportContractTest.Received> received(final int node)
    {
        try
        {
            final List<TransportContractTest.Received> result = new ArrayList<>();
            for (final String line : nodes.get(node).commandLines("received"))
            {
                final String[] w = line.split(" ");
                result.add(new TransportContractTest.Received(Integer.parseInt(w[1]), Long.parseLong(w[2]),
                    Long.parseLong(w[3]), "1".equals(w[4]), "-".equals(w[5]) ? new byte[0] : ByteBufUtil.decodeHexDump(w[5])));
            }
            return result;
        }
        catch (final IOException ex)
        {
            throw failure(ex);
        }
    }

    @Override
    public PeerCounters counters(final int node, final long peer)
    {
        try
        {
            final long[] c = nodes.get(node).numbers("counters " + peer);
            return new PeerCounters(c[0], c[1], c[2], c[3], c[4], c[5]);
        }
        catch (final IOException ex)
        {
            throw failure(ex);
        }
    }

    @Override
    public long[] drops(final int node)
    {
        try
        {
            return nodes.get(node).numbers("drops");
        }
        catch (final IOException ex)
        {
            throw failure(ex);
        }
    }

    @Override
    public void injectRaw(final int node, final byte[] frame) throws IOException
    {
        nodes.get(node).command("inject " + ByteBufUtil.hexDump(frame));
    }

    @Override
    public boolean await(final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public int maxPayloadLength()
    {
        return UdpTransportConfig.MAX_PAYLOAD_LENGTH_DEFAULT;
    }

    @Override
    public void closeNode(final int node) throws IOException
    {
        nodes.get(node).command("close");
    }

    @Override
    public void close()
    {
        // The agents outlive a test; the next test resets them and the test class shuts them down.
    }
}
