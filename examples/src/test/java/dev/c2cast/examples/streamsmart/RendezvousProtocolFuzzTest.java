package dev.c2cast.examples.streamsmart;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Arbitrary bytes on a rendezvous connection, read line by line and offered to every message parser: only
 * {@link RendezvousProtocolException} may come out, never a name lookup (Jazzer's SSRF sanitizer would report one),
 * and no line is longer than the limit.
 */
class RendezvousProtocolFuzzTest
{
    @FuzzTest(maxDuration = "10s")
    void anyBytesAreParsedOrRefused(final byte[] input) throws IOException
    {
        final ByteArrayInputStream in = new ByteArrayInputStream(input);
        for (int lines = 0; lines < 64; lines++)
        {
            final String line;
            try
            {
                line = RendezvousProtocol.readLine(in);
            }
            catch (final RendezvousProtocolException refused)
            {
                return;
            }
            if (line == null)
            {
                return;
            }
            if (line.length() > RendezvousProtocol.MAX_LINE_BYTES)
            {
                throw new AssertionError("a line of " + line.length() + " characters got through");
            }
            RendezvousProtocol.keyword(line);
            parse(() -> RendezvousProtocol.hello(line));
            parse(() -> RendezvousProtocol.welcome(line));
            parse(() -> RendezvousProtocol.address(line));
            parse(() -> RendezvousProtocol.member(line));
            parse(() -> RendezvousProtocol.senderReport(line));
        }
    }

    private static void parse(final Runnable parser)
    {
        try
        {
            parser.run();
        }
        catch (final RendezvousProtocolException refused)
        {
            // a typed refusal is the expected answer to a malformed line
        }
    }
}
