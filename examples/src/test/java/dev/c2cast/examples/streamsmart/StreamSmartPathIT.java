package dev.c2cast.examples.streamsmart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.c2cast.examples.internal.Await;
import dev.c2cast.streamsmart.tree.TopologyKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In one JVM, over real loopback sockets: phone -> radix -> three hops of members -> RTSP viewer, bit-exact; the
 * deepest clone's recording holds the whole clip too.
 */
class StreamSmartPathIT
{
    @Test
    void viewerAtTheDeepestCloneReceivesTheWholeClipBitExact(@TempDir final Path dir) throws Exception
    {
        final byte[] clip = AccessUnitsTest.clip();
        final List<AutoCloseable> resources = new ArrayList<>();
        try
        {
            final CloudClone radix = new CloudClone(CloneSettings.radix("radix", TopologyKind.BALANCED_TREE, 1));
            resources.add(radix);
            final List<CloudClone> members = new ArrayList<>();
            final Path recording = dir.resolve("recorded.h264");
            for (int i = 1; i <= 3; i++)
            {
                // The deepest clone also records the stream (clone --record).
                final CloudClone member = new CloudClone(new CloneSettings("c" + i, "127.0.0.1", 0, 0, 0, radix.controlAddress(),
                    "127.0.0.1", TopologyKind.BALANCED_TREE, CloneSettings.FANOUT_DEFAULT, CloneSettings.MAX_DEPTH_DEFAULT,
                    i == 3 ? recording : null));
                resources.add(member);
                members.add(member);
                Await.until(member::joined, 10_000, "c" + i + " joined");
            }
            Await.until(() -> members.get(2).stats().depth() == 3 && members.get(1).stats().children().length == 1, 10_000,
                "chain of depth 3");
            assertEquals("internal", members.get(0).role());
            assertEquals("leaf", members.get(2).role());

            final Path received = dir.resolve("received.h264");
            final PhoneViewer viewer = new PhoneViewer(URI.create(members.get(2).rtspUrl()), received);
            resources.add(viewer);
            final PhoneSender sender = new PhoneSender(AccessUnits.parse(clip), radix.dataAddress(), 150, 1, 0x1234abcd);
            resources.add(sender);
            viewer.connect();
            Await.until(() -> members.get(2).viewers() == 1, 5_000, "viewer session");
            final Thread sending = new Thread(() ->
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
            sending.setDaemon(true);
            sending.start();
            viewer.run(300, 1_000, 30_000);
            viewer.close();
            sending.join(10_000);

            assertEquals(300, sender.accessUnitsSent());
            assertEquals(1.0, CloudClone.egressCopiesPerPacket(radix.stats()), 1e-9);
            final List<String> expected = Media.nalUnits(clip);
            final List<String> got = Media.nalUnits(Files.readAllBytes(received));
            assertEquals(300, viewer.frames());
            assertEquals(0, viewer.incompleteFrames());
            assertEquals(0, viewer.lossBursts());
            assertEquals(expected.subList(0, 12), got.subList(0, 12), "start");
            assertEquals(expected, got, "the whole clip, bit-exact");
            members.get(2).close();
            assertEquals(expected, Media.nalUnits(Files.readAllBytes(recording)), "the deepest clone's recording");
        }
        finally
        {
            for (int i = resources.size() - 1; i >= 0; i--)
            {
                resources.get(i).close();
            }
        }
    }
}
