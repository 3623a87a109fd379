package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.c2cast.testkit.Gen;
import org.junit.jupiter.api.Test;

/** A phone pushes to its clone with our client (ANNOUNCE/RECORD) and a viewer plays it with our client, on loopback. */
class RtspClientTest
{
    @Test
    void pushThroughTheServerToAPlayerKeepsEveryAccessUnit() throws InterruptedException
    {
        try (RtspServer server = RtspServer.start(RtspServerConfig.defaults(), new SplittableRandom(3)))
        {
            final String url = "rtsp://127.0.0.1:" + server.port() + "/phone1";
            final Gen gen = new Gen(9);
            final List<List<byte[]>> sent = new ArrayList<>();
            for (int k = 0; k < 40; k++)
            {
                sent.add(TestStreams.accessUnit(gen, k % 10 == 0, true, 4000));
            }
            final List<List<byte[]>> received = new CopyOnWriteArrayList<>();
            final List<Long> timestamps = new CopyOnWriteArrayList<>();
            final java.util.concurrent.atomic.AtomicInteger phoneRequests = new java.util.concurrent.atomic.AtomicInteger();
            try (RtspClient phone = RtspClient.connect(url, new SplittableRandom(1)))
            {
                phone.onKeyframeRequest(phoneRequests::incrementAndGet);
                phone.record(H264MediaDescription.of(96, 1, TestStreams.SPS_320X240, TestStreams.PPS, null), PacketizerConfig.defaults(0xFACE, 100));
                assertNotNull(server.stream("/phone1"), "ANNOUNCE published the stream");
                try (RtspClient viewer = RtspClient.connect(url, new SplittableRandom(2)))
                {
                    assertEquals("42c00d", viewer.describe().profileLevelId());
                    viewer.play((au, ts, key, complete) ->
                    {
                        received.add(TestStreams.nals(PacketizerTest.bytes(au)));
                        timestamps.add(ts);
                    });
                    assertNotNull(viewer.session());
                    for (int k = 0; k < sent.size(); k++)
                    {
                        phone.send(TestStreams.concat(sent.get(k)), 3000L * k);
                    }
                    // the last access unit is closed by its marker bit; wait until the viewer has all of them
                    Media.await(() -> received.size() == sent.size(), 10_000, "viewer to receive every access unit");
                    // a viewer's PLI reaches the phone through the server
                    final LiveStream relayed = server.stream("/phone1");
                    sendPliAsAViewer(server.port());
                    Media.await(() -> phoneRequests.get() == 1, 5_000, "PLI forwarded to the phone");
                    assertEquals(1, relayed.keyframeRequests());
                }
            }
            for (int k = 0; k < sent.size(); k++)
            {
                assertEquals(3000L * k, timestamps.get(k));
                assertEquals(sent.get(k).size(), received.get(k).size(), "AU " + k);
                for (int n = 0; n < sent.get(k).size(); n++)
                {
                    assertArrayEquals(sent.get(k).get(n), received.get(k).get(n), "AU " + k + " NAL " + n);
                }
            }
        }
    }

    /** A raw-socket viewer: SETUP over TCP, PLAY, then an RTCP PLI on the interleaved RTCP channel. */
    private static void sendPliAsAViewer(final int port)
    {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(10_000);
            final java.io.OutputStream out = socket.getOutputStream();
            final java.io.BufferedReader in = new java.io.BufferedReader(
                new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write(("SETUP rtsp://127.0.0.1/phone1/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String session = null;
            for (String line = in.readLine(); !line.isEmpty(); line = in.readLine())
            {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("session:"))
                {
                    session = line.substring(8).trim().split(";")[0];
                }
            }
            assertNotNull(session);
            out.write(("PLAY rtsp://127.0.0.1/phone1 RTSP/1.0\r\nCSeq: 2\r\nSession: " + session + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (String line = in.readLine(); !line.isEmpty(); line = in.readLine())
            {
                // PLAY response headers
            }
            final io.netty.buffer.ByteBuf pli = io.netty.buffer.Unpooled.buffer();
            pli.writeByte('$');
            pli.writeByte(1);
            pli.writeShort(12);
            Rtcp.writePictureLossIndication(pli, 5, 0);
            final byte[] bytes = new byte[pli.readableBytes()];
            pli.readBytes(bytes);
            out.write(bytes);
            out.flush();
            // the server reads these bytes before it sees the connection close
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
