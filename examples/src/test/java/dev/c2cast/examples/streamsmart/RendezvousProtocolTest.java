package dev.c2cast.examples.streamsmart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RendezvousProtocolTest
{
    @Test
    void readsLinesWithOrWithoutCarriageReturnsAndTheLastUnterminatedOne() throws IOException
    {
        final ByteArrayInputStream in = new ByteArrayInputStream("HELLO a\r\nSR 1 2\nlast".getBytes(StandardCharsets.US_ASCII));
        assertEquals("HELLO a", RendezvousProtocol.readLine(in));
        assertEquals("SR 1 2", RendezvousProtocol.readLine(in));
        assertEquals("last", RendezvousProtocol.readLine(in));
        assertNull(RendezvousProtocol.readLine(in));
    }

    @Test
    void aLineStopsBeingReadAtTheLimit()
    {
        final byte[] endless = new byte[RendezvousProtocol.MAX_LINE_BYTES + 1];
        java.util.Arrays.fill(endless, (byte)'a');
        final RendezvousProtocolException refused = assertThrows(RendezvousProtocolException.class,
            () -> RendezvousProtocol.readLine(new ByteArrayInputStream(endless)));
        assertEquals("line longer than 512 bytes", refused.getMessage());
        assertThrows(RendezvousProtocolException.class,
            () -> RendezvousProtocol.readLine(new ByteArrayInputStream(new byte[] {'H', (byte)0xC3, (byte)0xA9, '\n'})));
    }

    @Test
    void parsesEveryMessage()
    {
        assertEquals("c-1.x_y", RendezvousProtocol.hello("HELLO c-1.x_y").name());
        final RendezvousProtocol.Welcome welcome = RendezvousProtocol.welcome("WELCOME 3 0 77 0a0BfF");
        assertEquals(3, welcome.memberId());
        assertEquals(77, welcome.streamId());
        assertArrayEquals(new byte[] {10, 11, -1}, welcome.token());
        final RendezvousProtocol.Address address = RendezvousProtocol.address("ADDRESS 10.0.0.2 7401 8554");
        assertEquals(new InetSocketAddress("10.0.0.2", 7401), address.tree());
        assertEquals(8554, address.rtspPort());
        assertEquals(new InetSocketAddress("::1", 5000), RendezvousProtocol.member("MEMBER 2 c2 ::1 5000").tree());
        assertEquals(new RendezvousProtocol.SenderReport(-5, 4_294_967_295L),
            RendezvousProtocol.senderReport("SR -5 4294967295"));
        assertEquals("MEMBER", RendezvousProtocol.keyword("  MEMBER 2 c2 ::1 5000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "HELLO", "HELLO a b", "HELLO na\tme", "HELLO naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "HI a",
        "WELCOME 1 0 77", "WELCOME -1 0 77 00", "WELCOME 1 0 77 0", "WELCOME 1 0 77 zz", "WELCOME 99999999999999999999 0 1 00",
        "ADDRESS localhost 1 2", "ADDRESS example.com 1 2", "ADDRESS .: 1 2", "ADDRESS 256.0.0.1 1 2", "ADDRESS 01.2.3.4 1 2",
        "ADDRESS 10.0.0.1 0 2", "ADDRESS 10.0.0.1 1 65536", "ADDRESS 10.0.0.1 1 +2", "ADDRESS 1::x 1 2",
        "MEMBER 1 c1 10.0.0.1", "MEMBER 1 c/1 10.0.0.1 5", "MEMBER 1 c1 :::::::::::::: 5",
        "SR 1", "SR 1 4294967296", "SR 1 -1", "SR 1 2 3"})
    void refusesMalformedLinesWithATypedError(final String line)
    {
        assertThrows(RendezvousProtocolException.class, () ->
        {
            switch (line.isEmpty() ? "" : RendezvousProtocol.keyword(line))
            {
                case "WELCOME":
                    RendezvousProtocol.welcome(line);
                    break;
                case "ADDRESS":
                    RendezvousProtocol.address(line);
                    break;
                case "MEMBER":
                    RendezvousProtocol.member(line);
                    break;
                case "SR":
                    RendezvousProtocol.senderReport(line);
                    break;
                default:
                    RendezvousProtocol.hello(line);
                    break;
            }
        }, line);
    }
}
