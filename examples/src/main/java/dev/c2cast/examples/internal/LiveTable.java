package dev.c2cast.examples.internal;

import java.io.PrintStream;
import java.util.List;

/**
 * A text table redrawn in place on an ANSI terminal (the cursor moves back over the previous drawing and each line
 * is cleared before it is rewritten), or printed as a fresh block of plain lines otherwise, such as when the output
 * is a file or a pipe. Column widths only grow, so the table does not jitter between refreshes.
 * <p>
 * Confined to one thread.
 */
public final class LiveTable
{
    /** Moves the cursor to the start of the line {@code n} lines up: CSI n F. */
    private static final String ESC = "\u001b[";

    private final PrintStream out;
    private final boolean ansi;
    private final String[] headers;
    private final int[] widths;
    private int linesDrawn;

    /**
     * Creates a table.
     *
     * @param out     where it is drawn.
     * @param ansi    true to redraw in place with ANSI escapes, false for plain lines.
     * @param headers the column titles.
     */
    public LiveTable(final PrintStream out, final boolean ansi, final String... headers)
    {
        this.out = out;
        this.ansi = ansi;
        this.headers = headers.clone();
        this.widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++)
        {
            widths[i] = headers[i].length();
        }
    }

    /**
     * Whether the process's standard output looks like an interactive terminal that understands ANSI escapes.
     *
     * @return true when a console is attached and {@code TERM} is not {@code dumb}.
     */
    public static boolean terminalSupportsAnsi()
    {
        final String term = System.getenv("TERM");
        return System.console() != null && term != null && !"dumb".equals(term);
    }

    /**
     * Draws the table with a title line; on ANSI it replaces the previous drawing.
     *
     * @param title a line above the table, such as the elapsed time.
     * @param rows  the cells, one array per row with one cell per header (missing cells are blank).
     */
    public void render(final String title, final List<String[]> rows)
    {
        for (final String[] row : rows)
        {
            for (int i = 0; i < widths.length && i < row.length; i++)
            {
                widths[i] = Math.max(widths[i], row[i] == null ? 0 : row[i].length());
            }
        }
        final StringBuilder text = new StringBuilder();
        if (ansi && linesDrawn > 0)
        {
            text.append(ESC).append(linesDrawn).append('F');
        }
        int lines = 0;
        lines += line(text, title);
        lines += line(text, format(headers));
        for (final String[] row : rows)
        {
            lines += line(text, format(row));
        }
        if (ansi)
        {
            for (int i = lines; i < linesDrawn; i++)
            {
                text.append(ESC).append("2K").append(System.lineSeparator());
            }
            text.append(ESC).append("J");
            linesDrawn = Math.max(lines, linesDrawn);
        }
        else
        {
            text.append(System.lineSeparator());
        }
        out.print(text);
        out.flush();
    }

    private int line(final StringBuilder text, final String line)
    {
        if (ansi)
        {
            text.append(ESC).append("2K");
        }
        text.append(line).append(System.lineSeparator());
        return 1;
    }

    private String format(final String[] cells)
    {
        final StringBuilder line = new StringBuilder();
        for (int i = 0; i < widths.length; i++)
        {
            final String cell = i < cells.length && cells[i] != null ? cells[i] : "";
            if (i > 0)
            {
                line.append("  ");
            }
            line.append(cell);
            if (i < widths.length - 1)
            {
                line.append(" ".repeat(widths[i] - cell.length()));
            }
        }
        return line.toString();
    }
}
