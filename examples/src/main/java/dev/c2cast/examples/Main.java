package dev.c2cast.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import dev.c2cast.examples.internal.UsageException;
import dev.c2cast.examples.microcast.DeviceCommand;
import dev.c2cast.examples.microcast.MicroCastDemo;
import dev.c2cast.examples.microcast.OriginCommand;
import dev.c2cast.examples.streamsmart.CloneCommand;
import dev.c2cast.examples.streamsmart.PhoneSendCommand;
import dev.c2cast.examples.streamsmart.PhoneViewCommand;
import dev.c2cast.examples.streamsmart.StreamSmartDemo;

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
        try
        {
            return command.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        catch (final UsageException ex)
        {
            err.println(command.name() + ": " + ex.getMessage());
            err.println();
            err.print(ex.usage());
            return 2;
        }
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
        return new Main()
            .register(new CloneCommand())
            .register(new PhoneSendCommand())
            .register(new PhoneViewCommand())
            .register(new StreamSmartDemo())
            .register(new MicroCastDemo())
            .register(new DeviceCommand())
            .register(new OriginCommand());
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

    /** One sub-command of the examples jar: a process or a demo with its own options and {@code --help}. */
    public interface Command
    {
        /**
         * The name typed on the command line.
         *
         * @return such as {@code clone}.
         */
        String name();

        /**
         * One line saying what the command does, for the command list.
         *
         * @return the line.
         */
        String summary();

        /**
         * Runs the command to completion (long-running commands return after Ctrl-C).
         *
         * @param args its options.
         * @param out  normal output.
         * @param err  diagnostics.
         * @return the exit status.
         * @throws UsageException if the options are wrong (exit status 2).
         * @throws Exception      if the command fails.
         */
        int run(String[] args, PrintStream out, PrintStream err) throws Exception;
    }
}
