package dev.c2cast.examples.microcast;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.c2cast.examples.internal.OptionCommand;
import dev.c2cast.examples.internal.Options;
import dev.c2cast.examples.internal.Shutdown;
import dev.c2cast.examples.internal.Threads;
import dev.c2cast.examples.internal.UsageException;
import dev.c2cast.microcast.download.MicroDownloadConfig;
import dev.c2cast.microcast.download.ReliableControlPlane;
import dev.c2cast.microcast.download.Requester;
import dev.c2cast.microcast.download.SegmentRange;
import dev.c2cast.microcast.nc.CodingParameters;
import dev.c2cast.microcast.nc.p2.DisseminationEngine;
import dev.c2cast.microcast.nc.p2.SegmentManifest;
import dev.c2cast.pseudobroadcast.NodeId;
import dev.c2cast.pseudobroadcast.ReliableConfig;
import dev.c2cast.pseudobroadcast.UdpTransport;
import dev.c2cast.pseudobroadcast.UdpTransportConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * The {@code device} command: one MicroCast group member as its own process. It joins the group on a UDP multicast
 * pseudo-broadcast transport (pseudobroadcast), downloads the segments MicroDownload assigns it over its own HTTP
 * link, shares segments with MicroNC-P2 (or BitTorrent-Pull), stores the file and serves it for playback over HTTP.
 * The initiator runs the MicroDownload scheduler; assignments and reports travel over pseudobroadcast's reliable
 * messaging.
 */
public final class DeviceCommand extends OptionCommand
{
    private static final int GROUP_ID = 0x4D430001;

    /** Creates the command. */
    public DeviceCommand()
    {
        super(new Options("device", """
            A MicroCast device. Every device of a group uses the same --group, --url and --mode; each has its own --id.
            The initiator (--initiate) runs MicroDownload; every device with a cellular link (--rate above 0) joins it
            over the group's reliable messaging, downloads the segments leased to it from --url at --rate, shares
            segments over the multicast group, stores the file in --dir and serves it at
            http://HOST:HTTP-PORT/video.mp4 while it arrives.""")
            .option("id", "N", null, "this device's id, 1 to 65535, unique in the group")
            .option("url", "URL", null, "the file to download (HTTP/1.1 server with range support)")
            .option("group", "ADDR:PORT", "239.255.67.1:47100", "UDP multicast group of the pseudo-broadcast medium")
            .option("interface", "NAME", "lo", "network interface of the multicast group")
            .option("rate", "MBIT", "0", "cellular link rate in Mbit/s (0: no cellular link)")
            .option("mode", "microcast|bittorrent-pull", "microcast", "local dissemination protocol")
            .flag("initiate", "run the MicroDownload scheduler for the group")
            .option("initiator", "N", "1", "id of the initiating device")
            .option("manifest", "FILE", null, "the file's segment manifest (from 'origin --manifest'); without it segments "
                + "decoded from the group are checked by length only")
            .option("peers", "LIST", null, "ids of the other devices (needed by bittorrent-pull; microcast learns them)")
            .option("dir", "DIR", null, "where segments are stored (default: microcast-device-<id>)")
            .option("http-port", "PORT", "0", "playback server port (0: any)")
            .flag("exit-when-complete", "exit once the file is complete (after --linger seconds of further sharing)")
            .option("linger", "SECONDS", "5", "seconds to keep sharing after completing, with --exit-when-complete")
            .option("timeout", "SECONDS", "600", "give up after this long"),
            "MicroCast device: joins a multicast group, downloads its share, shares with MicroNC-P2, serves playback");
    }

    private static int[] ids(final String list, final String option, final String usage) throws UsageException
    {
        if (list == null || list.isBlank())
        {
            return new int[0];
        }
        final String[] items = list.split(",");
        final int[] ids = new int[items.length];
        for (int i = 0; i < items.length; i++)
        {
            try
            {
                ids[i] = Integer.parseInt(items[i].trim());
                if (ids[i] < 1 || ids[i] > 65535)
                {
                    throw new NumberFormatException(items[i]);
                }
            }
            catch (final NumberFormatException ex)
            {
                throw new UsageException("option --" + option + ": '" + items[i] + "' is not a device id", usage);
            }
        }
        return ids;
    }

    @Override
    protected int execute(final Options.Parsed parsed, final PrintStream out, final PrintStream err) throws Exception
    {
        final int id = parsed.integer("id", 1, 65535);
        final URI url = URI.create(parsed.required("url"));
        final InetSocketAddress group = parsed.address("group", "239.255.67.1");
        final NetworkInterface networkInterface = NetworkInterface.getByName(parsed.string("interface"));
        if (networkInterface == null)
        {
            throw usage("option --interface: no interface " + parsed.string("interface"));
        }
        final long rate = (long)(parsed.decimal("rate", 0, 10_000) * 1e6 / 8);
        final Mode mode = "bittorrent-pull".equals(parsed.choice("mode", "microcast", "bittorrent-pull"))
            ? Mode.BITTORRENT_PULL : Mode.MICROCAST;
        final boolean initiate = parsed.flag("initiate");
        final int initiator = initiate ? id : parsed.integer("initiator", 1, 65535);
        final int[] peers = ids(parsed.string("peers"), "peers", options.usage());
        final Path dir = parsed.has("dir") ? parsed.path("dir") : Path.of("microcast-device-" + id);
        final int httpPort = parsed.integer("http-port", 0, 65535);
        final long lingerMillis = parsed.integer("linger", 0, 3600) * 1000L;
        final long timeoutNanos = parsed.integer("timeout", 1, 86_400) * 1_000_000_000L;

        final HttpResponse<Void> head = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
            .send(HttpRequest.newBuilder(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.discarding());
        if (head.statusCode() != 200)
        {
            err.println("device: HEAD " + url + " answered " + head.statusCode());
            return 1;
        }
        final long fileSize = head.headers().firstValueAsLong("content-length").orElse(-1);
        final String entityTag = head.headers().firstValue("etag").orElse("");
        if (fileSize <= 0)
        {
            err.println("device: " + url + " has no Content-Length");
            return 1;
        }
        final CodingParameters parameters = new CodingParameters(MicroCastDemo.GENERATION_SIZE, MicroCastDemo.SYMBOL_SIZE);
        final SegmentManifest manifest;
        if (parsed.has("manifest"))
        {
            try
            {
                manifest = SegmentManifest.parse(Files.readAllBytes(parsed.path("manifest")));
            }
            catch (final IllegalArgumentException ex)
            {
                throw usage("option --manifest: " + ex.getMessage());
            }
            if (manifest.fileLength() != fileSize || !manifest.parameters().equals(parameters))
            {
                err.println("device: the manifest describes another file or segmentation than " + url);
                return 1;
            }
        }
        else
        {
            manifest = SegmentManifest.lengthsOnly(fileSize, parameters);
        }
        final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, Threads.factory("device-" + id), NioIoHandler.newFactory());
        final EventLoop loop = loops.next();
        try (Shutdown shutdown = new Shutdown().installHook())
        {
            final UdpTransport transport = UdpTransport.open(UdpTransportConfig.multicast(group, networkInterface).withGroupId(GROUP_ID),
                new NodeId(id), loop);
            final Device device = new Device(id, rate, mode, manifest, entityTag, url, dir, loops, loop, false, transport::send,
                new InetSocketAddress(httpPort));
            shutdown.register(() -> loop.submit(transport::close).get(5, TimeUnit.SECONDS));
            shutdown.register(device);
            // MicroDownload's control plane: leases from the initiator and reports back over reliable messaging.
            final ReliableControlPlane plane = loop.submit(() -> ReliableControlPlane.open(transport, ReliableConfig.defaults(),
                new SplittableRandom(id), loop)).get(30, TimeUnit.SECONDS);
            shutdown.register(plane);
            if (initiate)
            {
                plane.initiate(MicroDownloadConfig.defaults().withSegmentSize(parameters.capacity())
                    .withStallTimeoutNanos(TimeUnit.SECONDS.toNanos(5)), fileSize, new SplittableRandom(id),
                    TimeUnit.MILLISECONDS.toNanos(50));
            }
            final Requester requester = device.requester(plane.reports());
            if (requester != null)
            {
                plane.attach(requester, initiator);
            }
            final DisseminationEngine engine = device.engine();
            loop.submit(() ->
            {
                transport.listener(DisseminationEngine.CONTROL_FRAME_TYPE, (source, destination, overheard, buffer, offset, length) ->
                    engine.onFrame(DisseminationEngine.CONTROL_FRAME_TYPE, source, destination, overheard, buffer, offset, length));
                transport.listener(DisseminationEngine.DATA_FRAME_TYPE, (source, destination, overheard, buffer, offset, length) ->
                    engine.onFrame(DisseminationEngine.DATA_FRAME_TYPE, source, destination, overheard, buffer, offset, length));
            }).get(10, TimeUnit.SECONDS);
            final int[] all = new int[peers.length + 1];
            System.arraycopy(peers, 0, all, 0, peers.length);
            all[peers.length] = id;
            device.start(all);
            out.printf(Locale.ROOT, "device %d: %s, group %s on %s, cellular %s, file %d bytes in %d segments (checked %s), "
                    + "playback %s%n", id, mode.label(), group, networkInterface.getName(),
                rate == 0 ? "none" : String.format(Locale.ROOT, "%.1f Mbit/s", rate * 8 / 1e6), fileSize,
                SegmentRange.count(fileSize, parameters.capacity()), manifest.hasDigests() ? "by SHA-256 manifest" : "by length only",
                device.playbackUrl());
            out.flush();
            final long deadline = System.nanoTime() + timeoutNanos;
            long nextStatus = 0;
            boolean reported = false;
            long completedAt = 0;
            while (!shutdown.isRequested() && System.nanoTime() < deadline)
            {
                shutdown.await(200);
                if (System.nanoTime() >= nextStatus)
                {
                    nextStatus = System.nanoTime() + 1_000_000_000L;
                    out.printf("device %d: %d/%d segments (%d over cellular, %d from the group), %d KB sent locally%n", id,
                        device.segmentsPresent(), device.segmentCount(), device.segmentsDownloaded(), device.segmentsReceived(),
                        device.localBytesSent() / 1024);
                    out.flush();
                }
                if (device.complete() && !reported)
                {
                    reported = true;
                    completedAt = System.nanoTime();
                    out.printf(Locale.ROOT, "device %d: file complete in %.2f s, SHA-256 %s, playback %s%n", id,
                        device.downloadSeconds(), device.sha256(), device.playbackUrl());
                    out.flush();
                }
                if (reported && parsed.flag("exit-when-complete") && System.nanoTime() - completedAt >= lingerMillis * 1_000_000L)
                {
                    return 0;
                }
            }
            if (!device.complete())
            {
                err.println("device " + id + ": incomplete: " + device.segmentsPresent() + "/" + device.segmentCount());
                return shutdown.isRequested() ? 130 : 1;
            }
            return 0;
        }
        finally
        {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
