package dev.c2cast.examples.streamsmart;

import java.io.PrintStream;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import dev.c2cast.examples.internal.OptionCommand;
import dev.c2cast.examples.internal.Options;
import dev.c2cast.examples.internal.Shutdown;

/** The {@code phone-send} command: a sending phone pushing an H.264 clip in real time to its clone. */
public final class PhoneSendCommand extends OptionCommand
{
    /** Creates the command. */
    public PhoneSendCommand()
    {
        super(new Options("phone-send", """
            A sending phone: reads H.264 from an MP4 (its video track) or an Annex B elementary stream (default: the
            bundled 10 s clip), splits it into access units, and pushes it to its clone (the radix), paced in real time
            (the MP4's frame rate, or --fps): as RTP/UDP (RFC 6184) to --to with an RTCP sender report every second, or
            with --push as an RTSP ANNOUNCE/RECORD push (RTP interleaved on the TCP connection) to the clone's
            rtsp://HOST:RTSP-PORT/phone.""")
            .option("to", "HOST:PORT", "127.0.0.1:" + CloneSettings.DATA_PORT_DEFAULT, "the clone's data port (RTP/UDP)")
            .option("push", "URL", null, "push with RTSP ANNOUNCE/RECORD to this URL instead, e.g. rtsp://127.0.0.1:"
                + CloneSettings.RTSP_PORT_DEFAULT + CloudClone.PUSH_PATH)
            .option("file", "FILE", Clips.BUNDLED, "MP4 or Annex B H.264 file, or 'bundled'")
            .option("fps", "N", null, "frames per second (default: the MP4's rate, else 30)")
            .option("loop", "N", "1", "times to send the clip")
            .option("ssrc", "N", null, "RTP SSRC (default: random)"),
            "StreamSmart sending phone: pushes an H.264 clip as paced RTP to its clone");
    }

    @Override
    protected int execute(final Options.Parsed parsed, final PrintStream out, final PrintStream err) throws Exception
    {
        final Clips.Source source = Clips.load(parsed.string("file"), options.usage());
        final AccessUnits units = source.units();
        final int ssrc = parsed.has("ssrc") ? parsed.integer("ssrc", Integer.MIN_VALUE, Integer.MAX_VALUE)
            : ThreadLocalRandom.current().nextInt();
        final double fps = parsed.has("fps") ? parsed.decimal("fps", 0.1, 1000)
            : source.framesPerSecond() > 0 ? source.framesPerSecond() : 30;
        final int loops = parsed.integer("loop", 1, 1_000_000);
        final String target = parsed.has("push") ? parsed.string("push") : parsed.string("to");
        final URI push;
        try
        {
            push = parsed.has("push") ? URI.create(target) : null;
        }
        catch (final IllegalArgumentException ex)
        {
            throw usage("option --push: " + ex.getMessage());
        }
        if (push != null && (!"rtsp".equals(push.getScheme()) || push.getHost() == null))
        {
            throw usage("option --push: not an rtsp:// URL: " + target);
        }
        try (Shutdown shutdown = new Shutdown().installHook();
            PhoneSender sender = push != null ? new PhoneSender(units, push, fps, loops, ssrc)
                : new PhoneSender(units, parsed.address("to", "127.0.0.1"), fps, loops, ssrc))
        {
            shutdown.register(sender);
            out.printf(Locale.ROOT, "phone-send: %d access units at %.1f fps to %s%n", units.size(), fps, target);
            out.flush();
            final long sent = sender.run();
            out.printf(Locale.ROOT, "phone-send: sent %d access units%s%n", sent,
                push != null ? " with RTSP RECORD" : " in " + sender.packetsSent() + " RTP packets");
            return sent == sender.totalAccessUnits() ? 0 : 1;
        }
    }
}
