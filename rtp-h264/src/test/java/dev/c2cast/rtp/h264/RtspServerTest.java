package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import dev.c2cast.testkit.FakeClock;
import dev.c2cast.testkit.Gen;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RTSP conformance of {@link RtspServer} over a raw loopback socket, with a virtual clock for session timeouts. */
class RtspServerTest
{
    private final FakeClock clock = new FakeClock(1_000_000_000L);
    private RtspServer server;
    private LiveStream stream;

    @BeforeEach
    void start() throws InterruptedException
    {
        server = RtspServer.start(new RtspServerConfig("127.0.0.1", 0, 60, 1, 1200, clock), new SplittableRandom(1));
        stream = server.publish("/live", H264MediaDescription.of(96, 1, TestStreams.SPS_320X240, TestStreams.PPS, null));
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    /** A minimal RTSP client on a blocking socket: responses and interleaved frames. */
    private final class Client implements AutoCloseable
    {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;
        int cseq;

        Client() throws IOException
        {
            socket = new Socket("127.0.0.1", server.port());
            socket.setSoTimeout(10_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        Map<String, String> request(final String method, final String url, final String... headers) throws IOException
        {
            final StringBuilder sb = new StringBuilder(method + " " + url + " RTSP/1.0\r\nCSeq: " + ++cseq + "\r\n");
            for (final String h : headers)
            {
                sb.append(h).append("\r\n");
            }
            out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return response();
        }

        Map<String, String> response() throws IOException
        {
            while (true)
            {
                final int first = in.readUnsignedByte();
                if (first == '$')
                {
                    in.readUnsignedByte();
                    in.skipNBytes(in.readUnsignedShort());
                    continue;
                }
                final Map<String, String> headers = new LinkedHashMap<>();
                final String status = (char)first + line();
                headers.put("status", status.split(" ")[1]);
                for (String l = line(); !l.isEmpty(); l = line())
                {
                    final int colon = l.indexOf(':');
                    headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
                }
                final int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                headers.put("body", new String(in.readNBytes(length), StandardCharsets.UTF_8));
                assertEquals(Integer.toString(cseq), headers.get("cseq"), "CSeq echoed");
                return headers;
            }
        }

        int[] frame() throws IOException
        {
            while (in.readUnsignedByte() != '$')
            {
                // skip until an interleaved frame
            }
            final int channel = in.readUnsignedByte();
            final byte[] packet = in.readNBytes(in.readUnsignedShort());
            return new int[] {channel, packet.length, packet.length > 1 ? packet[1] & 0xFF : -1};
        }

        void interleaved(final int channel, final byte[] packet) throws IOException
        {
            out.write(new byte[] {'$', (byte)channel, (byte)(packet.length >> 8), (byte)packet.length});
            out.write(packet);
            out.flush();
        }

        private String line() throws IOException
        {
            final StringBuilder sb = new StringBuilder();
            for (int c = in.readUnsignedByte(); c != '\n'; c = in.readUnsignedByte())
            {
                if (c != '\r')
                {
                    sb.append((char)c);
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }

    private static String sessionId(final Map<String, String> response)
    {
        return response.get("session").split(";")[0];
    }

    @Test
    void describeSetupUdpPlayTeardownWithClientVariants() throws IOException
    {
        try (Client c = new Client())
        {
            assertTrue(c.request("OPTIONS", "rtsp://127.0.0.1/live").get("public").contains("GET_PARAMETER"));
            final Map<String, String> describe = c.request("DESCRIBE", "rtsp://127.0.0.1:" + server.port() + "//live/?x=1", "Accept: application/sdp");
            assertEquals("200", describe.get("status"));
            assertEquals("application/sdp", describe.get("content-type"));
            assertTrue(describe.get("content-base").endsWith("/live/"));
            final H264MediaDescription media = H264MediaDescription.parse(describe.get("body"));
            assertEquals("trackID=0", media.control());
            assertEquals("42c00d", media.profileLevelId());
            // ssrc before client_port, single port without a range (libstreaming), profile RTP/AVP/UDP (FFmpeg)
            final Map<String, String> setup = c.request("SETUP", "rtsp://127.0.0.1/live/trackID=0/",
                "Transport: RTP/AVP/UDP;ssrc=1234ABCD;unicast;client_port=41000");
            assertEquals("200", setup.get("status"));
            assertTrue(setup.get("session").endsWith(";timeout=60"), setup.get("session"));
            final String transport = setup.get("transport");
            assertTrue(transport.contains("client_port=41000-41001"), transport);
            assertTrue(transport.contains("server_port=" + server.rtpPort() + "-" + (server.rtpPort() + 1)), transport);
            assertTrue(transport.matches(".*;ssrc=[0-9A-F]{8}.*"), transport);
            final String id = sessionId(setup);
            final Map<String, String> play = c.request("PLAY", "rtsp://127.0.0.1/live/", "Session: " + id, "Range: npt=0-");
            assertEquals("200", play.get("status"));
            assertTrue(play.get("rtp-info").matches("url=rtsp://127\\.0\\.0\\.1:\\d+/live/trackID=0;seq=\\d+;rtptime=\\d+"), play.get("rtp-info"));
            Media.await(() -> stream.playingSessions() == 1, 5_000, "playing");
            assertEquals("200", c.request("GET_PARAMETER", "rtsp://127.0.0.1/live/", "Session: " + id).get("status"));
            assertEquals("200", c.request("SET_PARAMETER", "rtsp://127.0.0.1/live/", "Session: " + id).get("status"));
            assertEquals("200", c.request("PAUSE", "rtsp://127.0.0.1/live", "Session: " + id).get("status"));
            Media.await(() -> stream.playingSessions() == 0, 5_000, "paused");
            assertEquals("454", c.request("PLAY", "rtsp://127.0.0.1/live", "Session: nope").get("status"));
            assertEquals("404", c.request("DESCRIBE", "rtsp://127.0.0.1/other").get("status"));
            assertEquals("200", c.request("TEARDOWN", "rtsp://127.0.0.1/live/", "Session: " + id).get("status"));
            assertEquals(0, server.sessions());
        }
    }

    @Test
    void udpPlayReceivesRtpAndRtcpByeAndSessionTimesOutWithoutKeepAlive() throws IOException
    {
        try (Client c = new Client(); DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket rtcp = new DatagramSocket(rtp.getLocalPort() + 1, InetAddress.getLoopbackAddress()))
        {
            rtp.setSoTimeout(10_000);
            rtcp.setSoTimeout(10_000);
            final String id = sessionId(c.request("SETUP", "rtsp://127.0.0.1/live/trackID=0",
                "Transport: RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-" + rtcp.getLocalPort()));
            c.request("PLAY", "rtsp://127.0.0.1/live", "Session: " + id);
            final Gen gen = new Gen(5);
            stream.send(TestStreams.concat(TestStreams.accessUnit(gen, true, false, 3000)), 90000);
            final DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            rtp.receive(packet);
            final RtpHeader header = new RtpHeader().wrap(Unpooled.wrappedBuffer(packet.getData(), 0, packet.getLength()));
            assertEquals(stream.ssrc(), header.ssrc());
            assertEquals(90000, header.timestamp());
            // in-band SPS/PPS before the first IDR slice
            final java.util.List<Integer> types = new java.util.ArrayList<>();
            types.add(packet.getData()[12] & 0x1F);
            stream.end();
            final boolean[] bye = {false};
            while (!bye[0])
            {
                rtcp.receive(packet);
                Rtcp.parse(Unpooled.wrappedBuffer(packet.getData(), 0, packet.getLength()), 0, packet.getLength(), new RtcpListener()
                {
                    @Override
                    public void onBye(final int ssrc)
                    {
                        bye[0] = ssrc == stream.ssrc();
                    }
                });
            }
            // 59 s of silence keeps the session, one more second ends it
            clock.advanceNanos(59_000_000_000L);
            awaitTick();
            assertEquals(1, server.sessions());
            clock.advanceNanos(2_000_000_000L);
            Media.await(() -> server.sessions() == 0, 5_000, "session expiry");
        }
    }

    @Test
    void udpPlayerNackIsAnsweredWithTheOriginalPacketAndPliCallsTheKeyframeListener() throws IOException
    {
        final java.util.concurrent.atomic.AtomicInteger keyframes = new java.util.concurrent.atomic.AtomicInteger();
        stream.onKeyframeRequest(keyframes::incrementAndGet);
        try (Client c = new Client(); DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket rtcp = new DatagramSocket(rtp.getLocalPort() + 1, InetAddress.getLoopbackAddress()))
        {
            rtp.setSoTimeout(10_000);
            final String id = sessionId(c.request("SETUP", "rtsp://127.0.0.1/live/trackID=0",
                "Transport: RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-" + rtcp.getLocalPort()));
            c.request("PLAY", "rtsp://127.0.0.1/live", "Session: " + id);
            final java.util.List<byte[]> received = new java.util.ArrayList<>();
            stream.send(TestStreams.concat(List.of(TestStreams.SPS_320X240, TestStreams.PPS, TestStreams.nal(new Gen(8), NalUnitType.IDR, 5000))), 9000);
            final DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            do
            {
                rtp.receive(packet);
                received.add(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
            }
            while ((packet.getData()[1] & 0x80) == 0);
            assertTrue(received.size() >= 4, "SPS, PPS and FU-A fragments: " + received.size());
            final byte[] lost = received.get(2);
            final int seq = ((lost[2] & 0xFF) << 8) | (lost[3] & 0xFF);
            final io.netty.buffer.ByteBuf feedback = Unpooled.buffer();
            Rtcp.writeNack(feedback, 0x77, stream.ssrc(), seq, 0);
            Rtcp.writeNack(feedback, 0x77, stream.ssrc(), (seq + 1000) & 0xFFFF, 0);
            Rtcp.writePictureLossIndication(feedback, 0x77, stream.ssrc());
            final byte[] bytes = new byte[feedback.readableBytes()];
            feedback.readBytes(bytes);
            rtcp.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), server.rtpPort() + 1));
            rtp.receive(packet);
            assertArrayEquals(lost, java.util.Arrays.copyOf(packet.getData(), packet.getLength()), "the NACKed packet, resent as it was");
            assertEquals(1, stream.retransmissions());
            assertEquals(1, stream.unanswerableNacks(), "a sequence number never sent");
            assertEquals(1, stream.keyframeRequests());
            assertEquals(1, keyframes.get(), "PLI reached the encoder side");
        }
    }

    /**
     * Our receiver over real loopback sockets: a UDP player drops 5 % of the packets it gets (seeded), asks for what is
     * still missing 5 ms after each gap opens, and the server's resends fill every gap within the jitter buffer (whose 2 s
     * latency only guards against the test thread being descheduled on a loaded machine).
     */
    @Test
    void udpPlayerRepairsSeededLossWithNacksAnsweredByTheServer() throws IOException
    {
        final Gen gen = new Gen(31);
        final List<List<byte[]>> sent = new java.util.ArrayList<>();
        for (int k = 0; k < 60; k++)
        {
            sent.add(TestStreams.accessUnit(gen, k % 10 == 0, true, 4000));
        }
        try (Client c = new Client(); DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket rtcp = new DatagramSocket(rtp.getLocalPort() + 1, InetAddress.getLoopbackAddress()))
        {
            rtp.setReceiveBufferSize(4 << 20);
            rtp.setSoTimeout(1);
            final String id = sessionId(c.request("SETUP", "rtsp://127.0.0.1/live/trackID=0",
                "Transport: RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-" + rtcp.getLocalPort()));
            c.request("PLAY", "rtsp://127.0.0.1/live", "Session: " + id);
            final List<List<byte[]>> received = new java.util.ArrayList<>();
            final H264Depacketizer depacketizer = new H264Depacketizer((au, ts, key, complete) ->
                received.add(TestStreams.nals(PacketizerTest.bytes(au))));
            final java.util.ArrayDeque<long[]> nackDue = new java.util.ArrayDeque<>();
            final JitterBuffer jitter = new JitterBuffer(1024, 2_000_000_000L, System::nanoTime, new JitterBufferListener()
            {
                @Override
                public void onPacket(final io.netty.buffer.ByteBuf packet, final long extendedSequence)
                {
                    depacketizer.onPacket(packet);
                    packet.release();
                }

                @Override
                public void onLoss(final long firstExtendedSequence, final long count)
                {
                    depacketizer.onLoss();
                }

                @Override
                public void onMissing(final long firstExtendedSequence, final long count)
                {
                    nackDue.add(new long[] {System.nanoTime() + 5_000_000L, firstExtendedSequence, count});
                }
            });
            final java.util.SplittableRandom random = new java.util.SplittableRandom(31);
            final java.util.Set<Integer> seen = new java.util.HashSet<>();
            final DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            final io.netty.buffer.ByteBuf nack = Unpooled.buffer();
            int dropped = 0;
            int nacked = 0;
            final long deadline = System.nanoTime() + 10_000_000_000L;
            int next = 0;
            long nextSend = System.nanoTime();
            while (received.size() < sent.size() && System.nanoTime() < deadline)
            {
                // one access unit every 3 ms, so the kernel's socket buffer never overflows
                if (next < sent.size() && System.nanoTime() >= nextSend)
                {
                    stream.send(TestStreams.concat(sent.get(next)), 3000L * next);
                    next++;
                    nextSend += 3_000_000L;
                }
                try
                {
                    rtp.receive(packet);
                    final byte[] bytes = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
                    final int seq = ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
                    final long ts = Unpooled.wrappedBuffer(bytes).getUnsignedInt(RtpHeader.TIMESTAMP_OFFSET);
                    // drop originals only, never the first packet nor the last access unit (a receiver cannot NACK what it never knew of)
                    if (seen.add(seq) && seen.size() > 1 && ts != 3000L * (sent.size() - 1) && random.nextDouble() < 0.05)
                    {
                        dropped++;
                    }
                    else
                    {
                        jitter.offer(Unpooled.wrappedBuffer(bytes));
                    }
                }
                catch (final java.net.SocketTimeoutException ex)
                {
                    // no datagram this millisecond
                }
                jitter.poll();
                while (!nackDue.isEmpty() && nackDue.peekFirst()[0] <= System.nanoTime())
                {
                    final long[] due = nackDue.pollFirst();
                    for (long s = due[1]; s < due[1] + due[2]; s++)
                    {
                        if (jitter.isMissing(s))
                        {
                            nacked++;
                            nack.clear();
                            Rtcp.writeNackRange(nack, 0x77, stream.ssrc(), (int)(s & 0xFFFF), 1);
                            rtcp.send(new DatagramPacket(nack.array(), nack.arrayOffset(), nack.readableBytes(), InetAddress.getLoopbackAddress(),
                                server.rtpPort() + 1));
                        }
                    }
                }
            }
            assertTrue(dropped > 0, "the seeded loss dropped packets");
            assertEquals(sent.size(), received.size(), "every access unit, after " + dropped + " drops, " + nacked + " NACKs, lost " + jitter.lost() + ", resent " + stream.retransmissions() + ", unanswerable " + stream.unanswerableNacks() + ", dup " + jitter.duplicates() + ", late " + jitter.late());
            for (int k = 0; k < sent.size(); k++)
            {
                assertEquals(sent.get(k).size(), received.get(k).size(), "AU " + k);
                for (int n = 0; n < sent.get(k).size(); n++)
                {
                    assertArrayEquals(sent.get(k).get(n), received.get(k).get(n), "AU " + k + " NAL " + n);
                }
            }
            assertEquals(0, jitter.lost(), "nothing given up on");
            assertTrue(nacked >= dropped, "every dropped packet was NACKed (" + nacked + " NACKs, " + dropped + " drops)");
            assertEquals(nacked, stream.retransmissions(), "and every NACK answered");
        }
    }

    @Test
    void keepAliveByRequestsOrClientRtcpKeepsALongSessionUp() throws IOException
    {
        try (Client c = new Client(); DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket rtcp = new DatagramSocket(rtp.getLocalPort() + 1, InetAddress.getLoopbackAddress()))
        {
            final String id = sessionId(c.request("SETUP", "rtsp://127.0.0.1/live/trackID=0",
                "Transport: RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-" + rtcp.getLocalPort()));
            c.request("PLAY", "rtsp://127.0.0.1/live/", "Session: " + id);
            // a 120 s session with timeout=60: keep-alive every 30 s, alternately GET_PARAMETER and an RTCP RR
            for (int i = 0; i < 4; i++)
            {
                clock.advanceNanos(30_000_000_000L);
                if (i % 2 == 0)
                {
                    c.request("GET_PARAMETER", "rtsp://127.0.0.1/live/", "Session: " + id);
                }
                else
                {
                    final io.netty.buffer.ByteBuf rr = Unpooled.buffer();
                    Rtcp.writeReceiverReport(rr, 77, null);
                    final byte[] bytes = new byte[rr.readableBytes()];
                    rr.readBytes(bytes);
                    final long before = server.rtcpPackets();
                    rtcp.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), server.rtpPort() + 1));
                    Media.await(() -> server.rtcpPackets() > before, 5_000, "RTCP at the server");
                }
                awaitTick();
                assertEquals(1, server.sessions(), "alive after " + (30 * (i + 1)) + " s");
            }
            c.request("TEARDOWN", "rtsp://127.0.0.1/live/", "Session: " + id);
        }
    }

    @Test
    void tcpInterleavedChoosesChannelsSendsDataAfterPlayAndAcceptsClientFrames() throws IOException
    {
        try (Client c = new Client())
        {
            final Map<String, String> setup = c.request("SETUP", "rtsp://127.0.0.1/live/trackID=0", "Transport: RTP/AVP/TCP;unicast");
            assertTrue(setup.get("transport").startsWith("RTP/AVP/TCP;unicast;interleaved=0-1;ssrc="), setup.get("transport"));
            final String id = sessionId(setup);
            c.request("PLAY", "rtsp://127.0.0.1/live/", "Session: " + id);
            // the client's RTCP between requests
            final io.netty.buffer.ByteBuf rr = Unpooled.buffer();
            Rtcp.writeReceiverReport(rr, 77, null);
            final byte[] bytes = new byte[rr.readableBytes()];
            rr.readBytes(bytes);
            c.interleaved(1, bytes);
            stream.send(TestStreams.concat(List.of(TestStreams.nal(new Gen(3), NalUnitType.SLICE, 3000))), 3000);
            final int[] frame = c.frame();
            assertEquals(0, frame[0], "RTP on channel 0");
            assertEquals(96, frame[2] & 0x7F);
            assertEquals("200", c.request("GET_PARAMETER", "rtsp://127.0.0.1/live/", "Session: " + id).get("status"), "responses after frames");
        }
        Media.await(() -> server.sessions() == 0, 5_000, "interleaved session ends with its connection");
    }

    @Test
    void transportHeaderVariants()
    {
        assertEquals(new RtspTransport(false, 5000, 5001, -1, -1, false), RtspTransport.parse("RTP/AVP;unicast;client_port=5000-5001"));
        assertEquals(new RtspTransport(true, -1, -1, 2, 3, false), RtspTransport.parse("RTP/AVP/TCP;ssrc=0A;interleaved=2-3;unicast"));
        assertEquals(new RtspTransport(true, -1, -1, 0, 1, true), RtspTransport.parse("RTP/AVP/TCP;unicast;interleaved=0-1;mode=record"));
        assertEquals(new RtspTransport(false, 7000, 7001, -1, -1, true), RtspTransport.parse("RTP/SAVP;unicast, RTP/AVP;unicast;client_port=7000;mode=\"RECORD\""));
        assertEquals(RtpH264Exception.Reason.BAD_DESCRIPTION,
            org.junit.jupiter.api.Assertions.assertThrows(RtpH264Exception.class, () -> RtspTransport.parse("RAW/RAW/UDP;unicast")).reason());
    }

    @Test
    void controlUrlNormalization()
    {
        assertEquals("/live", RtspServer.normalize("rtsp://127.0.0.1:8554/live/"));
        assertEquals("/live/trackID=0", RtspServer.normalize("rtsp://h:1//live//trackID=0/"));
        assertEquals("/live", RtspServer.normalize("rtsp://h/live?token=1"));
        assertEquals("/", RtspServer.normalize("rtsp://h:1"));
    }

    private void awaitTick()
    {
        server.tickNow();
    }
}
