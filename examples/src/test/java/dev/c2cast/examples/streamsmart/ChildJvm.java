package dev.c2cast.examples.streamsmart;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import dev.c2cast.examples.internal.Await;

/** One examples command in its own JVM, started with the test class path; stdout is kept line by line. */
final class ChildJvm implements AutoCloseable
{
    private final String label;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Path stderr;
    private final Thread reader;

    ChildJvm(final String label, final Path logDir, final String... args) throws IOException
    {
        this(List.of(), label, logDir, args);
    }

    /**
     * A command in its own JVM started through a prefix, such as {@code ip netns exec NAME} (which execs the JVM, so
     * this process is the JVM itself).
     */
    ChildJvm(final List<String> prefix, final String label, final Path logDir, final String... args) throws IOException
    {
        this.label = label;
        final List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djava.awt.headless=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.c2cast.examples.Main");
        command.addAll(List.of(args));
        stderr = logDir.resolve(label + ".err");
        process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    lines.add(line);
                }
            }
            catch (final IOException ex)
            {
                lines.add("<stdout failed: " + ex + ">");
            }
        }, "stdout-" + label);
        reader.setDaemon(true);
        reader.start();
    }

    String awaitLine(final Predicate<String> match, final long timeoutMillis) throws TimeoutException
    {
        final String[] found = new String[1];
        Await.until(() ->
        {
            for (final String line : lines)
            {
                if (match.test(line))
                {
                    found[0] = line;
                    return true;
                }
            }
            return !process.isAlive() && !reader.isAlive();
        }, timeoutMillis, label + " output; so far: " + describe());
        if (found[0] == null)
        {
            throw new TimeoutException(label + " exited before the expected line; " + describe());
        }
        return found[0];
    }

    int awaitExit(final long timeoutMillis) throws InterruptedException, TimeoutException
    {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS))
        {
            throw new TimeoutException(label + " still running after " + timeoutMillis + " ms; " + describe());
        }
        reader.join(5_000);
        return process.exitValue();
    }

    /**
     * Asks the process to stop as Ctrl-C or a service manager does (SIGTERM: the JVM runs its shutdown hooks).
     *
     * @param timeoutMillis how long it may take.
     * @return its exit status.
     * @throws TimeoutException if it is still running by then.
     * @throws InterruptedException if interrupted.
     */
    int terminate(final long timeoutMillis) throws InterruptedException, TimeoutException
    {
        process.destroy();
        return awaitExit(timeoutMillis);
    }

    List<String> lines()
    {
        return List.copyOf(lines);
    }

    String describe()
    {
        String err;
        try
        {
            err = Files.exists(stderr) ? Files.readString(stderr) : "";
        }
        catch (final IOException ex)
        {
            err = ex.toString();
        }
        if (err.length() > 4000)
        {
            err = "..." + err.substring(err.length() - 4000);
        }
        return "stdout " + lines + ", stderr tail: " + err;
    }

    @Override
    public void close()
    {
        process.destroy();
        try
        {
            if (!process.waitFor(5, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
