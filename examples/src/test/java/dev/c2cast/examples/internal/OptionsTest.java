package dev.c2cast.examples.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class OptionsTest
{
    private static Options options()
    {
        return new Options("clone", "A cloud clone.\nSecond line.")
            .option("port", "PORT", "8554", "RTSP port")
            .option("join", "HOST:PORT", null, "clone to join")
            .option("rate", "X", "1.5", "a rate")
            .option("mode", "MODE", "tree", "star or tree")
            .flag("no-ansi", "plain output");
    }

    @Test
    void parsesBothValueFormsFlagsAndDefaults() throws Exception
    {
        final Options.Parsed parsed = options().parse(new String[] {"--port", "9000", "--join=10.0.0.1:7400", "--no-ansi"});
        assertFalse(parsed.help());
        assertEquals(9000, parsed.integer("port", 0, 65535));
        assertEquals(new InetSocketAddress("10.0.0.1", 7400), parsed.address("join", "127.0.0.1"));
        assertTrue(parsed.flag("no-ansi"));
        assertEquals(1.5, parsed.decimal("rate", 0, 10));
        assertEquals("tree", parsed.choice("mode", "star", "tree"));
        assertTrue(parsed.has("port"));
        assertFalse(parsed.has("rate"));
    }

    @Test
    void bareAndColonPortsUseTheDefaultHost() throws Exception
    {
        final Options.Parsed parsed = options().parse(new String[] {"--join", ":7400"});
        assertEquals(new InetSocketAddress("127.0.0.1", 7400), parsed.address("join", "127.0.0.1"));
        assertEquals(new InetSocketAddress("127.0.0.1", 7401),
            options().parse(new String[] {"--join", "7401"}).address("join", "127.0.0.1"));
    }

    @Test
    void helpIsRecognisedAndUsageListsEveryOptionWithDefaults() throws Exception
    {
        final Options options = options();
        assertTrue(options.parse(new String[] {"--help"}).help());
        assertTrue(options.parse(new String[] {"-h"}).help());
        final String usage = options.usage();
        assertTrue(usage.startsWith("usage: java -jar c2cast-examples.jar clone [options]"), usage);
        assertTrue(usage.contains("--port PORT"), usage);
        assertTrue(usage.contains("(default: 8554)"), usage);
        assertTrue(usage.contains("--no-ansi"), usage);
        assertTrue(usage.contains("Second line."), usage);
    }

    @Test
    void errorsNameTheOption() throws Exception
    {
        final Options options = options();
        assertEquals("unknown option --nope", assertThrows(UsageException.class, () -> options.parse(new String[] {"--nope"})).getMessage());
        assertEquals("unexpected argument 'x'", assertThrows(UsageException.class, () -> options.parse(new String[] {"x"})).getMessage());
        assertTrue(assertThrows(UsageException.class, () -> options.parse(new String[] {"--port"})).getMessage().contains("needs a value"));
        assertTrue(assertThrows(UsageException.class, () -> options.parse(new String[] {"--no-ansi=1"})).getMessage().contains("takes no value"));
        final Options.Parsed bad = options.parse(new String[] {"--port", "70000", "--rate", "abc", "--join", "host:x", "--mode", "ring"});
        assertTrue(assertThrows(UsageException.class, () -> bad.integer("port", 0, 65535)).getMessage().contains("not in [0, 65535]"));
        assertTrue(assertThrows(UsageException.class, () -> bad.decimal("rate", 0, 10)).getMessage().contains("not a number"));
        assertTrue(assertThrows(UsageException.class, () -> bad.address("join", "h")).getMessage().contains("not HOST:PORT"));
        assertTrue(assertThrows(UsageException.class, () -> bad.choice("mode", "star", "tree")).getMessage().contains("not one of"));
        final Options.Parsed empty = options.parse(new String[0]);
        assertEquals("option --join is required", assertThrows(UsageException.class, () -> empty.required("join")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> empty.string("undeclared"));
    }

    @Test
    void numbersOutOfBoundsOrMalformedAreUsageErrorsNamingTheOption() throws Exception
    {
        final Options.Parsed parsed = options().parse(new String[] {"--port", "70000", "--rate", "12.5", "--mode", "x1"});
        assertEquals("option --port: 70000 is not in [0, 65535]",
            assertThrows(UsageException.class, () -> parsed.integer("port", 0, 65535)).getMessage());
        assertEquals("option --rate: 12.5 is not in [0.0, 10.0]",
            assertThrows(UsageException.class, () -> parsed.decimal("rate", 0, 10)).getMessage());
        assertEquals("option --mode: 'x1' is not an integer",
            assertThrows(UsageException.class, () -> parsed.integer("mode", 0, 1)).getMessage());
        assertEquals(12.5, parsed.decimal("rate", 0, 100));
    }
}
