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

    static AccessUnits load(final String source, final String usage) throws IOException, UsageException
    {
        if (source == null || BUNDLED.equals(source))
        {
            return AccessUnits.parse(bundledClip());
        }
        final Path path = Path.of(source);
        if (!Files.isRegularFile(path))
        {
            throw new UsageException("no such file: " + source, usage);
        }
        final String lower = source.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".mp4") || lower.endsWith(".mov") || lower.endsWith(".m4v"))
        {
            throw new UsageException("MP4 input is not supported; extract the Annex B stream first: "
                + "ffmpeg -i " + source + " -c:v copy -bsf:v h264_mp4toannexb -f h264 clip.h264", usage);
        }
        final AccessUnits units = AccessUnits.parse(Files.readAllBytes(path));
        if (units.size() == 0)
        {
            throw new UsageException(source + " holds no H.264 access units (expected an Annex B elementary stream)", usage);
        }
        return units;
    }
}
