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
}
