package dev.c2cast.examples.streamsmart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.c2cast.examples.internal.UsageException;

/** Loads the H.264 input of a sending phone: a file, or the clip bundled in the jar. */
final class Clips
{
    static final String BUNDLED = "bundled";
    private static final String CLIP_RESOURCE = "/dev/c2cast/examples/media/clip.h264";

    private Clips()
    {
    }

    static byte[] bundledClip() throws IOException
    {
        try (InputStream in = Clips.class.getResourceAsStream(CLIP_RESOURCE))
        {
            if (in == null)
            {
                throw new IOException("bundled clip " + CLIP_RESOURCE + " missing from the class path");
            }
            return in.readAllBytes();
        }
    }

    /** A loaded clip and its frame rate (0 when the stream does not say). */
    record Source(AccessUnits units, double framesPerSecond)
    {
    }

    static Source load(final String source, final String usage) throws IOException, UsageException
    {
        if (source == null || BUNDLED.equals(source))
        {
            return new Source(AccessUnits.parse(bundledClip()), 0);
        }
        final Path path = Path.of(source);
        if (!Files.isRegularFile(path))
        {
            throw new UsageException("no such file: " + source, usage);
        }
        final String lower = source.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".mp4") || lower.endsWith(".mov") || lower.endsWith(".m4v"))
        {
            try
            {
                final Mp4Video video = Mp4Video.parse(Files.readAllBytes(path));
                return new Source(AccessUnits.parse(video.annexB()), video.framesPerSecond());
            }
            catch (final Mp4Video.Mp4Exception ex)
            {
                throw new UsageException(source + ": " + ex.getMessage(), usage);
            }
        }
        final AccessUnits units = AccessUnits.parse(Files.readAllBytes(path));
        if (units.size() == 0)
        {
            throw new UsageException(source + " holds no H.264 access units (expected an Annex B elementary stream or MP4)", usage);
        }
        return new Source(units, 0);
    }
}
