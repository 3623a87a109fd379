package dev.c2cast.microcast.download;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of an HTTP {@code Range} header (RFC 9110 section 14.1.2), resolved against the entity size.
 *
 * @param first first byte.
 * @param last  last byte, inclusive.
 */
record ByteRange(long first, long last)
{
    /** Marker for a syntactically valid range that no byte of the entity satisfies (416). */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    /**
     * Resolves a {@code Range} header.
     *
     * @param header the header value.
     * @param size   entity size, positive.
     * @return the range; {@link #UNSATISFIABLE}; or {@code null} to serve the whole entity (several ranges or a
     *         header this server does not parse, which RFC 9110 allows it to ignore).
     */
    static ByteRange parse(final String header, final long size)
    {
        final Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty())
        {
            return null;
        }
        if (m.group(1).isEmpty())
        {
            final long suffix = Long.parseLong(m.group(2));
            return suffix == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - suffix), size - 1);
        }
        final long first = Long.parseLong(m.group(1));
        final long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
        if (last < first)
        {
            return null;
        }
        if (first >= size)
        {
            return UNSATISFIABLE;
        }
        return new ByteRange(first, Math.min(last, size - 1));
    }
}
