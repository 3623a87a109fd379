package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RTP produced by FFmpeg ({@code -c copy -f rtp}) and GStreamer ({@code rtph264pay}, aggregation off and on), received
 * over loopback UDP and depacketized by us: the Annex B output must hold the source's NAL units byte for byte, with
 * sender-inserted parameter sets as the only extras. Captures are written to target/it-media (the small ones are
 * committed as fixtures and replayed by {@code CapturedStreamsTest}).
 */
class ReceiverInteropIT
{
    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource({
        "nob,ffmpeg", "bf,ffmpeg", "slices,ffmpeg", "mode0,ffmpeg-mode0",
        "nob,gst-none", "nob,gst-zero-latency", "bf,gst-none", "slices,gst-zero-latency"})
    void depacketizedNalSequenceEqualsSource(final String name, final String sender) throws IOException
    {
        Media.requireTools();
        final Media.Clip clip = Media.clip(name);
        final int port = Media.freePortPair();
        final Path sdpFile = Media.DIR.resolve(name + "-" + sender + ".sdp");
        Files.deleteIfExists(sdpFile);
        final List<String> command = new ArrayList<>();
        if (sender.startsWith("ffmpeg"))
        {
            command.addAll(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-i", clip.mp4().toString(),
                "-map", "0:v", "-c:v", "copy", "-f", "rtp", "-sdp_file", sdpFile.toString()));
            if (sender.endsWith("mode0"))
            {
                command.addAll(List.of("-rtpflags", "h264_mode0"));
            }
            command.add("rtp://127.0.0.1:" + port + "?pkt_size=1200");
        }
        else
        {
            command.addAll(List.of("gst-launch-1.0", "-q", "filesrc", "location=" + clip.mp4(), "!", "qtdemux", "!",
                "rtph264pay", "pt=96", "mtu=1200", "aggregate-mode=" + sender.substring(4), "!",
                "udpsink", "host=127.0.0.1", "port=" + port, "sync=false"));
        }
        final List<byte[]> packets = new ArrayList<>();
        try (DatagramChannel rtp = DatagramChannel.open(); DatagramChannel rtcp = DatagramChannel.open())
        {
            rtp.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
            rtp.bind(new InetSocketAddress("127.0.0.1", port));
            rtcp.bind(new InetSocketAddress("127.0.0.1", port + 1));
            rtp.configureBlocking(false);
            final Process process = Media.start(Media.PROCESS_SECONDS, command, Media.DIR.resolve(name + "-" + sender + ".log"));
            final ByteBuffer buffer = ByteBuffer.allocate(65536);
            final long deadline = System.nanoTime() + 40_000_000_000L;
            long lastPacket = System.nanoTime();
            while (System.nanoTime() < deadline)
            {
                buffer.clear();
                if (rtp.receive(buffer) != null)
                {
                    buffer.flip();
                    final byte[] p = new byte[buffer.remaining()];
                    buffer.get(p);
                    packets.add(p);
                    lastPacket = System.nanoTime();
                }
                else if (!process.isAlive() && System.nanoTime() - lastPacket > 300_000_000L)
                {
                    break;
                }
                else
                {
                    LockSupport.parkNanos(200_000L);
                }
            }
            assertEquals(0, Media.waitFor(process, 10), sender + " exit status");
        }
        Captures.write(Media.DIR.resolve(name + "-" + sender + ".cap"), packets);
        final H264MediaDescription sdp = Files.exists(sdpFile) ? H264MediaDescription.parse(Files.readString(sdpFile)) : null;
        if (sdp != null)
        {
            assertEquals(sender.endsWith("mode0") ? 0 : 1, sdp.packetizationMode());
        }
        final int[] accessUnits = {0};
        final byte[] out = Captures.depacketize(packets, sdp, accessUnits);
        assertTrue(packets.size() > clip.refMd5().size(), "received " + packets.size() + " packets");
        assertEquals(clip.refMd5().size(), accessUnits[0], "one access unit per frame");
        Captures.assertSameNalSequence(clip.annexB(), out, name + " from " + sender);
    }
}
