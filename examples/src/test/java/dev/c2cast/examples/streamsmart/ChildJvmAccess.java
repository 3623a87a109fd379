package dev.c2cast.examples.streamsmart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Lets tests in other packages start example commands in child JVMs ({@link ChildJvm} stays package-private). */
public final class ChildJvmAccess
{
    private ChildJvmAccess()
    {
    }

    public static AutoCloseable start(final String label, final Path logDir, final String... args) throws IOException
    {
        return new ChildJvm(label, logDir, args);
    }

    public static String awaitLine(final AutoCloseable process, final Predicate<String> match, final long timeoutMillis)
        throws TimeoutException
    {
        return ((ChildJvm)process).awaitLine(match, timeoutMillis);
    }

    public static int awaitExit(final AutoCloseable process, final long timeoutMillis) throws InterruptedException, TimeoutException
    {
        return ((ChildJvm)process).awaitExit(timeoutMillis);
    }

    public static String describe(final AutoCloseable process)
    {
        return ((ChildJvm)process).describe();
    }
}
