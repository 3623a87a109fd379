package dev.c2cast.pseudobroadcast;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link NodeAgent} in its own JVM inside a network namespace, driven over its stdin and stdout. Every wait is
 * bounded, and the JVM itself runs under {@code timeout}.
 */
final class RemoteNode implements AutoCloseable
{
    private final Process process;
    private final PrintStream commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final String name;

    private RemoteNode(final Process process, final String name)
    {
        this.process = process;
        this.name = name;
        this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    lines.add(line);
                }
            }
            catch (final IOException ex)
            {
                lines.add("error " + ex);
            }
        }, "remote-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts an agent and waits until its transport is open.
     *
     * @param namespace the network namespace.
     * @param args      the agent's arguments.
     * @return the running node.
     * @throws IOException if it does not start.
     */
    static RemoteNode start(final String namespace, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "timeout", "-k", "5", "900",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m", "-XX:+UseSerialGC",
            "-cp", System.getProperty("java.class.path"), NodeAgent.class.getName()));
        command.addAll(List.of(args));
        final File log = new File("target", "remote-" + namespace + ".log");
        final Process process = new ProcessBuilder(command).redirectError(log).start();
        final RemoteNode node = new RemoteNode(process, namespace);
        final String ready = node.next(120);
        if (ready == null || !ready.startsWith("ready"))
        {
            node.close();
            throw new IOException("agent in " + namespace + " did not start: " + ready + " (see " + log + ")");
        }
        return node;
    }

    private String next(final long seconds) throws IOException
    {
        try
        {
            return lines.poll(seconds, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
    }

    /**
     * Sends a command and returns its one-line answer.
     *
     * @param command the command.
     * @return the answer.
     * @throws IOException on timeout or error.
     */
    String command(final String command) throws IOException
    {
        commands.println(command);
        final String answer = next(120);
        if (answer == null || answer.startsWith("error"))
        {
            throw new IOException(name + ": '" + command + "' answered " + answer);
        }
        return answer;
    }

    /**
     * Sends a command whose answer is lines ended by {@code end}.
     *
     * @param command the command.
     * @return the lines before {@code end}.
     * @throws IOException on timeout or error.
     */
    List<String> commandLines(final String command) throws IOException
    {
        final List<String> result = new ArrayList<>();
        String line = command(command);
        while (!"end".equals(line))
        {
            result.add(line);
            line = next(60);
            if (line == null)
            {
                throw new IOException(name + ": '" + command + "' did not end");
            }
        }
        return result;
    }

    long[] numbers(final String command) throws IOException
    {
        final String[] words = command(command).split(" ");
        final long[] values = new long[words.length - 1];
        for (int i = 1; i < words.length; i++)
        {
            values[i - 1] = Long.parseLong(words[i]);
        }
        return values;
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            commands.println("quit");
            try
            {
                if (!process.waitFor(10, TimeUnit.SECONDS))
                {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
