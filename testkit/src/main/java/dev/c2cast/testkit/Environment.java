package dev.c2cast.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Guards for tests that need something outside the JVM (root, network namespaces, ffmpeg, GStreamer, nginx...).
 * On a developer's machine a missing requirement skips the test with a loud reason; when the environment
 * variable {@code CI} is {@code true} it fails the test instead, because CI installs everything the suite needs.
 */
public final class Environment
{
    private Environment()
    {
    }

    /**
     * Whether this run is CI ({@code CI=true}).
     *
     * @return true under CI.
     */
    public static boolean isCi()
    {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Skips (locally) or fails (under CI) unless a condition holds.
     *
     * @param condition   the requirement.
     * @param requirement what is needed, for the message.
     */
    public static void require(final boolean condition, final String requirement)
    {
        if (condition)
        {
            return;
        }
        final String message = "REQUIREMENT MISSING: " + requirement;
        if (isCi())
        {
            Assertions.fail(message + " (CI=true, so this is a failure: .ci/run must install it)");
        }
        System.err.println("[testkit] SKIPPING: " + message);
        Assumptions.abort(message);
    }

    /**
     * Requires an executable on the PATH.
     *
     * @param command the executable's name, such as {@code ffmpeg}.
     */
    public static void requireCommand(final String command)
    {
        require(hasCommand(command), "command '" + command + "' on the PATH");
    }

    /**
     * Requires running as root (uid 0), for namespaces, nftables and tc.
     */
    public static void requireRoot()
    {
        require(isRoot(), "root (uid 0) for network namespaces, nftables and tc");
    }

    /**
     * Whether an executable is on the PATH.
     *
     * @param command the executable's name.
     * @return true if found and executable.
     */
    public static boolean hasCommand(final String command)
    {
        final String path = System.getenv("PATH");
        if (path == null)
        {
            return false;
        }
        for (final String dir : path.split(java.io.File.pathSeparator))
        {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command)))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether this process runs as root.
     *
     * @return true for uid 0.
     */
    public static boolean isRoot()
    {
        try
        {
            final Process process = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            final String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            return process.waitFor(5, TimeUnit.SECONDS) && "0".equals(out.trim());
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
