package dev.c2cast.examples.microcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MicroCast demo with its defaults: every device ends with the origin's file (SHA-256) under MicroCast, and
 * MicroCast's local traffic is below BitTorrent-Pull's.
 */
class MicroCastDemoIT
{
    @Test
    void demoWithDefaultsVerifiesEveryFileAndBeatsBitTorrentPullOnLocalTraffic(@TempDir final Path dir) throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            status = new MicroCastDemo().run(new String[] {"--no-ansi", "--out", dir.toString()}, out, System.err);
        }
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        assertTrue(text.contains("check microcast: every device's file matches the origin SHA-256: OK"), text);
        assertTrue(text.matches("(?s).*check microcast local traffic \\d+ KB < bittorrent-pull \\d+ KB: OK.*"), text);
        assertTrue(text.matches("(?s).*files matching the origin SHA-256\\s+4/4\\s+4/4\\s+3/4.*"), text);
        final List<String> csv = Files.readAllLines(dir.resolve("microcast-devices.csv"));
        assertEquals(1 + 3 * 4, csv.size());
        assertTrue(csv.get(1).startsWith("microcast,1,8.00,"), csv.get(1));
        assertTrue(csv.stream().skip(1).filter(line -> line.startsWith("microcast")).allMatch(line -> line.endsWith(",true")), csv.toString());
        for (final String png : List.of("download-time.png", "local-traffic.png"))
        {
            assertTrue(Files.size(dir.resolve(png)) > 1000, png);
        }
    }
}
