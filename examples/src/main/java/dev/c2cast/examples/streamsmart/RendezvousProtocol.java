package dev.c2cast.examples.streamsmart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The lines of the {@link Rendezvous} protocol, read and checked before anything acts on them: a line is at most
 * {@link #MAX_LINE_BYTES} bytes of US-ASCII, names are short and plain, ids are non-negative, hosts are IP
 * literals (a peer can never make the radix resolve a name), ports are in range, tokens are short hex. Anything
 * else is a {@link RendezvousProtocolException}, which ends the connection.
 */
final class RendezvousProtocol
{
    /** Longest line either side accepts, line feed excluded. */
    static final int MAX_LINE_BYTES = 512;
    /** Longest member name. */
    static final int MAX_NAME_LENGTH = 64;
    /** Longest join token, in bytes (a StreamToken is 57). */
    static final int MAX_TOKEN_BYTES = 128;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_NAME_LENGTH + "}");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,20}");

    /** member -> radix: {@code HELLO name}. */
    record Hello(String name)
    {
    }

    /** radix -> member: {@code WELCOME memberId radixId streamId tokenHex}. */
    record Welcome(long memberId, long radixId, long streamId, byte[] token)
    {
    }

    /** member -> radix: {@code ADDRESS host treePort rtspPort}. */
    record Address(InetSocketAddress tree, int rtspPort)
    {
    }

    /** radix -> member: {@code MEMBER memberId name host treePort}. */
    record Member(long id, String name, InetSocketAddress tree)
    {
    }

    /** radix -> member: {@code SR ntpTimestamp rtpTimestamp}. */
    record SenderReport(long ntpTimestamp, long rtpTimestamp)
    {
    }

    private RendezvousProtocol()
    {
    }

    /**
     * Reads one line, without its line feed (and a carriage return before it).
     *
     * @param in the connection.
     * @return the line, or null at the end of the stream.
     * @throws RendezvousProtocolException if the line is too long or not US-ASCII.
     * @throws IOException                 on a read error or timeout.
     */
    static String readLine(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != '\n')
        {
            if (b < 0)
            {
                if (line.size() == 0)
                {
                    return null;
                }
                break;
            }
            if (line.size() == MAX_LINE_BYTES)
            {
                throw new RendezvousProtocolException("line longer than " + MAX_LINE_BYTES + " bytes");
            }
            if (b >= 0x80 || b < 0x20 && b != '\r' && b != '\t')
            {
                throw new RendezvousProtocolException("byte 0x" + Integer.toHexString(b) + " in a line");
            }
            line.write(b);
        }
        final String text = line.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    static Hello hello(final String line)
    {
        final String[] words = words(line, "HELLO", 2, "HELLO name");
        return new Hello(name(words[1]));
    }

    static Welcome welcome(final String line)
    {
        final String[] words = words(line, "WELCOME", 5, "WELCOME memberId radixId streamId token");
        final String hex = words[4];
        if (hex.length() > 2 * MAX_TOKEN_BYTES || hex.isEmpty() || (hex.length() & 1) != 0)
        {
            throw new RendezvousProtocolException("bad token length " + hex.length());
        }
        final byte[] token;
        try
        {
            token = HexFormat.of().parseHex(hex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new RendezvousProtocolException("token is not hex");
        }
        return new Welcome(id(words[1]), id(words[2]), id(words[3]), token);
    }

    static Address address(final String line)
    {
        final String[] words = words(line, "ADDRESS", 4, "ADDRESS host treePort rtspPort");
        return new Address(new InetSocketAddress(host(words[1]), port(words[2])), port(words[3]));
    }

    static Member member(final String line)
    {
        final String[] words = words(line, "MEMBER", 5, "MEMBER memberId name host treePort");
        return new Member(id(words[1]), name(words[2]), new InetSocketAddress(host(words[3]), port(words[4])));
    }

    static SenderReport senderReport(final String line)
    {
        final String[] words = words(line, "SR", 3, "SR ntpTimestamp rtpTimestamp");
        final long rtp = number(words[2]);
        if (rtp < 0 || rtp > 0xFFFF_FFFFL)
        {
            throw new RendezvousProtocolException("RTP timestamp out of range: " + words[2]);
        }
        return new SenderReport(number(words[1]), rtp);
    }

    /**
     * The first word of a line: what kind of message it is.
     *
     * @param line the line.
     * @return the keyword, empty for a blank line.
     */
    static String keyword(final String line)
    {
        final String trimmed = line.trim();
        final int space = trimmed.indexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(0, space);
    }

    /**
     * Whether a clone name can travel in rendezvous lines.
     *
     * @param name the name.
     * @return true if it is 1 to {@link #MAX_NAME_LENGTH} letters, digits, '.', '_' or '-'.
     */
    static boolean isName(final String name)
    {
        return NAME.matcher(name).matches();
    }

    private static String[] words(final String line, final String keyword, final int count, final String form)
    {
        final String[] words = line == null ? new String[0] : line.trim().split(" +");
        if (words.length != count || !keyword.equals(words[0]))
        {
            throw new RendezvousProtocolException("expected " + form);
        }
        return words;
    }

    private static String name(final String word)
    {
        if (!isName(word))
        {
            throw new RendezvousProtocolException("a name is 1 to " + MAX_NAME_LENGTH + " letters, digits, '.', '_' or '-'");
        }
        return word;
    }

    private static long number(final String word)
    {
        if (!DECIMAL.matcher(word).matches())
        {
            throw new RendezvousProtocolException("not a number: " + word);
        }
        try
        {
            return Long.parseLong(word);
        }
        catch (final NumberFormatException ex)
        {
            throw new RendezvousProtocolException("number out of range: " + word);
        }
    }

    private static long id(final String word)
    {
        final long id = number(word);
        if (id < 0)
        {
            throw new RendezvousProtocolException("negative id: " + word);
        }
        return id;
    }

    private static int port(final String word)
    {
        final long port = number(word);
        if (port < 1 || port > 65_535)
        {
            throw new RendezvousProtocolException("port out of range: " + word);
        }
        return (int)port;
    }

    private static InetAddress host(final String word)
    {
        // Only literals reach InetAddress.getByName, which then parses them without a lookup.
        if (!IPV4.matcher(word).matches() && !(word.indexOf(':') >= 0 && IPV6.matcher(word).matches()))
        {
            throw new RendezvousProtocolException("not an IP address: " + word);
        }
        try
        {
            return InetAddress.getByName(word);
        }
        catch (final UnknownHostException ex)
        {
            throw new RendezvousProtocolException("not an IP address: " + word);
        }
    }
}
