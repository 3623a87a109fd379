package dev.c2cast.examples.streamsmart;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Locale;

import dev.c2cast.examples.internal.OptionCommand;
import dev.c2cast.examples.internal.Options;
import dev.c2cast.examples.internal.Shutdown;
import dev.c2cast.streamsmart.tree.MemberStats;
import dev.c2cast.streamsmart.tree.TopologyKind;

/** The {@code clone} command: one StreamSmart cloud clone, radix or tree member, until Ctrl-C. */
public final class CloneCommand extends OptionCommand
{
    /** Creates the command. */
    public CloneCommand()
    {
        super(new Options("clone", """
            A StreamSmart cloud clone. Without --join it is the radix: its phone pushes RTP/UDP to --data-port, or pushes
            with RTSP ANNOUNCE/RECORD to rtsp://ADVERTISE:RTSP-PORT/phone, and other clones join it on --control-port.
            With --join HOST:PORT it is admitted by that radix (member id, join token, addresses of the other clones)
            and joins its stream as a tree member (streamsmart-tree's protocol on UDP). Every clone forwards the stream to its
            children and serves its own phone at rtsp://ADVERTISE:RTSP-PORT/live with rtp-h264's RTSP server (RTP over
            UDP or interleaved on the RTSP connection; ffplay, ffprobe, VLC, GStreamer rtspsrc all play it).""")
            .option("name", "NAME", null, "unique clone name (default: clone-<pid>)")
            .option("bind", "HOST", "0.0.0.0", "local address for all sockets")
            .option("advertise", "HOST", null, "address other clones send to (default: the one used to reach the radix)")
            .option("join", "HOST:PORT", null, "radix control address to join as a member")
            .option("control-port", "PORT", Integer.toString(CloneSettings.CONTROL_PORT_DEFAULT), "radix: TCP port for joining clones")
            .option("data-port", "PORT", null, "radix: UDP port for the phone's RTP (default " + CloneSettings.DATA_PORT_DEFAULT + "); members: UDP port of the tree socket (default any)")
            .option("rtsp-port", "PORT", Integer.toString(CloneSettings.RTSP_PORT_DEFAULT), "RTSP port for this clone's phone (0: any)")
            .option("shape", "star|tree", "tree", "radix: interconnection of the clones")
            .option("fanout", "N", Integer.toString(CloneSettings.FANOUT_DEFAULT), "radix: children per clone in the tree")
            .option("max-depth", "N", Integer.toString(CloneSettings.MAX_DEPTH_DEFAULT), "radix: depth after which the tree grows in width")
            .option("record", "FILE", null, "record the stream to this Annex B file (a member joins with the intent RECORD)")
            .option("stats-interval", "SECONDS", "5", "seconds between status lines (0: none)")
            .option("duration", "SECONDS", "0", "stop after this long (0: run until Ctrl-C)"),
            "StreamSmart cloud clone: radix or tree member, forwards the stream, serves its phone over RTSP");
    }

    @Override
    protected int execute(final Options.Parsed parsed, final PrintStream out, final PrintStream err) throws Exception
    {
        final InetSocketAddress join = parsed.has("join") ? parsed.address("join", "127.0.0.1") : null;
        final String pid = Long.toString(ProcessHandle.current().pid());
        final String name = parsed.has("name") ? parsed.string("name") : "clone-" + pid;
        final int dataPort = parsed.has("data-port") ? parsed.integer("data-port", 0, 65535)
            : join == null ? CloneSettings.DATA_PORT_DEFAULT : 0;
        final TopologyKind shape = CloneSettings.topology(parsed.choice("shape", "star", "tree"));
        final CloneSettings config;
        try
        {
            config = new CloneSettings(name, parsed.string("bind"), dataPort, parsed.integer("rtsp-port", 0, 65535),
                parsed.integer("control-port", 0, 65535), join, parsed.string("advertise"), shape,
                parsed.integer("fanout", 1, 1024), parsed.integer("max-depth", 1, 64), parsed.path("record"));
        }
        catch (final IllegalArgumentException ex)
        {
            throw usage(ex.getMessage());
        }
        final int statsSeconds = parsed.integer("stats-interval", 0, 3600);
        final int duration = parsed.integer("duration", 0, Integer.MAX_VALUE);
        try (Shutdown shutdown = new Shutdown().installHook())
        {
            final CloudClone clone = shutdown.register(new CloudClone(config));
            if (config.isRadix())
            {
                out.printf("clone %s: radix (%s, fan-out %d), phone RTP to udp://%s:%d or RTSP push to %s, joins at %s:%d, "
                        + "viewers at %s%n",
                    name, CloneSettings.label(shape), config.fanout(), clone.dataAddress().getHostString(),
                    clone.dataAddress().getPort(), clone.pushUrl(), clone.controlAddress().getHostString(),
                    clone.controlAddress().getPort(), clone.rtspUrl());
            }
            else
            {
                // The URL for viewers follows the position lines: without --advertise, the address this clone is
                // reached at is the one it uses to reach the radix, known once connected.
                out.printf("clone %s: joining %s:%d%n", name, join.getHostString(), join.getPort());
            }
            out.flush();
            final long end = duration == 0 ? Long.MAX_VALUE : System.nanoTime() + duration * 1_000_000_000L;
            final long cpuStart = CloudClone.cpuNanos(clone.stats());
            final long wallStart = System.nanoTime();
            long nextStats = statsSeconds == 0 ? Long.MAX_VALUE : wallStart + statsSeconds * 1_000_000_000L;
            String position = "";
            while (!shutdown.isRequested() && System.nanoTime() < end)
            {
                if (shutdown.await(100))
                {
                    break;
                }
                final MemberStats stats = clone.stats();
                if (!config.isRadix())
                {
                    final String now = stats != null && "ATTACHED".equals(stats.state())
                        ? "member at depth " + stats.depth() + " under " + clone.nameOf(stats.parent()) + ", "
                            + stats.children().length + " children, viewers at " + clone.rtspUrl()
                        : "not in the tree (" + CloudClone.role(stats) + ")";
                    if (!now.equals(position))
                    {
                        position = now;
                        out.printf("clone %s: %s%n", name, now);
                        out.flush();
                    }
                }
                if (System.nanoTime() >= nextStats && stats != null)
                {
                    nextStats += statsSeconds * 1_000_000_000L;
                    final double cpu = 100.0 * (CloudClone.cpuNanos(stats) - cpuStart) / Math.max(1, System.nanoTime() - wallStart);
                    out.printf(Locale.ROOT, "clone %s: %s depth %d, %d children, %d viewers, %d packets, loss %.2f%%, "
                            + "latency %.1f ms (hop p99 %.1f ms), egress copies/packet %.2f, repairs %d, event loop CPU %.1f%% "
                            + "(max lag %.1f ms)%n",
                        name, CloudClone.role(stats), stats.depth(), stats.children().length, clone.viewers(),
                        clone.ingressPackets(stats), clone.meter().lossPercent(), clone.meter().meanLatencyMillis(),
                        stats.hopLatencyP99Nanos() / 1e6, CloudClone.egressCopiesPerPacket(stats), stats.repairRequests(), cpu,
                        stats.loopLagMaxNanos() / 1e6);
                    out.flush();
                }
            }
            out.printf(Locale.ROOT, "clone %s: stopping after %d packets, %d frames%n", name, clone.ingressPackets(clone.stats()), clone.frames());
        }
        return 0;
    }
}
