package dev.c2cast.examples.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest
{
    @Test
    void quotesOnlyWhatNeedsQuoting()
    {
        assertEquals("plain", Csv.field("plain"));
        assertEquals("\"a,b\"", Csv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.field("say \"hi\""));
        assertEquals("\"two\nlines\"", Csv.field("two\nlines"));
        assertEquals("", Csv.field(null));
        assertEquals("1.5", Csv.field(1.5));
    }

    @Test
    void writesHeaderAndRowsWithCrlf(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("sub/out.csv");
        Csv.write(file, List.of("shape", "copies"), List.of(List.of("star", 16), List.of("tree", 2.0)));
        assertEquals("shape,copies\r\nstar,16\r\ntree,2.0\r\n", Files.readString(file, StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> Csv.write(file, List.of("a"), List.of(List.of(1, 2))));
    }
}
