package dev.c2cast.microcast.download;

/**
 * The one exception type of this module: malformed control messages, a changed source, a corrupt segment, a
 * transfer that failed after its retries.
 */
public class MicroDownloadException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message.
     *
     * @param message what went wrong.
     */
    public MicroDownloadException(final String message)
    {
        super(message);
    }

    /**
     * An exception with a message and a cause.
     *
     * @param message what went wrong.
     * @param cause   the underlying failure.
     */
    public MicroDownloadException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
