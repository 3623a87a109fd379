package dev.c2cast.microcast.download;

/**
 * The source file changed while it was being downloaded (its entity tag or size no longer match), so segments
 * fetched from now on could not be spliced with those already stored. Never retried.
 */
public final class SourceChangedException extends MicroDownloadException
{
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message.
     *
     * @param message what changed.
     */
    public SourceChangedException(final String message)
    {
        super(message);
    }
}
