package dev.c2cast.examples.microcast;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.c2cast.examples.internal.OptionCommand;
import dev.c2cast.examples.internal.Options;
import dev.c2cast.examples.internal.Shutdown;
import dev.c2cast.examples.internal.Threads;
import dev.c2cast.microcast.download.PlaybackServer;
import dev.c2cast.microcast.download.SegmentRange;
import dev.c2cast.microcast.download.SegmentStore;
import dev.c2cast.microcast.nc.CodingParameters;
import dev.c2cast.microcast.nc.p2.SegmentManifest;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/** The {@code origin} command: an HTTP/1.1 server with range requests for a file, the video source of the devices. */
public final class OriginCommand extends OptionCommand
{
    /** Creates the command. */
    public OriginCommand()
    {
        super(new Options("origin", """
            Serves a file (default: the bundled 20 s video) at http://BIND:PORT/video.mp4 with byte ranges, ETag and
            keep-alive (microcast-download's playback server), as the origin that MicroCast devices download from.""")
            .option("file", "FILE", "bundled", "file to serve, or 'bundled'")
            .option("bind", "HOST", "127.0.0.1", "local address")
            .option("port", "PORT", "8080", "TCP port (0: any)")
            .option("dir", "DIR", "microcast-origin", "where the file's segments are kept")
            .option("manifest", "FILE", null, "also write the file's segment manifest (SHA-256 per segment) here, for "
                + "'device --manifest'")
            .option("duration", "SECONDS", "0", "stop after this long (0: until Ctrl-C)"),
            "HTTP origin with range requests for MicroCast devices (serves the bundled video by default)");
    }

    @Override
    protected int execute(final Options.Parsed parsed, final PrintStream out, final PrintStream err) throws Exception
    {
        final byte[] file = MicroCastDemo.load(parsed.string("file"));
        final int segmentSize = MicroCastDemo.GENERATION_SIZE * MicroCastDemo.SYMBOL_SIZE;
        final Path dir = parsed.path("dir");
        Files.createDirectories(dir);
        if (parsed.has("manifest"))
        {
            Files.write(parsed.path("manifest"), SegmentManifest.of(file,
                new CodingParameters(MicroCastDemo.GENERATION_SIZE, MicroCastDemo.SYMBOL_SIZE)).toBytes());
        }
        final SegmentStore store = SegmentStore.open(dir, file.length, segmentSize, "\"" + MicroCastDemo.sha256(file).substring(0, 16) + "\"");
        for (int i = 0; i < store.segmentCount(); i++)
        {
            final SegmentRange range = store.range(i);
            if (!store.has(i))
            {
                store.put(range, Unpooled.wrappedBuffer(file, (int)range.offset(), range.length()));
            }
        }
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, Threads.factory("origin"), NioIoHandler.newFactory());
        try (Shutdown shutdown = new Shutdown().installHook();
            PlaybackServer server = PlaybackServer.start(store, "/video.mp4", "video/mp4", TimeUnit.SECONDS.toNanos(5), group,
                new InetSocketAddress(parsed.string("bind"), parsed.integer("port", 0, 65535))))
        {
            out.printf("origin: http://%s:%d/video.mp4 (%d bytes, SHA-256 %s)%n", parsed.string("bind"),
                server.localAddress().getPort(), file.length, MicroCastDemo.sha256(file));
            out.flush();
            final int duration = parsed.integer("duration", 0, Integer.MAX_VALUE);
            shutdown.await(duration == 0 ? -1 : duration * 1000L);
            return 0;
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
