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
            try (RtspClient phone = RtspClient.connect(url, new SplittableRandom(1)))
            {
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
}
