package dev.c2cast.examples.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes RFC 4180 CSV files: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote or newline. */
public final class Csv
{
    private Csv()
    {
    }

    /**
     * Quotes one field if needed.
     *
     * @param value the value; null becomes an empty field, numbers use {@link String#valueOf(Object)}.
     * @return the field text.
     */
    public static String field(final Object value)
    {
        final String text = value == null ? "" : String.valueOf(value);
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0)
        {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /**
     * Writes a header and rows to a file, replacing it; parent directories are created.
     *
     * @param file   the file.
     * @param header the column names.
     * @param rows   the rows, each as long as the header.
     * @throws IOException if writing fails.
     */
    public static void write(final Path file, final List<String> header, final List<? extends List<?>> rows) throws IOException
    {
        final StringBuilder text = new StringBuilder();
        appendRow(text, header);
        for (final List<?> row : rows)
        {
            if (row.size() != header.size())
            {
                throw new IllegalArgumentException("row of " + row.size() + " fields under a header of " + header.size());
            }
            appendRow(text, row);
        }
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void appendRow(final StringBuilder text, final List<?> row)
    {
        for (int i = 0; i < row.size(); i++)
        {
            if (i > 0)
            {
                text.append(',');
            }
            text.append(field(row.get(i)));
        }
        text.append("\r\n");
    }
}
