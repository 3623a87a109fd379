package dev.c2cast.examples.streamsmart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.c2cast.examples.internal.Await;
import dev.c2cast.examples.internal.Threads;
import dev.c2cast.streamsmart.tree.TopologyKind;
import dev.c2cast.testkit.Environment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clone's RTSP server is rtp-h264's, so players can take the stream over UDP as well as interleaved TCP: ffprobe
 * with {@code -rtsp_transport udp} decodes a member clone's live stream without errors.
 */
class CloneRtspUdpIT
{
    @Test
    void ffprobeDecodesAMemberClonesStreamOverUdp(@TempDir final Path dir) throws Exception
    {
        Environment.requireCommand("ffprobe");
        try (CloudClone radix = new CloudClone(CloneSettings.radix("radix", TopologyKind.BALANCED_TREE, 2));
            CloudClone member = new CloudClone(CloneSettings.member("c1", radix.controlAddress()));
            PhoneSender sender = new PhoneSender(AccessUnits.parse(AccessUnitsTest.clip()), radix.dataAddress(), 30, 3, 0x0dd5eed))
        {
            Await.until(member::joined, 10_000, "c1 joined");
            Threads.start("phone-send", () ->
            {
                try
                {
                    sender.run();
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            Await.until(() -> member.frames() > 0, 10_000, "the stream to reach the member");
            final Path errors = dir.resolve("ffprobe.err");
            final Process ffprobe = new ProcessBuilder("timeout", "-k", "5", "30", "ffprobe", "-v", "error", "-rtsp_transport", "udp",
                "-select_streams", "v:0", "-show_entries", "frame=key_frame,pict_type", "-of", "csv=p=0",
                "-read_intervals", "%+3", member.rtspUrl()).redirectError(errors.toFile()).start();
            final String frames = new String(ffprobe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(ffprobe.waitFor(40, TimeUnit.SECONDS));
            final String stderr = Files.readString(errors);
            assertEquals(0, ffprobe.exitValue(), "ffprobe exit status; stderr: " + stderr);
            assertEquals("", stderr.trim(), "ffprobe reported decoding errors");
            final String[] decoded = frames.trim().split("\\R");
            assertTrue(decoded.length >= 30, "ffprobe decoded " + decoded.length + " frames in 3 s of the live stream over UDP");
            assertTrue(decoded[0].startsWith("1,I"), "decoding starts at a keyframe: " + decoded[0]);
        }
    }
}
