package dev.c2cast.examples.internal;

import java.io.PrintStream;

import dev.c2cast.examples.Main;

/**
 * A command whose arguments are described by {@link Options}: its name is the options' command, {@code --help}
 * prints the usage text, and the parsed options go to {@link #execute(Options.Parsed, PrintStream, PrintStream)}.
 * <p>
 * Stateless apart from the options, which are immutable once built.
 */
public abstract class OptionCommand implements Main.Command
{
    /** The command's options, for usage texts in errors. */
    protected final Options options;
    private final String summary;

    /**
     * Creates the command.
     *
     * @param options its options (their command name is the command's name).
     * @param summary one line for the command list.
     */
    protected OptionCommand(final Options options, final String summary)
    {
        this.options = options;
        this.summary = summary;
    }

    @Override
    public final String name()
    {
        return options.command();
    }

    @Override
    public final String summary()
    {
        return summary;
    }

    @Override
    public final int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception
    {
        final Options.Parsed parsed = options.parse(args);
        if (parsed.help())
        {
            out.print(options.usage());
            return 0;
        }
        return execute(parsed, out, err);
    }

    /**
     * Runs the command with its parsed options (not called for {@code --help}).
     *
     * @param parsed the options.
     * @param out    normal output.
     * @param err    diagnostics.
     * @return the exit status.
     * @throws UsageException if the options are wrong (exit status 2).
     * @throws Exception      if the command fails.
     */
    protected abstract int execute(Options.Parsed parsed, PrintStream out, PrintStream err) throws Exception;

    /**
     * A usage error carrying this command's usage text.
     *
     * @param message what is wrong.
     * @return the exception to throw.
     */
    protected final UsageException usage(final String message)
    {
        return new UsageException(message, options.usage());
    }
}
