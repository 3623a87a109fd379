package dev.c2cast.examples.streamsmart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.c2cast.examples.internal.Await;
import dev.c2cast.streamsmart.tree.TopologyKind;
import org.junit.jupiter.api.Test;

/**
 * Clones stop cleanly: once closed (what Ctrl-C's shutdown hook does) or once the {@code clone} command returns, no
 * thread they started is left running.
 */
class CloneShutdownIT
{
    private static List<String> strays(final Set<Thread> before)
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.isAlive() && !before.contains(thread))
            // JDK and Netty process-wide helpers, started lazily by whoever comes first, outlive any one command.
            .filter(thread -> !thread.getName().startsWith("Common-Cleaner") && !thread.getName().startsWith("process reaper")
                && !thread.getName().startsWith("globalEventExecutor") && !thread.getName().startsWith("ObjectCleanerThread")
                && !thread.getName().startsWith("Attach Listener"))
            .map(Thread::getName)
            .collect(Collectors.toList());
    }

    @Test
    void closedClonesLeaveNoThreads() throws Exception
    {
        final Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        try (CloudClone radix = new CloudClone(CloneSettings.radix("radix", TopologyKind.BALANCED_TREE, 2));
            CloudClone member = new CloudClone(CloneSettings.member("c1", radix.controlAddress())))
        {
            Await.until(member::joined, 10_000, "c1 to join");
            assertEquals("leaf", member.role());
            assertEquals("radix", radix.role());
            assertEquals("radix", member.nameOf(member.stats().parent()));
        }
        assertTrue(Await.within(() -> strays(before).isEmpty(), 10_000), "the clones' threads to end; still running: " + strays(before));
    }

    @Test
    void cloneCommandReturnsWithoutStrayThreads() throws Exception
    {
        final Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            status = new CloneCommand().run(new String[] {"--name", "r", "--bind", "127.0.0.1", "--control-port", "0",
                "--data-port", "0", "--rtsp-port", "0", "--stats-interval", "1", "--duration", "2"}, out, System.err);
        }
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        assertTrue(text.contains("clone r: radix (tree, fan-out 2)"), text);
        assertTrue(text.contains("clone r: radix depth 0, 0 children"), text);
        assertTrue(text.contains("clone r: stopping after 0 packets, 0 frames"), text);
        assertTrue(Await.within(() -> strays(before).isEmpty(), 10_000), "the command's threads to end; still running: " + strays(before));
    }
}
