package dev.c2cast.streamsmart.tree;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.LongSupplier;

import io.netty.channel.EventLoopGroup;

/**
 * How one clone runs on the network: its identity, tree parameters, the event loops and address it uses, the
 * directory of other clones, and where media goes.
 *
 * @param memberId  this clone's member id.
 * @param tree      tree and liveness parameters.
 * @param group     event loops; the clone is confined to one of them.
 * @param bind      local UDP address (port 0 picks one).
 * @param directory addresses of the other clones.
 * @param listener  receives media for the phone.
 * @param clock     nanosecond clock; token expiry is in its time base, so clones must share it (wall-clock epoch
 *                  nanos in production, see {@link #EPOCH_NANOS}).
 * @param security  DTLS between clones, or null for plain UDP (the default); see {@link #withSecurity}.
 */
public record CloneConfig(
    long memberId,
    TreeConfig tree,
    EventLoopGroup group,
    InetSocketAddress bind,
    Directory directory,
    MediaListener listener,
    LongSupplier clock,
    CloneSecurity security)
{
    /** Wall-clock epoch nanoseconds, the clock to share between processes. */
    public static final LongSupplier EPOCH_NANOS = () ->
    {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };

    /**
     * Validates the configuration.
     *
     * @param memberId  member id.
     * @param tree      tree parameters.
     * @param group     event loops.
     * @param bind      local address.
     * @param directory directory.
     * @param listener  media listener.
     * @param clock     clock.
     * @param security  DTLS configuration, or null for plain UDP.
     */
    public CloneConfig
    {
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(clock, "clock");
        if (memberId == Topology.NONE)
        {
            throw new IllegalArgumentException("reserved member id");
        }
    }

    /**
     * A plain-UDP clone's configuration.
     *
     * @param memberId  member id.
     * @param tree      tree parameters.
     * @param group     event loops.
     * @param bind      local address.
     * @param directory directory.
     * @param listener  media listener.
     * @param clock     clock.
     */
    public CloneConfig(
        final long memberId, final TreeConfig tree, final EventLoopGroup group, final InetSocketAddress bind,
        final Directory directory, final MediaListener listener, final LongSupplier clock)
    {
        this(memberId, tree, group, bind, directory, listener, clock, null);
    }

    /**
     * The same configuration with DTLS between clones: mutual certificate authentication against the owner's CA,
     * encrypted control and media. Every clone of a stream must use it, or none.
     *
     * @param security the DTLS configuration, or null for plain UDP.
     * @return the configuration.
     */
    public CloneConfig withSecurity(final CloneSecurity security)
    {
        return new CloneConfig(memberId, tree, group, bind, directory, listener, clock, security);
    }
}
