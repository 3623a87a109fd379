package dev.c2cast.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MainTest
{
    @Test
    void unknownCommandIsAUsageError() throws Exception
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = Main.standard().run(new String[] {"no-such-command"}, System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'no-such-command'"));
    }

    @Test
    void helpListsCommandsAndSucceeds() throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int status = Main.standard().run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
        assertEquals(0, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: java -jar c2cast-examples.jar"));
    }

    @Test
    void everyCommandHasHelpAndRejectsUnknownOptions() throws Exception
    {
        final ByteArrayOutputStream list = new ByteArrayOutputStream();
        Main.standard().run(new String[] {"--help"}, new PrintStream(list, true, StandardCharsets.UTF_8), System.err);
        int commands = 0;
        for (final String line : list.toString(StandardCharsets.UTF_8).split("\\R"))
        {
            if (!line.startsWith("  "))
            {
                continue;
            }
            final String command = line.trim().split("\\s+")[0];
            commands++;
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, Main.standard().run(new String[] {command, "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err), command);
            final String usage = out.toString(StandardCharsets.UTF_8);
            assertTrue(usage.startsWith("usage: java -jar c2cast-examples.jar " + command + " [options]"), usage);
            assertTrue(usage.contains("--help"), usage);
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(2, Main.standard().run(new String[] {command, "--no-such-option"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8)), command);
            assertTrue(err.toString(StandardCharsets.UTF_8).startsWith(command + ": unknown option --no-such-option"), err.toString());
        }
        assertTrue(commands >= 4, "commands listed: " + commands);
    }

    @Test
    void badValuesAreUsageErrors() throws Exception
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = Main.standard().run(new String[] {"phone-send", "--fps", "fast"}, System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("option --fps: 'fast' is not a number"), err.toString());
    }

    @Test
    void pushNeedsAnRtspUrl() throws Exception
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = Main.standard().run(new String[] {"phone-send", "--push", "http://127.0.0.1:8554/phone"}, System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("phone-send: option --push: not an rtsp:// URL"), err.toString());
    }

    @Test
    void topologiesAreStarOrTree() throws Exception
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Main.standard().run(new String[] {"streamsmart-demo", "--shapes", "star,ring"}, System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("streamsmart-demo: option --shapes: 'ring' is not star or tree"),
            err.toString());
        err.reset();
        assertEquals(2, Main.standard().run(new String[] {"clone", "--shape", "ring"}, System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("clone: option --shape"), err.toString());
    }
}
