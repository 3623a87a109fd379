package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our packetizer's stream, sent over loopback UDP, decoded by FFmpeg (from our SDP) and by GStreamer
 * ({@code rtpjitterbuffer ! rtph264depay ! h264parse ! avdec_h264}) at the same time: every frame must equal the
 * reference decode of the source.
 */
class SenderInteropIT
{
    /** IDR access units sent to GStreamer after a clip so that it outputs every frame of the clip before EOS. */
    static final int FLUSH_IDRS = 8;

    @ParameterizedTest(name = "{0} mode {1}")
    @CsvSource({"nob,1", "bf,1", "slices,1", "mode0,0"})
    void ffmpegAndGstreamerDecodeEveryFrameIntact(final String name, final int mode) throws IOException
    {
        Media.requireTools();
        final Media.Clip clip = Media.clip(name);
        final List<ByteBuf> aus = clip.accessUnits();
        final int ffPort = Media.freePortPair();
        final int gstPort = ffPort + 2;
        final PacketizerConfig config = new PacketizerConfig(mode, 1200, 96, 0x5eed0001, 40000, false);
        final byte[][] params = parameterSets(aus.get(0));
        final H264MediaDescription media = H264MediaDescription.of(96, mode, params[0], params[1], null);
        final Path sdp = Media.DIR.resolve(name + "-m" + mode + ".sdp");
        Files.writeString(sdp, media.toSdp("c2cast", "127.0.0.1", ffPort));
        final Path ffOut = Media.DIR.resolve(name + "-m" + mode + ".ff.md5");
        final Path gstOut = Media.DIR.resolve(name + "-m" + mode + ".gst.yuv");
        Files.deleteIfExists(ffOut);
        Files.deleteIfExists(gstOut);
        final Process ff = Media.start(Media.PROCESS_SECONDS, List.of("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error",
            "-protocol_whitelist", "file,udp,rtp", "-i", sdp.toString(), "-fps_mode", "passthrough", "-f", "framemd5", ffOut.toString()),
            Media.DIR.resolve(name + "-m" + mode + ".ff.log"));
        final String sprop = media.fmtp().replaceAll(".*sprop-parameter-sets=", "");
        final Process gst = Media.start(Media.PROCESS_SECONDS, List.of("gst-launch-1.0", "-e", "-q",
            "udpsrc", "address=127.0.0.1", "port=" + gstPort, "buffer-size=8388608",
            "caps=application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,payload=96,packetization-mode=(string)" + mode
                + ",sprop-parameter-sets=(string)\"" + sprop + "\"",
            "!", "rtpjitterbuffer", "latency=200", "!", "rtph264depay", "!", "h264parse", "!", "avdec_h264",
            "!", "videoconvert", "!", "video/x-raw,format=I420", "!", "filesink", "location=" + gstOut),
            Media.DIR.resolve(name + "-m" + mode + ".gst.log"));
        try (Media.UdpSender sender = new Media.UdpSender(ffPort, gstPort))
        {
            Media.await(() -> Media.udpBound(ffPort) && Media.udpBound(gstPort), 15_000, "receivers to bind");
            final H264Packetizer packetizer = new H264Packetizer(config);
            final long start = System.nanoTime();
            for (int k = 0; k < aus.size(); k++)
            {
                // pace at 2x real time so the receivers' socket buffers never overflow
                LockSupport.parkNanos(start + k * 16_666_666L - System.nanoTime());
                packetizer.packetize(aus.get(k), clip.pts90k().get(k), sender);
            }
            // A decoder holds back a few frames (reordering, frame threads) until something pushes them out. EOS on
            // SIGINT would, but udpsrc stops reading its socket at EOS, so on a loaded machine datagrams still queued
            // there were lost and the clip's last frames with them. Instead, GStreamer alone (not FFmpeg, which must
            // see exactly the clip) gets FLUSH_IDRS copies of the clip's first (IDR) access unit after the clip: each
            // IDR bumps every held picture out, so all of the clip's frames are written before the pipeline stops,
            // and only those are compared below.
            long lastPts = Long.MIN_VALUE;
            for (final long pts : clip.pts90k())
            {
                lastPts = Math.max(lastPts, pts);
            }
            final RtpPacketSink gstOnly = sender.onlyTo(1);
            for (int k = 1; k <= FLUSH_IDRS; k++)
            {
                LockSupport.parkNanos(16_666_666L);
                packetizer.packetize(aus.get(0), lastPts + k * 3000L, gstOnly);
            }
            final int frameBytes = clip.width() * clip.height() * 3 / 2;
            Media.awaitQuiet(gstOut, (long)frameBytes * clip.refYuvMd5().size(), Media.GST_QUIET_MILLIS, 30_000,
                "GStreamer to decode every frame of the clip and go quiet");
            // ffmpeg ends on RTCP BYE, which must come a while after the last RTP packet
            LockSupport.parkNanos(300_000_000L);
            final ByteBuf bye = Unpooled.buffer();
            Rtcp.writeSenderReport(bye, config.ssrc(), Rtcp.ntpTimestamp(System.currentTimeMillis() * 1_000_000L),
                clip.pts90k().get(aus.size() - 1), packetizer.packetCount(), packetizer.octetCount());
            Rtcp.writeBye(bye, config.ssrc());
            final byte[] rtcp = new byte[bye.readableBytes()];
            bye.readBytes(rtcp);
            sender.send(rtcp, 1);
            Media.waitFor(ff, 20);
            Media.interrupt(gst);
            Media.waitFor(gst, 20);
        }
        finally
        {
            ff.destroyForcibly();
            gst.destroyForcibly();
        }
        assertEquals(clip.refMd5(), Media.framemd5(ffOut), name + ": FFmpeg frames vs reference");
        final List<String> gstFrames = Media.yuvMd5(gstOut, clip.width(), clip.height());
        final int clipFrames = clip.refYuvMd5().size();
        assertEquals(clip.refYuvMd5(), gstFrames.subList(0, Math.min(clipFrames, gstFrames.size())),
            name + ": GStreamer frames vs reference (the flushing IDRs after the clip not compared)");
    }

    static byte[][] parameterSets(final ByteBuf firstAccessUnit)
    {
        final byte[][] out = new byte[2][];
        AnnexB.forEachNalUnit(firstAccessUnit, (b, i, l) ->
        {
            final int type = NalUnitType.of(b.getByte(i));
            if (type == NalUnitType.SPS || type == NalUnitType.PPS)
            {
                final byte[] nal = new byte[l];
                b.getBytes(i, nal);
                out[type == NalUnitType.SPS ? 0 : 1] = nal;
            }
        });
        return out;
    }

    static List<byte[]> nals(final byte[] annexB)
    {
        return new ArrayList<>(TestStreams.nals(annexB));
    }
}
