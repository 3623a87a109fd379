package dev.c2cast.pseudobroadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.c2cast.testkit.SlowTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Four node JVMs, each in its own network namespace, on a hub that floods unicast to every port, with 10% random
 * loss on node 2's port and one 20 Mbit/s bottleneck for all transmissions. Node 0 sends 10,000 frames to node 1:
 * node 3 (not the destination, lossless port) must overhear at least 99% of them, and node 2's measured loss must
 * be within 2 percentage points of the injected 10%.
 */
@SlowTest
class PseudoBroadcastHubIT
{
    private static final int NODES = 4;
    private static final int LOSSY = 2;
    private static final int LOSS_PERCENT = 10;
    private static final int FRAMES = 10_000;
    private static final int PORT = 47_000;
    private static final String GROUP_ID = "4d430001";

    @BeforeAll
    static void requireEnvironment()
    {
        NamespaceHub.requireEnvironment();
    }

    @Test
    void multicastHubOverhearingAndLoss() throws Exception
    {
        measure(UdpTransportConfig.Mode.MULTICAST, "239.77.0.1");
    }

    @Test
    void subnetBroadcastHubOverhearingAndLoss() throws Exception
    {
        measure(UdpTransportConfig.Mode.BROADCAST, "10.77.0.255");
    }

    @Test
    void trueUnicastWithKernelOverhearing() throws Exception
    {
        measure(UdpTransportConfig.Mode.UNICAST, "10.77.0.255");
    }

    /**
     * Reliable messaging across a real lossy link: 2,000 messages by true unicast from node 0 to node 2, whose hub
     * port drops 20% of UDP frames, arrive exactly once and in order.
     */
    @Test
    void reliableMessagingAcrossTwentyPercentLoss() throws Exception
    {
        try (NamespaceHub hub = NamespaceHub.create(NODES, LOSSY, 20))
        {
            final List<RemoteNode> nodes = new ArrayList<>();
            try
            {
                for (int i = 0; i < NODES; i++)
                {
                    hub.overhear(i, PORT);
                    nodes.add(RemoteNode.start(hub.nodeNamespace(i), "UNICAST", Long.toString(i + 1), "10.77.0.255",
                        Integer.toString(PORT), "eth0", GROUP_ID));
                }
                nodes.get(0).command("peer 3 " + NamespaceHub.address(LOSSY) + " " + PORT);
                nodes.get(LOSSY).command("peer 1 " + NamespaceHub.address(0) + " " + PORT);
                final long[] sent = nodes.get(0).numbers("reliable 3 2000 200");
                final long[] got = nodes.get(LOSSY).numbers("reliable-received 1");
                final long[] overheard = nodes.get(3).numbers("reliable-received 1");
                System.out.printf("[PseudoBroadcastHubIT] reliable over 20%% loss: delivered %d/2000 in order=%d, " +
                    "retransmissions %d, duplicates suppressed %d, failures %d, nft dropped %d%n", got[0], got[1], sent[0],
                    got[2], sent[1], hub.droppedByLossRule());
                assertEquals(0, sent[1], "no peer declared unreachable");
                assertEquals(2000, got[0], "exactly once");
                assertEquals(1, got[1], "in order");
                assertTrue(sent[0] >= 200, "20% loss needs retransmissions: " + sent[0]);
                assertEquals(0, overheard[0], "overheard reliable frames are not delivered to other nodes");
            }
            finally
            {
                nodes.forEach(RemoteNode::close);
            }
        }
    }

    private static void measure(final UdpTransportConfig.Mode mode, final String groupAddress) throws Exception
    {
        try (NamespaceHub hub = NamespaceHub.create(NODES, LOSSY, LOSS_PERCENT))
        {
            final List<RemoteNode> nodes = new ArrayList<>();
            try
            {
                for (int i = 0; i < NODES; i++)
                {
                    if (mode == UdpTransportConfig.Mode.UNICAST)
                    {
                        hub.overhear(i, PORT);
                    }
                    nodes.add(RemoteNode.start(hub.nodeNamespace(i), mode.name(), Long.toString(i + 1), groupAddress,
                        Integer.toString(PORT), "eth0", GROUP_ID));
                }
                if (mode == UdpTransportConfig.Mode.UNICAST)
                {
                    nodes.get(0).command("peer 2 " + NamespaceHub.address(1) + " " + PORT);
                }
                nodes.get(0).command("burst 2 " + FRAMES + " 100 5000");
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                long[] destination;
                long[] lossy;
                long[] clean;
                long previous = -1;
                while (true)
                {
                    destination = nodes.get(1).numbers("counters 1");
                    lossy = nodes.get(LOSSY).numbers("counters 1");
                    clean = nodes.get(3).numbers("counters 1");
                    final long total = destination[2] + lossy[4] + clean[4];
                    if (total == previous && destination[2] == FRAMES && clean[4] == FRAMES || System.nanoTime() > deadline)
                    {
                        break;
                    }
                    previous = total;
                    nodes.get(1).command("drops");
                }
                final double overheard = clean[4] / (double)FRAMES;
                final double loss = 1 - lossy[4] / (double)FRAMES;
                final long dropped = hub.droppedByLossRule();
                System.out.printf("[PseudoBroadcastHubIT] %s: destination received %d/%d, lossless overhearer %d/%d " +
                    "(%.2f%%), lossy overhearer %d/%d, measured loss %.2f%% (injected %d%%, nft dropped %d)%n",
                    mode, destination[2], FRAMES, clean[4], FRAMES, 100 * overheard, lossy[4], FRAMES, 100 * loss,
                    LOSS_PERCENT, dropped);
                assertTrue(overheard >= 0.99, "lossless overhearer got " + clean[4]);
                assertTrue(destination[2] >= 0.99 * FRAMES, "destination got " + destination[2]);
                assertEquals(LOSS_PERCENT / 100.0, loss, 0.02, "measured loss on the lossy port");
                assertEquals(0, destination[4], "the destination never marks its own frames overheard");
                assertEquals(0, clean[2], "an overhearer never takes a unicast for itself");
            }
            finally
            {
                nodes.forEach(RemoteNode::close);
            }
        }
        catch (final IOException ex)
        {
            throw new AssertionError("namespace hub failed", ex);
        }
    }
}
