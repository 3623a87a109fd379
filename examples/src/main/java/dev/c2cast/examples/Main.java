package dev.c2cast.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Entry point of the examples jar: {@code java -jar c2cast-examples.jar <command> [options]}. Each command is a
 * complete process (phone, clone, device) or a one-command demo; {@code <command> --help} describes its options.
 */
public final class Main
{
    private final Map<String, Command> commands = new TreeMap<>();

    Main()
    {
    }

    Main register(final Command command)
    {
        commands.put(command.name(), command);
        return this;
    }

    /**
     * Runs a command line and returns the process exit status.
     *
     * @param args command name followed by its options.
     * @param out  where normal output goes.
     * @param err  where usage errors go.
     * @return exit status: 0 on success, 2 on a usage error.
     * @throws Exception if the command fails.
     */
    int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception
    {
        if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0]) || "help".equals(args[0]))
        {
            usage(out);
            return args.length == 0 ? 2 : 0;
        }
        final Command command = commands.get(args[0]);
        if (command == null)
        {
            err.println("unknown command '" + args[0] + "'");
            usage(err);
            return 2;
        }
        return command.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }

    private void usage(final PrintStream out)
    {
        out.println("usage: java -jar c2cast-examples.jar <command> [options]   (<command> --help for details)");
        out.println();
        out.println("commands:");
        for (final Command command : commands.values())
        {
            out.printf("  %-20s %s%n", command.name(), command.summary());
        }
    }

    static Main standard()
    {
        return new Main();
    }

    /**
     * Process entry point.
     *
     * @param args command line.
     * @throws Exception if the command fails.
     */
    public static void main(final String[] args) throws Exception
    {
        System.exit(standard().run(args, System.out, System.err));
    }

    /** One sub-command of the examples jar. */
    interface Command
    {
        String name();

        String summary();

        int run(String[] args, PrintStream out, PrintStream err) throws Exception;
    }
}
