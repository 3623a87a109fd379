package dev.c2cast.examples.streamsmart;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;


import dev.c2cast.examples.internal.Await;
import dev.c2cast.examples.internal.Charts;
import dev.c2cast.examples.internal.Csv;
import dev.c2cast.examples.internal.LiveTable;
import dev.c2cast.examples.internal.OptionCommand;
import dev.c2cast.examples.internal.Options;
import dev.c2cast.examples.internal.Shutdown;
import dev.c2cast.examples.internal.Threads;
import dev.c2cast.streamsmart.tree.MemberStats;
import dev.c2cast.streamsmart.tree.TopologyKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code streamsmart-demo} command: on loopback, a phone streams the bundled clip to a radix clone that feeds
 * N receiving clones, each watched by a viewing phone over RTSP, first as a star and then as a balanced tree
 * (streamsmart.md, section III); a live table shows every clone, and the report compares the radix's egress copies
 * per packet, CPU, depth, loss and latency, with CSV and PNG charts.
 */
public final class StreamSmartDemo extends OptionCommand
{
    private static final Logger LOG = LoggerFactory.getLogger(StreamSmartDemo.class);

    private BiConsumer<TopologyKind, List<CloudClone>> streamingListener = (shape, clones) ->
    {
    };

    /** Creates the command. */
    public StreamSmartDemo()
    {
        super(new Options("streamsmart-demo", """
            Streams the bundled clip from a phone through N cloud clones on loopback, first connected as a star, then as
            a balanced tree, with a viewing phone on every clone; shows a live table, prints the comparison and writes
            CSV and PNG charts. Exit status 0 when the tree's radix sends at most fan-out copies of each packet and the
            star's radix exactly N.""")
            .option("clones", "N", "16", "receiving clones (besides the radix)")
            .option("fanout", "N", Integer.toString(CloneSettings.FANOUT_DEFAULT), "children per clone in the tree")
            .option("fps", "N", "30", "frame rate of the clip")
            .option("kill", "N", "0", "internal clones to kill halfway through the tree run, to show repair")
            .option("out", "DIR", "streamsmart-demo", "directory for the CSV and PNG files")
            .option("refresh", "MILLIS", "500", "live table refresh period")
            .option("shapes", "LIST", "star,tree", "which runs, in order")
            .flag("no-ansi", "print the table as plain lines instead of redrawing it in place"),
            "StreamSmart on loopback: phone, N clones as star then balanced tree, viewers; live table and report");
    }

    /**
     * Observes each run once the stream flows, for tests that probe a clone while the demo runs.
     *
     * @param listener receives the shape and the receiving clones (not the radix).
     * @return this.
     */
    StreamSmartDemo onStreaming(final BiConsumer<TopologyKind, List<CloudClone>> listener)
    {
        this.streamingListener = listener;
        return this;
    }

    /** The outcome of one run. */
    record Run(TopologyKind shape, int receivers, double radixCopiesPerPacket, double radixCopiesOverRun,
        double radixDatagramsPerPacket, int radixChildren, double radixCpuMillis, int maxDepth,
        double meanLatencyMillis, double maxLatencyMillis, double meanLossPercent, long minFrames, long sentFrames,
        List<String> killed, double longestGapMillis, List<List<Object>> clones)
    {
    }

    @Override
    protected int execute(final Options.Parsed parsed, final PrintStream out, final PrintStream err) throws Exception
    {
        final int clones = parsed.integer("clones", 1, 256);
        final int fanout = parsed.integer("fanout", 1, 64);
        final double fps = parsed.decimal("fps", 1, 1000);
        final int kill = parsed.integer("kill", 0, clones);
        final Path dir = parsed.path("out");
        final long refresh = parsed.integer("refresh", 50, 60_000);
        final boolean ansi = !parsed.flag("no-ansi") && LiveTable.terminalSupportsAnsi();
        final List<TopologyKind> shapes = new ArrayList<>();
        for (final String item : parsed.required("shapes").split(","))
        {
            try
            {
                shapes.add(CloneSettings.topology(item));
            }
            catch (final IllegalArgumentException ex)
            {
                throw usage("option --shapes: " + ex.getMessage());
            }
        }
        final AccessUnits clip = AccessUnits.parse(Clips.bundledClip());
        out.printf(Locale.ROOT, "StreamSmart demo: phone -> radix -> %d clones, each with a viewing phone; clip of %d frames at %.0f fps%n",
            clones, clip.size(), fps);
        final List<Run> runs = new ArrayList<>();
        try (Shutdown shutdown = new Shutdown().installHook())
        {
            for (final TopologyKind shape : shapes)
            {
                if (shutdown.isRequested())
                {
                    return 130;
                }
                runs.add(runOnce(shape, clones, fanout, fps, shape == TopologyKind.BALANCED_TREE ? kill : 0, clip, refresh, ansi, out, shutdown));
            }
        }
        return report(runs, clones, fanout, dir, out);
    }

    private Run runOnce(
        final TopologyKind shape, final int receivers, final int fanout, final double fps, final int kill, final AccessUnits clip,
        final long refresh, final boolean ansi, final PrintStream out, final Shutdown shutdown) throws Exception
    {
        final String label = CloneSettings.label(shape);
        out.println();
        out.printf("== %s: %d clones%s%n", label, receivers, shape == TopologyKind.BALANCED_TREE
            ? ", fan-out " + fanout + (kill > 0 ? ", killing " + kill + " internal clones halfway" : "") : "");
        final List<AutoCloseable> resources = new ArrayList<>();
        try
        {
            final CloudClone radix = new CloudClone(new CloneSettings("radix", "127.0.0.1", 0, 0, 0, null, "127.0.0.1", shape,
                fanout, CloneSettings.MAX_DEPTH_DEFAULT, null));
            resources.add(radix);
            final List<CloudClone> members = new ArrayList<>();
            for (int i = 1; i <= receivers; i++)
            {
                final CloudClone member = new CloudClone(CloneSettings.member("c" + i, radix.controlAddress()));
                resources.add(member);
                members.add(member);
                // One at a time, so the radix fills the tree breadth first in the clones' order.
                Await.until(member::joined, 10_000, member.name() + " to join");
            }
            Await.until(() -> radix.memberCount() == receivers && members.stream().allMatch(CloudClone::joined), 10_000,
                "all clones to join");
            final Map<CloudClone, PhoneViewer> viewers = new LinkedHashMap<>();
            final List<Thread> viewing = new ArrayList<>();
            final long maxMillis = (long)(clip.size() / fps * 1000) + 30_000;
            for (final CloudClone member : members)
            {
                final PhoneViewer viewer = new PhoneViewer(URI.create(member.rtspUrl()), null);
                resources.add(viewer);
                viewer.connect();
                viewers.put(member, viewer);
                viewing.add(Threads.start("viewer-" + member.name(), () ->
                {
                    try
                    {
                        viewer.run(0, 2_000, maxMillis);
                    }
                    catch (final IOException ex)
                    {
                        LOG.debug("viewer of {} ended", member.name(), ex);
                    }
                }));
            }
            Await.until(() -> members.stream().allMatch(m -> m.viewers() == 1), 10_000, "viewers to start playing");

            final PhoneSender sender = new PhoneSender(clip, radix.dataAddress(), fps, 1, 0x5eed0000 + shape.ordinal());
            resources.add(sender);
            shutdown.register(sender);
            final long radixCpuStart = CloudClone.cpuNanos(radix.stats());
            final Thread sending = Threads.start("phone-send", () ->
            {
                try
                {
                    sender.run();
                }
                catch (final IOException ex)
                {
                    LOG.warn("sender failed", ex);
                }
            });
            final LiveTable table = new LiveTable(out, ansi, "clone", "role", "depth", "children", "cpu%", "packets", "loss%",
                "latency ms", "viewer frames");
            final long start = System.nanoTime();
            final Map<CloudClone, long[]> cpu = new LinkedHashMap<>();
            final List<String> killed = new ArrayList<>();
            double copiesBeforeKill = Double.NaN;
            boolean announced = false;
            while (sending.isAlive())
            {
                sending.join(refresh);
                if (!announced && sender.accessUnitsSent() > 0)
                {
                    announced = true;
                    final CloudClone leaf = members.get(members.size() - 1);
                    out.printf("streaming; watch leaf clone %s (depth %d) with: ffplay -rtsp_transport tcp %s%n",
                        leaf.name(), leaf.stats().depth(), leaf.rtspUrl());
                    out.flush();
                    streamingListener.accept(shape, List.copyOf(members));
                }
                if (kill > 0 && killed.isEmpty() && sender.accessUnitsSent() >= clip.size() / 2)
                {
                    // While orphans are re-placed the radix fosters them (their backup parent is their grandparent),
                    // so over a run with kills its copies exceed the fan-out for a moment: the topology's cost is
                    // measured in the steady state up to the kill, and the whole run is reported apart.
                    copiesBeforeKill = CloudClone.egressCopiesPerPacket(radix.stats());
                    for (final CloudClone member : members)
                    {
                        if (killed.size() < kill && "internal".equals(member.role()))
                        {
                            killed.add(member.name());
                            member.close();
                            viewers.get(member).close();
                        }
                    }
                    out.println("killed " + killed + "; their children re-attach (streamsmart-tree repair)");
                }
                final List<String[]> rows = new ArrayList<>();
                for (final CloudClone clone : concat(radix, members))
                {
                    final boolean dead = killed.contains(clone.name());
                    final MemberStats stats = dead ? null : clone.stats();
                    final long cpuNow = CloudClone.cpuNanos(stats);
                    final long now = System.nanoTime();
                    final long[] previous = cpu.computeIfAbsent(clone, c -> new long[] {cpuNow, now});
                    final double percent = dead ? 0 : 100.0 * (cpuNow - previous[0]) / Math.max(1, now - previous[1]);
                    previous[0] = cpuNow;
                    previous[1] = now;
                    final PhoneViewer viewer = viewers.get(clone);
                    rows.add(new String[] {clone.name(), dead ? "killed" : CloudClone.role(stats),
                        stats == null ? "-" : Integer.toString(stats.depth()),
                        stats == null ? "-" : Integer.toString(stats.children().length), String.format(Locale.ROOT, "%.1f", percent),
                        Long.toString(clone.ingressPackets(stats)), String.format(Locale.ROOT, "%.2f", clone.meter().lossPercent()),
                        String.format(Locale.ROOT, "%.1f", clone.meter().meanLatencyMillis()),
                        viewer == null ? "-" : Long.toString(viewer.frames())});
                }
                table.render(String.format(Locale.ROOT, "%s  t=%.1fs  frames sent %d/%d", label,
                    (System.nanoTime() - start) / 1e9, sender.accessUnitsSent(), clip.size()), rows);
            }
            final double radixCpuMillis = (CloudClone.cpuNanos(radix.stats()) - radixCpuStart) / 1e6;
            for (final Thread thread : viewing)
            {
                thread.join(5_000);
            }
            return summarise(shape, receivers, radix, members, viewers, killed, copiesBeforeKill, radixCpuMillis, sender);
        }
        finally
        {
            for (int i = resources.size() - 1; i >= 0; i--)
            {
                try
                {
                    resources.get(i).close();
                }
                catch (final Exception ex)
                {
                    LOG.debug("close failed", ex);
                }
            }
        }
    }

    private static List<CloudClone> concat(final CloudClone radix, final List<CloudClone> members)
    {
        final List<CloudClone> all = new ArrayList<>();
        all.add(radix);
        all.addAll(members);
        return all;
    }

    private static Run summarise(
        final TopologyKind shape, final int receivers, final CloudClone radix, final List<CloudClone> members,
        final Map<CloudClone, PhoneViewer> viewers, final List<String> killed, final double copiesBeforeKill,
        final double radixCpuMillis, final PhoneSender sender)
    {
        final String label = CloneSettings.label(shape);
        int maxDepth = 0;
        double latencySum = 0;
        int latencyCount = 0;
        double maxLatency = 0;
        double lossSum = 0;
        long minFrames = Long.MAX_VALUE;
        double longestGap = 0;
        final List<List<Object>> rows = new ArrayList<>();
        final MemberStats radixStats = radix.stats();
        rows.add(List.of(label, radix.name(), "radix", 0, radixStats.children().length,
            radix.ingressPackets(radixStats), radixStats.mediaPacketsOut(), fmt(radix.meter().lossPercent()), "", "", "", ""));
        for (final CloudClone member : members)
        {
            final PhoneViewer viewer = viewers.get(member);
            final boolean dead = killed.contains(member.name());
            final MemberStats stats = dead ? null : member.stats();
            // One-way latency and loss are measured by the clone serving the viewer (the phone's RTCP SR relayed by
            // the radix's rendezvous); rtp-h264's RtspClient gives the viewer access units only, so it counts
            // incomplete frames.
            final StreamMeter meter = member.meter();
            final double incomplete = viewer.frames() == 0 ? 0 : 100.0 * viewer.incompleteFrames() / viewer.frames();
            if (!dead)
            {
                maxDepth = Math.max(maxDepth, stats == null ? 0 : stats.depth());
                if (!Double.isNaN(meter.meanLatencyMillis()))
                {
                    latencySum += meter.meanLatencyMillis();
                    latencyCount++;
                    maxLatency = Math.max(maxLatency, meter.maxLatencyMillis());
                }
                lossSum += incomplete;
                minFrames = Math.min(minFrames, viewer.frames());
                longestGap = Math.max(longestGap, meter.maxGapMillis());
            }
            rows.add(List.of(label, member.name(), dead ? "killed" : CloudClone.role(stats), stats == null ? -1 : stats.depth(),
                stats == null ? 0 : stats.children().length, member.ingressPackets(stats), stats == null ? 0 : stats.mediaPacketsOut(),
                fmt(meter.lossPercent()), viewer.frames(), fmt(incomplete), fmt(meter.meanLatencyMillis()),
                fmt(meter.maxLatencyMillis())));
        }
        final int alive = receivers - killed.size();
        final double copies = CloudClone.egressCopiesPerPacket(radixStats);
        return new Run(shape, receivers, killed.isEmpty() ? copies : copiesBeforeKill, copies,
            CloudClone.egressDatagramsPerPacket(radixStats), radixStats.children().length, radixCpuMillis, maxDepth,
            latencyCount == 0 ? Double.NaN : latencySum / latencyCount, maxLatency, alive == 0 ? 0 : lossSum / alive,
            minFrames == Long.MAX_VALUE ? 0 : minFrames, sender.accessUnitsSent(), List.copyOf(killed), longestGap, rows);
    }

    private static String fmt(final double value)
    {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static int report(final List<Run> runs, final int receivers, final int fanout, final Path dir, final PrintStream out)
        throws IOException
    {
        out.println();
        out.println("== comparison");
        final String[] labels = {"radix egress copies per packet", "  over the run, with kills", "  datagrams incl. repair replays", "radix event-loop CPU (ms)", "max depth",
            "clone latency mean (ms)", "clone latency max (ms)", "viewer incomplete frames (%)", "frames per viewer (min / sent)",
            "killed clones", "longest stream gap at a clone (ms)"};
        out.printf("%-36s", "");
        for (final Run run : runs)
        {
            out.printf("%14s", CloneSettings.label(run.shape()));
        }
        out.println();
        for (int i = 0; i < labels.length; i++)
        {
            out.printf("%-36s", labels[i]);
            for (final Run run : runs)
            {
                final String cell = switch (i)
                {
                    case 0 -> String.format(Locale.ROOT, "%.2f", run.radixCopiesPerPacket());
                    case 1 -> String.format(Locale.ROOT, "%.2f", run.radixCopiesOverRun());
                    case 2 -> String.format(Locale.ROOT, "%.2f", run.radixDatagramsPerPacket());
                    case 3 -> String.format(Locale.ROOT, "%.1f", run.radixCpuMillis());
                    case 4 -> Integer.toString(run.maxDepth());
                    case 5 -> String.format(Locale.ROOT, "%.1f", run.meanLatencyMillis());
                    case 6 -> String.format(Locale.ROOT, "%.1f", run.maxLatencyMillis());
                    case 7 -> String.format(Locale.ROOT, "%.2f", run.meanLossPercent());
                    case 8 -> run.minFrames() + " / " + run.sentFrames();
                    case 9 -> Integer.toString(run.killed().size());
                    default -> String.format(Locale.ROOT, "%.0f", run.longestGapMillis());
                };
                out.printf("%14s", cell);
            }
            out.println();
        }
        boolean ok = true;
        for (final Run run : runs)
        {
            final boolean holds = run.shape() == TopologyKind.BALANCED_TREE
                ? run.radixCopiesPerPacket() <= fanout + 1e-9 && run.radixChildren() <= fanout
                : Math.abs(run.radixCopiesPerPacket() - receivers) < 1e-9;
            ok &= holds;
            out.printf(Locale.ROOT, "check %s: radix egress copies per packet %.2f %s %d: %s%s%n",
                CloneSettings.label(run.shape()), run.radixCopiesPerPacket(),
                run.shape() == TopologyKind.BALANCED_TREE ? "<= fan-out" : "= receivers",
                run.shape() == TopologyKind.BALANCED_TREE ? fanout : receivers, holds ? "OK" : "FAILED",
                run.killed().isEmpty() ? "" : String.format(Locale.ROOT, " (up to the kill; over the run %.2f with the orphans "
                    + "fostered, %.2f datagrams with the repairs' replays; %d children after the repair)", run.radixCopiesOverRun(),
                    run.radixDatagramsPerPacket(), run.radixChildren()));
        }
        final List<List<Object>> summary = new ArrayList<>();
        final List<List<Object>> clones = new ArrayList<>();
        final List<String> categories = new ArrayList<>();
        final double[] copies = new double[runs.size()];
        final double[] cpu = new double[runs.size()];
        final Map<String, double[][]> latencyByDepth = new LinkedHashMap<>();
        for (int r = 0; r < runs.size(); r++)
        {
            final Run run = runs.get(r);
            final String shape = CloneSettings.label(run.shape());
            summary.add(List.of(shape, run.receivers(), fmt(run.radixCopiesPerPacket()), fmt(run.radixCopiesOverRun()),
                fmt(run.radixDatagramsPerPacket()),
                fmt(run.radixCpuMillis()), run.maxDepth(),
                fmt(run.meanLatencyMillis()), fmt(run.maxLatencyMillis()), fmt(run.meanLossPercent()), run.minFrames(),
                run.sentFrames(), run.killed().size(), fmt(run.longestGapMillis())));
            clones.addAll(run.clones());
            categories.add(shape);
            copies[r] = run.radixCopiesPerPacket();
            cpu[r] = run.radixCpuMillis();
            latencyByDepth.put(shape, latencyByDepth(run));
        }
        Csv.write(dir.resolve("streamsmart-summary.csv"), List.of("shape", "receivers", "radix_copies_per_packet",
            "radix_copies_over_run", "radix_datagrams_per_packet", "radix_cpu_ms",
            "max_depth", "latency_mean_ms", "latency_max_ms", "viewer_incomplete_pct", "min_frames", "sent_frames", "killed", "longest_gap_ms"), summary);
        Csv.write(dir.resolve("streamsmart-clones.csv"), List.of("shape", "clone", "role", "depth", "children", "packets_in",
            "copies_out", "loss_pct", "viewer_frames", "viewer_incomplete_pct", "clone_latency_mean_ms", "clone_latency_max_ms"), clones);
        final Map<String, double[]> copiesSeries = new LinkedHashMap<>();
        copiesSeries.put("radix egress copies per packet", copies);
        Charts.bar(dir.resolve("radix-egress-copies.png"), "StreamSmart: radix egress copies per packet", "copies",
            categories, copiesSeries);
        final Map<String, double[]> cpuSeries = new LinkedHashMap<>();
        cpuSeries.put("radix event-loop CPU (ms)", cpu);
        Charts.bar(dir.resolve("radix-cpu.png"), "StreamSmart: radix event-loop CPU over the clip", "ms", categories, cpuSeries);
        Charts.line(dir.resolve("latency-by-depth.png"), "StreamSmart: one-way latency by clone depth", "depth", "ms",
            latencyByDepth);
        out.println("wrote " + dir.resolve("streamsmart-summary.csv") + ", streamsmart-clones.csv, radix-egress-copies.png, "
            + "radix-cpu.png, latency-by-depth.png");
        return ok ? 0 : 1;
    }

    private static double[][] latencyByDepth(final Run run)
    {
        final Map<Integer, double[]> sums = new java.util.TreeMap<>();
        for (final List<Object> row : run.clones())
        {
            final String latency = (String)row.get(10);
            if (!"radix".equals(row.get(2)) && !"killed".equals(row.get(2)) && !latency.isEmpty())
            {
                final double[] sum = sums.computeIfAbsent((Integer)row.get(3), d -> new double[2]);
                sum[0] += Double.parseDouble(latency);
                sum[1]++;
            }
        }
        final double[][] points = new double[sums.size()][];
        int i = 0;
        for (final Map.Entry<Integer, double[]> entry : sums.entrySet())
        {
            points[i++] = new double[] {entry.getKey(), entry.getValue()[0] / entry.getValue()[1]};
        }
        return points;
    }
}
