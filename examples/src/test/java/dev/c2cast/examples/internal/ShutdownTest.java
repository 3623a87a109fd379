package dev.c2cast.examples.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ShutdownTest
{
    @Test
    void closesInReverseOrderOnceAndReleasesWaiters() throws Exception
    {
        final List<String> closed = new ArrayList<>();
        final Shutdown shutdown = new Shutdown().installHook();
        shutdown.register(() -> closed.add("first"));
        shutdown.register(() ->
        {
            closed.add("failing");
            throw new IllegalStateException("expected in test");
        });
        shutdown.register(() -> closed.add("last"));
        assertFalse(shutdown.await(0));
        assertFalse(shutdown.isRequested());
        shutdown.close();
        shutdown.close();
        assertEquals(List.of("last", "failing", "first"), closed);
        assertTrue(shutdown.await(0));
        shutdown.register(() -> closed.add("late"));
        assertEquals("late", closed.get(closed.size() - 1), "registered after close: closed at once");
    }

    @Test
    void requestWakesAWaiterWithoutClosing() throws Exception
    {
        final List<String> closed = new ArrayList<>();
        try (Shutdown shutdown = new Shutdown())
        {
            shutdown.register(() -> closed.add("x"));
            final Thread waker = Threads.start("waker", shutdown::request);
            assertTrue(shutdown.await(10_000));
            waker.join(10_000);
            assertTrue(closed.isEmpty());
        }
        assertEquals(List.of("x"), closed);
    }

    @Test
    void threadsAreNamedDaemons() throws Exception
    {
        final Thread thread = Threads.daemon("worker", () ->
        {
        });
        assertTrue(thread.isDaemon());
        assertTrue(thread.getName().startsWith("worker-"));
        assertTrue(Threads.factory("pool").newThread(() ->
        {
        }).isDaemon());
    }
}
