package dev.c2cast.examples.internal;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of one command: {@code --name value}, {@code --name=value} and {@code --flag}, each declared with a
 * default and a help line; {@code --help} (or {@code -h}) is always accepted. Values are checked when read, so a bad
 * number names its option. Positional arguments are not accepted.
 * <p>
 * Not thread-safe; declare options once, then parse.
 */
public final class Options
{
    private final String command;
    private final String synopsis;
    private final Map<String, Spec> specs = new LinkedHashMap<>();

    private record Spec(String name, String argName, String defaultValue, String help)
    {
        boolean isFlag()
        {
            return argName == null;
        }
    }

    /**
     * Starts the declaration of a command's options.
     *
     * @param command  the command name, as typed.
     * @param synopsis one or more lines saying what the command does.
     */
    public Options(final String command, final String synopsis)
    {
        this.command = command;
        this.synopsis = synopsis;
    }

    /**
     * Declares an option taking a value.
     *
     * @param name         the name without dashes.
     * @param argName      the placeholder shown in the usage, such as {@code PORT}.
     * @param defaultValue the value when the option is absent, or null if it has none.
     * @param help         one line of help.
     * @return this.
     */
    public Options option(final String name, final String argName, final String defaultValue, final String help)
    {
        declare(new Spec(name, argName, defaultValue, help));
        return this;
    }

    /**
     * Declares an option without a value, false unless present.
     *
     * @param name the name without dashes.
     * @param help one line of help.
     * @return this.
     */
    public Options flag(final String name, final String help)
    {
        declare(new Spec(name, null, null, help));
        return this;
    }

    private void declare(final Spec spec)
    {
        if (specs.putIfAbsent(spec.name(), spec) != null || "help".equals(spec.name()))
        {
            throw new IllegalArgumentException("option --" + spec.name() + " declared twice");
        }
    }

    /**
     * The command these options belong to.
     *
     * @return such as {@code clone}.
     */
    public String command()
    {
        return command;
    }

    /**
     * The usage text: synopsis, then one line per option with its default.
     *
     * @return the text.
     */
    public String usage()
    {
        final StringBuilder text = new StringBuilder();
        text.append("usage: java -jar c2cast-examples.jar ").append(command).append(" [options]").append(System.lineSeparator());
        text.append(System.lineSeparator());
        for (final String line : synopsis.split("\n"))
        {
            text.append("  ").append(line).append(System.lineSeparator());
        }
        text.append(System.lineSeparator()).append("options:").append(System.lineSeparator());
        final List<String[]> lines = new ArrayList<>();
        int width = "--help".length();
        for (final Spec spec : specs.values())
        {
            final String left = "--" + spec.name() + (spec.isFlag() ? "" : " " + spec.argName());
            width = Math.max(width, left.length());
            final String right = spec.help() + (spec.defaultValue() == null ? "" : " (default: " + spec.defaultValue() + ")");
            lines.add(new String[] {left, right});
        }
        lines.add(new String[] {"--help", "print this help and exit"});
        for (final String[] line : lines)
        {
            text.append(String.format("  %-" + width + "s  %s%n", line[0], line[1]));
        }
        return text.toString();
    }

    /**
     * Parses a command line.
     *
     * @param args the arguments after the command name.
     * @return the parsed values.
     * @throws UsageException on an unknown option, a missing value or a positional argument.
     */
    public Parsed parse(final String[] args) throws UsageException
    {
        final Map<String, String> values = new HashMap<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                help = true;
                continue;
            }
            if (!arg.startsWith("--") || arg.length() == 2)
            {
                throw new UsageException("unexpected argument '" + arg + "'", usage());
            }
            final int equals = arg.indexOf('=');
            final String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            final Spec spec = specs.get(name);
            if (spec == null)
            {
                throw new UsageException("unknown option --" + name, usage());
            }
            if (spec.isFlag())
            {
                if (equals >= 0)
                {
                    throw new UsageException("option --" + name + " takes no value", usage());
                }
                values.put(name, "true");
            }
            else if (equals >= 0)
            {
                values.put(name, arg.substring(equals + 1));
            }
            else if (i + 1 < args.length)
            {
                values.put(name, args[++i]);
            }
            else
            {
                throw new UsageException("option --" + name + " needs a value " + spec.argName(), usage());
            }
        }
        return new Parsed(values, help);
    }

    /** The values of one parsed command line; the typed getters throw {@link UsageException} on bad values. */
    public final class Parsed
    {
        private final Map<String, String> values;
        private final boolean help;

        private Parsed(final Map<String, String> values, final boolean help)
        {
            this.values = values;
            this.help = help;
        }

        /**
         * Whether {@code --help} was given.
         *
         * @return true to print the usage and exit.
         */
        public boolean help()
        {
            return help;
        }

        private Spec spec(final String name)
        {
            final Spec spec = specs.get(name);
            if (spec == null)
            {
                throw new IllegalArgumentException("option --" + name + " was not declared");
            }
            return spec;
        }

        /**
         * Whether the option was given on the command line.
         *
         * @param name the option.
         * @return true if present.
         */
        public boolean has(final String name)
        {
            spec(name);
            return values.containsKey(name);
        }

        /**
         * A flag's value.
         *
         * @param name the flag.
         * @return true if present.
         */
        public boolean flag(final String name)
        {
            if (!spec(name).isFlag())
            {
                throw new IllegalArgumentException("--" + name + " is not a flag");
            }
            return values.containsKey(name);
        }

        /**
         * An option's text, or its default.
         *
         * @param name the option.
         * @return the value, or null when absent without a default.
         */
        public String string(final String name)
        {
            return values.getOrDefault(name, spec(name).defaultValue());
        }

        /**
         * An option's text, which must be present or defaulted.
         *
         * @param name the option.
         * @return the value.
         * @throws UsageException if absent.
         */
        public String required(final String name) throws UsageException
        {
            final String value = string(name);
            if (value == null)
            {
                throw new UsageException("option --" + name + " is required", usage());
            }
            return value;
        }

        /**
         * An integer option within bounds.
         *
         * @param name the option.
         * @param min  least accepted value.
         * @param max  greatest accepted value.
         * @return the value.
         * @throws UsageException if absent, not an integer or out of bounds.
         */
        public int integer(final String name, final int min, final int max) throws UsageException
        {
            return (int)number(name, min, max, true);
        }

        /**
         * A decimal option within bounds.
         *
         * @param name the option.
         * @param min  least accepted value.
         * @param max  greatest accepted value.
         * @return the value.
         * @throws UsageException if absent, not a number or out of bounds.
         */
        public double decimal(final String name, final double min, final double max) throws UsageException
        {
            return number(name, min, max, false);
        }

        private double number(final String name, final double min, final double max, final boolean integral) throws UsageException
        {
            final String text = required(name);
            final double value;
            try
            {
                value = integral ? Integer.parseInt(text.trim()) : Double.parseDouble(text.trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new UsageException("option --" + name + ": '" + text + "' is not " + (integral ? "an integer" : "a number"), usage());
            }
            if (!(value >= min && value <= max))
            {
                throw new UsageException("option --" + name + ": " + format(value, integral) + " is not in [" + format(min, integral) + ", "
                    + format(max, integral) + "]", usage());
            }
            return value;
        }

        private static String format(final double value, final boolean integral)
        {
            return integral ? Long.toString((long)value) : Double.toString(value);
        }

        /**
         * A {@code host:port} option (port 0 to 65535); {@code :port} or a bare port means {@code defaultHost}.
         *
         * @param name        the option.
         * @param defaultHost the host when none is given.
         * @return an unresolved-if-needed socket address.
         * @throws UsageException if absent or malformed.
         */
        public InetSocketAddress address(final String name, final String defaultHost) throws UsageException
        {
            final String text = required(name).trim();
            final int colon = text.lastIndexOf(':');
            final String host = colon <= 0 ? defaultHost : text.substring(0, colon);
            final String portText = colon < 0 ? text : text.substring(colon + 1);
            try
            {
                final int port = Integer.parseInt(portText);
                if (port < 0 || port > 65535 || host.isEmpty())
                {
                    throw new NumberFormatException(portText);
                }
                return new InetSocketAddress(host, port);
            }
            catch (final NumberFormatException ex)
            {
                throw new UsageException("option --" + name + ": '" + text + "' is not HOST:PORT", usage());
            }
        }

        /**
         * A file-system path option.
         *
         * @param name the option.
         * @return the path, or null when absent without a default.
         */
        public Path path(final String name)
        {
            final String value = string(name);
            return value == null ? null : Path.of(value);
        }

        /**
         * An option that must be one of the given words (case-insensitive).
         *
         * @param name    the option.
         * @param choices the accepted words, in lower case.
         * @return the chosen word in lower case.
         * @throws UsageException if absent or not a choice.
         */
        public String choice(final String name, final String... choices) throws UsageException
        {
            final String value = required(name).toLowerCase(java.util.Locale.ROOT);
            for (final String choice : choices)
            {
                if (choice.equals(value))
                {
                    return choice;
                }
            }
            throw new UsageException("option --" + name + ": '" + value + "' is not one of " + String.join(", ", choices), usage());
        }
    }
}
