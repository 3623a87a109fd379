package dev.c2cast.examples.streamsmart;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

import dev.c2cast.examples.internal.OptionCommand;
import dev.c2cast.examples.internal.Options;
import dev.c2cast.examples.internal.Shutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code phone-view} command: a viewing phone pulling the stream from its clone over RTSP. */
public final class PhoneViewCommand extends OptionCommand
{
    private static final Logger LOG = LoggerFactory.getLogger(PhoneViewCommand.class);

    /** Creates the command. */
    public PhoneViewCommand()
    {
        super(new Options("phone-view", """
            A viewing phone: pulls the live stream from its clone with rtp-h264's RTSP client (RTP interleaved on the
            TCP connection), reports frames, incomplete frames, loss bursts and frame delay variation (arrival against
            RTP timestamp, relative to the first frame), and can write what it received to an Annex B file (ffplay FILE
            plays it). One-way latency and packet loss are reported by the clone.""")
            .option("url", "URL", "rtsp://127.0.0.1:" + CloneSettings.RTSP_PORT_DEFAULT + "/live", "the clone's RTSP URL")
            .option("out", "FILE", null, "write the received stream to this Annex B file")
            .option("frames", "N", "0", "stop after N frames (0: no bound)")
            .option("idle", "SECONDS", "3", "stop when the stream pauses this long")
            .option("duration", "SECONDS", "600", "stop after this long in any case")
            .option("connect-timeout", "SECONDS", "30", "keep trying to reach the clone this long"),
            "StreamSmart viewing phone: pulls from its clone over RTSP, reports frames, loss bursts, delay variation");
    }

    @Override
    protected int execute(final Options.Parsed parsed, final PrintStream out, final PrintStream err) throws Exception
    {
        final URI url;
        try
        {
            url = URI.create(parsed.string("url"));
        }
        catch (final IllegalArgumentException ex)
        {
            throw usage("option --url: " + ex.getMessage());
        }
        final Path output = parsed.path("out");
        final long frames = parsed.integer("frames", 0, Integer.MAX_VALUE);
        final long idleMillis = parsed.integer("idle", 1, 86_400) * 1_000L;
        final long maxMillis = parsed.integer("duration", 1, 864_000) * 1_000L;
        final long connectDeadline = System.nanoTime() + parsed.integer("connect-timeout", 0, 3600) * 1_000_000_000L;
        try (Shutdown shutdown = new Shutdown().installHook())
        {
            PhoneViewer viewer;
            while (true)
            {
                try
                {
                    viewer = new PhoneViewer(url, output);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw usage(ex.getMessage());
                }
                try
                {
                    viewer.connect();
                    break;
                }
                catch (final IOException ex)
                {
                    viewer.close();
                    if (System.nanoTime() > connectDeadline || shutdown.isRequested())
                    {
                        err.println("phone-view: cannot play " + url + ": " + ex.getMessage());
                        return 1;
                    }
                    LOG.debug("retrying {}", url, ex);
                    shutdown.await(250);
                }
            }
            shutdown.register(viewer);
            out.println("phone-view: playing " + url);
            out.flush();
            viewer.run(frames, idleMillis, maxMillis);
            viewer.close();
            out.printf(Locale.ROOT, "phone-view: %d frames (%d keyframes, %d bytes), %d incomplete, %d loss bursts, "
                    + "delay variation mean %.1f ms max %.1f ms%n",
                viewer.frames(), viewer.keyframes(), viewer.bytes(), viewer.incompleteFrames(), viewer.lossBursts(),
                viewer.meanDelayVariationMillis(), viewer.maxDelayVariationMillis());
            if (output != null)
            {
                out.println("phone-view: wrote " + output);
            }
            return viewer.frames() > 0 && (frames == 0 || viewer.frames() >= frames) ? 0 : 1;
        }
    }
}
