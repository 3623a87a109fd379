package dev.c2cast.examples.microcast;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.c2cast.examples.internal.Charts;
import dev.c2cast.examples.internal.Csv;
import dev.c2cast.examples.internal.LiveTable;
import dev.c2cast.examples.internal.OptionCommand;
import dev.c2cast.examples.internal.Options;
import dev.c2cast.examples.internal.Shutdown;
import dev.c2cast.examples.internal.Threads;
import dev.c2cast.microcast.download.DownloadSession;
import dev.c2cast.microcast.download.MicroDownloadConfig;
import dev.c2cast.microcast.download.PlaybackServer;
import dev.c2cast.microcast.download.Requester;
import dev.c2cast.microcast.download.SegmentRange;
import dev.c2cast.microcast.download.SegmentStore;
import dev.c2cast.microcast.nc.CodingParameters;
import dev.c2cast.microcast.nc.p2.SegmentManifest;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * The {@code microcast-demo} command: an embedded HTTP origin serves the bundled video; N devices with per-device
 * cellular rate limits (some slow, one without a link) fetch it as a group with MicroDownload and share it over a
 * local pseudo-broadcast medium, once with MicroNC-P2, once with BitTorrent-Pull, and once without cooperation
 * (microcast.txt, section VI). The report compares download time, average rate and local traffic, and every
 * device's file is checked against the origin's SHA-256.
 */
public final class MicroCastDemo extends OptionCommand
{
    /** Generation size g: packets per segment (BitTorrent-Pull tracks at most 64 blocks). */
    static final int GENERATION_SIZE = 64;
    /** Symbol size s: one packet's payload, one local frame. */
    static final int SYMBOL_SIZE = 1024;

    /** Creates the command. */
    public MicroCastDemo()
    {
        super(new Options("microcast-demo", """
            An embedded HTTP origin serves the bundled 20 s video (2 MB); N devices with per-device cellular rate limits
            download it as a group with MicroDownload and share segments over a local pseudo-broadcast medium: with
            MicroNC-P2, with BitTorrent-Pull, and without cooperation. Shows a progress bar per device, then compares
            download time, average rate and local traffic, writes CSV and PNG charts, and checks every device's file
            against the origin's SHA-256. Exit status 0 when every MicroCast device has the exact file and MicroCast's
            local traffic is below BitTorrent-Pull's.""")
            .option("rates", "LIST", "8,4,2,0", "cellular link rate of each device in Mbit/s (0: no cellular link)")
            .option("file", "FILE", "bundled", "file the origin serves, or 'bundled' for the bundled video.mp4")
            .option("modes", "LIST", "microcast,bittorrent-pull,no-cooperation", "runs, in order")
            .option("out", "DIR", "microcast-demo", "directory for CSV, PNG and the devices' files")
            .option("timeout", "SECONDS", "90", "give up on a run after this long")
            .option("refresh", "MILLIS", "500", "progress refresh period")
            .flag("no-ansi", "print progress as plain lines instead of redrawing it in place"),
            "MicroCast on one machine: HTTP origin, N rate-limited devices, MicroNC-P2 vs BitTorrent-Pull vs none");
    }

    /** One device's outcome in one run. */
    record DeviceResult(int device, double rateMbps, double seconds, int downloaded, int received, long localBytes,
        boolean verified, String playbackUrl)
    {
    }

    /** One run's outcome. */
    record Run(Mode mode, List<DeviceResult> devices, long localBytes, boolean allVerified)
    {
        double groupSeconds()
        {
            double max = 0;
            for (final DeviceResult device : devices)
            {
                if (device.rateMbps() > 0 || mode != Mode.NO_COOPERATION)
                {
                    max = Math.max(max, Double.isNaN(device.seconds()) ? Double.POSITIVE_INFINITY : device.seconds());
                }
            }
            return max;
        }

        double meanRateMbps(final long fileSize)
        {
            double sum = 0;
            int count = 0;
            for (final DeviceResult device : devices)
            {
                if (!Double.isNaN(device.seconds()))
                {
                    sum += fileSize * 8 / 1e6 / device.seconds();
                    count++;
                }
            }
            return count == 0 ? 0 : sum / count;
        }
    }

    @Override
    protected int execute(final Options.Parsed parsed, final PrintStream out, final PrintStream err) throws Exception
    {
        final List<Double> rates = new ArrayList<>();
        for (final String item : parsed.required("rates").split(","))
        {
            try
            {
                final double rate = Double.parseDouble(item.trim());
                if (!(rate >= 0 && rate <= 10_000))
                {
                    throw new NumberFormatException(item);
                }
                rates.add(rate);
            }
            catch (final NumberFormatException ex)
            {
                throw usage("option --rates: '" + item + "' is not a rate in Mbit/s");
            }
        }
        if (rates.stream().noneMatch(rate -> rate > 0))
        {
            throw usage("option --rates: at least one device needs a cellular link");
        }
        final List<Mode> modes = new ArrayList<>();
        for (final String item : parsed.required("modes").split(","))
        {
            final Mode mode = switch (item.trim().toLowerCase(Locale.ROOT))
            {
                case "microcast" -> Mode.MICROCAST;
                case "bittorrent-pull" -> Mode.BITTORRENT_PULL;
                case "no-cooperation" -> Mode.NO_COOPERATION;
                default -> throw usage("option --modes: '" + item + "' is not microcast, bittorrent-pull or "
                    + "no-cooperation");
            };
            modes.add(mode);
        }
        final Path dir = parsed.path("out");
        final long timeoutMillis = parsed.integer("timeout", 1, 3600) * 1000L;
        final long refresh = parsed.integer("refresh", 50, 60_000);
        final boolean ansi = !parsed.flag("no-ansi") && LiveTable.terminalSupportsAnsi();
        final byte[] file = load(parsed.string("file"));
        final String originSha = sha256(file);
        final CodingParameters parameters = new CodingParameters(GENERATION_SIZE, SYMBOL_SIZE);
        // The initiator's integrity manifest (SHA-256 of every segment); every device checks what it decodes.
        final SegmentManifest manifest = SegmentManifest.of(file, parameters);
        out.printf(Locale.ROOT, "MicroCast demo: %d devices (cellular %s Mbit/s), file of %d bytes in %d segments of %d KB, "
                + "origin SHA-256 %s%n", rates.size(), parsed.string("rates"), file.length,
            SegmentRange.count(file.length, parameters.capacity()), parameters.capacity() / 1024, originSha);
        Files.createDirectories(dir);
        final List<Run> runs = new ArrayList<>();
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, Threads.factory("netty"), NioIoHandler.newFactory());
        try (Shutdown shutdown = new Shutdown().installHook())
        {
            final SegmentStore originStore = SegmentStore.open(dir.resolve("origin"), file.length, parameters.capacity(), "\"c2cast-video\"");
            for (int i = 0; i < originStore.segmentCount(); i++)
            {
                final SegmentRange range = originStore.range(i);
                if (!originStore.has(i))
                {
                    originStore.put(range, Unpooled.wrappedBuffer(file, (int)range.offset(), range.length()));
                }
            }
            try (PlaybackServer origin = PlaybackServer.start(originStore, "/video.mp4", "video/mp4", TimeUnit.SECONDS.toNanos(5),
                group, new InetSocketAddress("127.0.0.1", 0)))
            {
                final URI uri = URI.create("http://127.0.0.1:" + origin.localAddress().getPort() + "/video.mp4");
                out.println("origin: " + uri);
                for (final Mode mode : modes)
                {
                    if (shutdown.isRequested())
                    {
                        return 130;
                    }
                    runs.add(runOnce(mode, rates, manifest, originSha, origin.entityTag(), uri, dir, group,
                        timeoutMillis, refresh, ansi, out));
                }
            }
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        return report(runs, file.length, dir, out);
    }

    static byte[] load(final String source) throws IOException
    {
        if (source == null || "bundled".equals(source))
        {
            try (InputStream in = MicroCastDemo.class.getResourceAsStream("/dev/c2cast/examples/media/video.mp4"))
            {
                if (in == null)
                {
                    throw new IOException("bundled video missing from the class path");
                }
                return in.readAllBytes();
            }
        }
        return Files.readAllBytes(Path.of(source));
    }

    static String sha256(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private Run runOnce(
        final Mode mode, final List<Double> rates, final SegmentManifest manifest, final String originSha,
        final String entityTag, final URI origin, final Path dir, final EventLoopGroup group,
        final long timeoutMillis, final long refresh, final boolean ansi, final PrintStream out) throws Exception
    {
        final long fileSize = manifest.fileLength();
        final CodingParameters parameters = manifest.parameters();
        out.println();
        out.println("== " + mode.label());
        final Path runDir = dir.resolve(mode.label());
        deleteTree(runDir);
        final LocalMedium medium = new LocalMedium();
        final List<Device> devices = new ArrayList<>();
        final List<DownloadSession> sessions = new ArrayList<>();
        final List<ScheduledExecutorService> loops = new ArrayList<>();
        final MicroDownloadConfig config = MicroDownloadConfig.defaults().withSegmentSize(parameters.capacity())
            .withStallTimeoutNanos(TimeUnit.SECONDS.toNanos(5));
        try
        {
            final int[] ids = new int[rates.size()];
            for (int d = 0; d < rates.size(); d++)
            {
                ids[d] = d + 1;
                final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(Threads.factory("device-" + (d + 1)));
                final Device device = new Device(d + 1, (long)(rates.get(d) * 1e6 / 8), mode, manifest, entityTag, origin,
                    runDir.resolve("device-" + (d + 1)), group, executor, true, medium.sender(d + 1),
                    new InetSocketAddress("127.0.0.1", 0));
                medium.attach(d + 1, executor, device.engine());
                devices.add(device);
            }
            for (final Device device : devices)
            {
                device.start(ids);
            }
            DownloadSession shared = null;
            for (final Device device : devices)
            {
                if (device.rateBytesPerSecond() == 0)
                {
                    continue;
                }
                DownloadSession session = shared;
                if (session == null)
                {
                    final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(Threads.factory("microdownload"));
                    loops.add(loop);
                    session = new DownloadSession(config, fileSize, loop, System::nanoTime, new SplittableRandom(device.id()),
                        TimeUnit.MILLISECONDS.toNanos(50));
                    sessions.add(session);
                    if (mode != Mode.NO_COOPERATION)
                    {
                        shared = session;
                    }
                }
                final Requester requester = device.requester(session.reports());
                session.join(requester);
            }
            final LiveTable table = new LiveTable(out, ansi, "device", "cellular", "progress", "segments", "via cellular",
                "via local", "local sent", "time");
            final long start = System.nanoTime();
            final long deadline = start + timeoutMillis * 1_000_000L;
            while (true)
            {
                final boolean done = devices.stream().allMatch(d -> d.complete() || (mode == Mode.NO_COOPERATION && d.rateBytesPerSecond() == 0));
                final List<String[]> rows = new ArrayList<>();
                for (final Device device : devices)
                {
                    final int present = device.segmentsPresent();
                    final int width = 24;
                    final int filled = present * width / device.segmentCount();
                    rows.add(new String[] {"d" + device.id(),
                        device.rateBytesPerSecond() == 0 ? "none" : String.format(Locale.ROOT, "%.0f Mbit/s", device.rateBytesPerSecond() * 8 / 1e6),
                        "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + (100 * present / device.segmentCount()) + "%",
                        present + "/" + device.segmentCount(), Integer.toString(device.segmentsDownloaded()),
                        Integer.toString(device.segmentsReceived()), (device.localBytesSent() / 1024) + " KB",
                        device.complete() ? String.format(Locale.ROOT, "%.2f s", device.downloadSeconds()) : ""});
                }
                table.render(String.format(Locale.ROOT, "%s  t=%.1fs  local medium %d frames, %d KB", mode.label(),
                    (System.nanoTime() - start) / 1e9, medium.frames(), medium.bytes() / 1024), rows);
                if (done || System.nanoTime() > deadline)
                {
                    break;
                }
                Thread.sleep(Math.min(refresh, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
            final List<DeviceResult> results = new ArrayList<>();
            long local = 0;
            boolean allVerified = true;
            for (final Device device : devices)
            {
                final long sent = device.engineBytesSent();
                local += sent;
                boolean verified = false;
                if (device.complete())
                {
                    final Path assembled = runDir.resolve("device-" + device.id() + ".mp4");
                    device.assembleTo(assembled);
                    verified = originSha.equals(sha256(Files.readAllBytes(assembled)));
                }
                final boolean expected = mode != Mode.NO_COOPERATION || device.rateBytesPerSecond() > 0;
                allVerified &= verified || !expected;
                results.add(new DeviceResult(device.id(), device.rateBytesPerSecond() * 8 / 1e6, device.downloadSeconds(),
                    device.segmentsDownloaded(), device.segmentsReceived(), sent, verified, device.playbackUrl()));
                out.printf(Locale.ROOT, "d%d: %s%n", device.id(), device.complete()
                    ? String.format(Locale.ROOT, "file complete in %.2f s, SHA-256 %s", device.downloadSeconds(), verified ? "matches the origin" : "MISMATCH")
                    : expected ? "INCOMPLETE after the timeout" : "no cellular link and no cooperation: nothing to download");
            }
            return new Run(mode, results, local, allVerified);
        }
        finally
        {
            for (final DownloadSession session : sessions)
            {
                session.close();
            }
            for (final Device device : devices)
            {
                medium.detach(device.id());
                device.close();
            }
            for (final ScheduledExecutorService loop : loops)
            {
                loop.shutdownNow();
            }
        }
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (var paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }

    private static int report(final List<Run> runs, final long fileSize, final Path dir, final PrintStream out) throws IOException
    {
        out.println();
        out.println("== comparison");
        out.printf("%-34s", "");
        for (final Run run : runs)
        {
            out.printf("%18s", run.mode().label());
        }
        out.println();
        final String[] labels = {"group download time (s)", "mean device rate (Mbit/s)", "local traffic (KB)",
            "files matching the origin SHA-256"};
        for (int i = 0; i < labels.length; i++)
        {
            out.printf("%-34s", labels[i]);
            for (final Run run : runs)
            {
                final String cell = switch (i)
                {
                    case 0 -> Double.isInfinite(run.groupSeconds()) ? "incomplete" : String.format(Locale.ROOT, "%.2f", run.groupSeconds());
                    case 1 -> String.format(Locale.ROOT, "%.2f", run.meanRateMbps(fileSize));
                    case 2 -> Long.toString(run.localBytes() / 1024);
                    default -> run.devices().stream().filter(DeviceResult::verified).count() + "/" + run.devices().size();
                };
                out.printf("%18s", cell);
            }
            out.println();
        }
        boolean ok = true;
        Run microcast = null;
        Run bittorrent = null;
        for (final Run run : runs)
        {
            if (run.mode() == Mode.MICROCAST)
            {
                microcast = run;
            }
            if (run.mode() == Mode.BITTORRENT_PULL)
            {
                bittorrent = run;
            }
        }
        if (microcast != null)
        {
            final boolean all = microcast.devices().stream().allMatch(DeviceResult::verified);
            ok &= all;
            out.println("check microcast: every device's file matches the origin SHA-256: " + (all ? "OK" : "FAILED"));
        }
        if (microcast != null && bittorrent != null)
        {
            final boolean lower = microcast.localBytes() < bittorrent.localBytes();
            ok &= lower;
            out.printf(Locale.ROOT, "check microcast local traffic %d KB < bittorrent-pull %d KB: %s%n", microcast.localBytes() / 1024,
                bittorrent.localBytes() / 1024, lower ? "OK" : "FAILED");
        }
        final List<List<Object>> rows = new ArrayList<>();
        final List<String> categories = new ArrayList<>();
        final Map<String, double[]> times = new LinkedHashMap<>();
        final Map<String, double[]> traffic = new LinkedHashMap<>();
        final double[] localKb = new double[runs.size()];
        for (int r = 0; r < runs.size(); r++)
        {
            final Run run = runs.get(r);
            localKb[r] = run.localBytes() / 1024.0;
            final double[] seconds = new double[run.devices().size()];
            for (int d = 0; d < run.devices().size(); d++)
            {
                final DeviceResult device = run.devices().get(d);
                seconds[d] = Double.isNaN(device.seconds()) ? 0 : device.seconds();
                if (r == 0)
                {
                    categories.add("d" + device.device() + " (" + (device.rateMbps() == 0 ? "no link" : fmt(device.rateMbps()) + " Mbit/s") + ")");
                }
                rows.add(List.of(run.mode().label(), device.device(), fmt(device.rateMbps()), fmt(device.seconds()),
                    device.downloaded(), device.received(), device.localBytes(), device.verified()));
            }
            times.put(run.mode().label(), seconds);
        }
        traffic.put("local traffic (KB)", localKb);
        Csv.write(dir.resolve("microcast-devices.csv"), List.of("mode", "device", "cellular_mbps", "download_s",
            "segments_cellular", "segments_local", "local_bytes_sent", "sha256_ok"), rows);
        Charts.bar(dir.resolve("download-time.png"), "MicroCast demo: time to the whole file per device (0: never)", "s",
            categories, times);
        Charts.bar(dir.resolve("local-traffic.png"), "MicroCast demo: local traffic of the group", "KB",
            runs.stream().map(run -> run.mode().label()).toList(), traffic);
        out.println("wrote " + dir.resolve("microcast-devices.csv") + ", download-time.png, local-traffic.png");
        return ok ? 0 : 1;
    }

    private static String fmt(final double value)
    {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.2f", value);
    }
}
