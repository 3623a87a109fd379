package dev.c2cast.examples.streamsmart;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Settings of one cloud clone. A clone without {@code join} is the radix: it takes its phone's RTP on its data port
 * and accepts joining clones on its control port; a clone with {@code join} becomes a tree member under that radix.
 *
 * @param name          unique name in the overlay.
 * @param bindHost      local address for every socket ({@code 0.0.0.0} for all).
 * @param dataPort      UDP port for the stream (phone to radix, parent to child); 0 for any.
 * @param rtspPort      TCP port of the RTSP server for the clone's own phone; 0 for any.
 * @param controlPort   TCP port where the radix accepts joins; 0 for any; ignored on members.
 * @param join          the radix's control address, or null to be the radix.
 * @param advertiseHost the address other clones send the stream to, or null for the address used to reach the radix.
 * @param shape         star or tree (decided by the radix).
 * @param fanout        children per clone in a tree.
 * @param maxDepth      depth past which the tree grows in width.
 * @param record        Annex B file to record the stream to, or null.
 */
record CloneConfig(
    String name,
    String bindHost,
    int dataPort,
    int rtspPort,
    int controlPort,
    InetSocketAddress join,
    String advertiseHost,
    Shape shape,
    int fanout,
    int maxDepth,
    Path record)
{
    static final int FANOUT_DEFAULT = 2;
    static final int MAX_DEPTH_DEFAULT = 6;
    static final int CONTROL_PORT_DEFAULT = 7400;
    static final int DATA_PORT_DEFAULT = 7401;
    static final int RTSP_PORT_DEFAULT = 8554;

    CloneConfig
    {
        if (name == null || name.isBlank() || name.contains(" ") || name.contains(",") || name.contains("@"))
        {
            throw new IllegalArgumentException("clone name '" + name + "' must be one word without ',' or '@'");
        }
        if (fanout < 1 || maxDepth < 1)
        {
            throw new IllegalArgumentException("fanout and max depth must be at least 1");
        }
    }

    boolean isRadix()
    {
        return join == null;
    }

    static CloneConfig radix(final String name, final Shape shape, final int fanout)
    {
        return new CloneConfig(name, "127.0.0.1", 0, 0, 0, null, "127.0.0.1", shape, fanout, MAX_DEPTH_DEFAULT, null);
    }

    static CloneConfig member(final String name, final InetSocketAddress radix)
    {
        return new CloneConfig(name, "127.0.0.1", 0, 0, 0, radix, "127.0.0.1", Shape.TREE, FANOUT_DEFAULT, MAX_DEPTH_DEFAULT, null);
    }
}
