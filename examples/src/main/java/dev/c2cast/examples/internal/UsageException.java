package dev.c2cast.examples.internal;

/**
 * A command line that does not fit a command's options; the message says what is wrong and {@link #usage()} how to
 * call the command. The process exits with status 2.
 */
public final class UsageException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final String usage;

    /**
     * Creates the exception.
     *
     * @param message what is wrong.
     * @param usage   the command's usage text.
     */
    public UsageException(final String message, final String usage)
    {
        super(message);
        this.usage = usage;
    }

    /**
     * The command's usage text.
     *
     * @return the text, ending with a line separator.
     */
    public String usage()
    {
        return usage;
    }
}
