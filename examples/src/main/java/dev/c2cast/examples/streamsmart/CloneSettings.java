package dev.c2cast.examples.streamsmart;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.c2cast.streamsmart.tree.TopologyKind;
import dev.c2cast.streamsmart.tree.TreeConfig;

/**
 * Settings of one cloud clone. A clone without {@code join} is the radix: it takes its phone's RTP on its data port
 * and admits joining clones on its control port; a clone with {@code join} becomes a tree member under that radix.
 *
 * @param name          unique name in the overlay.
 * @param bindHost      local address for every socket ({@code 0.0.0.0} for all).
 * @param dataPort      radix: UDP port for the phone's RTP/RTCP; members: UDP port of the tree socket; 0 for any.
 * @param rtspPort      TCP port of the RTSP server for the clone's own phone; 0 for any.
 * @param controlPort   TCP port where the radix admits joining clones; 0 for any; ignored on members.
 * @param join          the radix's control address, or null to be the radix.
 * @param advertiseHost the address other clones reach this one at, or null for the address used to reach the radix.
 * @param topology      star or balanced tree (decided by the radix).
 * @param fanout        children per clone in a tree.
 * @param maxDepth      depth past which the tree grows in width.
 * @param record        Annex B file to record the stream to, or null.
 */
record CloneSettings(
    String name,
    String bindHost,
    int dataPort,
    int rtspPort,
    int controlPort,
    InetSocketAddress join,
    String advertiseHost,
    TopologyKind topology,
    int fanout,
    int maxDepth,
    Path record)
{
    static final int FANOUT_DEFAULT = 2;
    static final int MAX_DEPTH_DEFAULT = TreeConfig.MAX_DEPTH_DEFAULT;
    static final int CONTROL_PORT_DEFAULT = 7400;
    static final int DATA_PORT_DEFAULT = 7401;
    static final int RTSP_PORT_DEFAULT = 8554;
    /**
     * Heartbeat period of the overlay. Slower than the library's 50 ms default: a demo runs 17 clones, 16 RTSP
     * viewers and ffprobe on a laptop's cores, where a 150 ms silence is often scheduling, not a dead clone.
     */
    static final long HEARTBEAT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Silence after which a neighbour clone counts as lost (see {@link #HEARTBEAT_NANOS}). */
    static final long LIVENESS_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** How long a leaving clone keeps forwarding while its children move. */
    static final long LEAVE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

    CloneSettings
    {
        if (name == null || !RendezvousProtocol.isName(name))
        {
            throw new IllegalArgumentException("clone name '" + name + "' must be 1 to " + RendezvousProtocol.MAX_NAME_LENGTH
                + " letters, digits, '.', '_' or '-'");
        }
        if (fanout < 1 || maxDepth < 1)
        {
            throw new IllegalArgumentException("fanout and max depth must be at least 1");
        }
        if (topology == null)
        {
            throw new IllegalArgumentException("topology is required");
        }
    }

    boolean isRadix()
    {
        return join == null;
    }

    /**
     * The streamsmart-tree parameters of this clone: the radix's topology and shape, the examples' liveness timings.
     * In a star the radix takes every member; in a tree it has at most {@code fanout} children, like every member.
     *
     * @return the tree configuration.
     */
    TreeConfig tree()
    {
        final TreeConfig defaults = TreeConfig.defaults().withTopology(topology)
            .withTimings(HEARTBEAT_NANOS, LIVENESS_TIMEOUT_NANOS, LEAVE_TIMEOUT_NANOS);
        return defaults.withShape(fanout, maxDepth, topology == TopologyKind.STAR ? Rendezvous.MAX_MEMBERS : fanout);
    }

    /**
     * The word the command line and the reports use for a topology.
     *
     * @param topology the topology.
     * @return {@code star} or {@code tree}.
     */
    static String label(final TopologyKind topology)
    {
        return topology == TopologyKind.STAR ? "star" : "tree";
    }

    /**
     * The topology named on the command line.
     *
     * @param label {@code star} or {@code tree}, any case.
     * @return the topology.
     * @throws IllegalArgumentException for another word.
     */
    static TopologyKind topology(final String label)
    {
        return switch (label.trim().toLowerCase(Locale.ROOT))
        {
            case "star" -> TopologyKind.STAR;
            case "tree" -> TopologyKind.BALANCED_TREE;
            default -> throw new IllegalArgumentException("'" + label + "' is not star or tree");
        };
    }

    static CloneSettings radix(final String name, final TopologyKind topology, final int fanout)
    {
        return new CloneSettings(name, "127.0.0.1", 0, 0, 0, null, "127.0.0.1", topology, fanout, MAX_DEPTH_DEFAULT, null);
    }

    static CloneSettings member(final String name, final InetSocketAddress radix)
    {
        return new CloneSettings(name, "127.0.0.1", 0, 0, 0, radix, "127.0.0.1", TopologyKind.BALANCED_TREE, FANOUT_DEFAULT,
            MAX_DEPTH_DEFAULT, null);
    }
}
