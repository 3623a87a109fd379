package dev.c2cast.examples.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class LiveTableTest
{
    @Test
    void plainOutputPrintsAlignedBlocksWithoutEscapes()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final LiveTable table = new LiveTable(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, "clone", "role");
        table.render("t=1s", List.<String[]>of(new String[] {"c1", "radix"}, new String[] {"c10", "leaf"}));
        table.render("t=2s", List.<String[]>of(new String[] {"c1", "radix"}));
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\u001b"), text);
        final String[] lines = text.split(System.lineSeparator());
        assertEquals("t=1s", lines[0]);
        assertEquals("clone  role", lines[1]);
        assertEquals("c1     radix", lines[2]);
        assertEquals("c10    leaf", lines[3]);
        assertEquals("", lines[4]);
        assertEquals("t=2s", lines[5]);
    }

    @Test
    void ansiOutputMovesBackOverThePreviousDrawing()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final LiveTable table = new LiveTable(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, "a", "b");
        table.render("first", List.<String[]>of(new String[] {"1", "2"}, new String[] {"3", "4"}));
        final int firstLength = bytes.size();
        table.render("second", List.<String[]>of(new String[] {"5", "6"}));
        final String second = bytes.toString(StandardCharsets.UTF_8).substring(firstLength);
        assertTrue(second.startsWith("\u001b[4F"), second);
        assertTrue(second.contains("\u001b[2Ksecond"), second);
        assertTrue(second.endsWith("\u001b[J"), second);
    }
}
