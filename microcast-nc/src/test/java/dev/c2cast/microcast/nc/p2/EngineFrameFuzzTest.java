package dev.c2cast.microcast.nc.p2;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

import dev.c2cast.microcast.nc.CodingParameters;

import io.netty.buffer.Unpooled;

/**
 * Arbitrary frames into every engine, over the real coded store: malformed input is counted or ignored, never
 * thrown, and never makes a segment decoded.
 */
class EngineFrameFuzzTest
{
    static final CodingParameters PARAMETERS = new CodingParameters(4, 16);
    static final SegmentManifest MANIFEST = SegmentManifest.of(new byte[200], PARAMETERS);

    @FuzzTest(maxDuration = "30s")
    void enginesSurviveArbitraryFrames(final byte @NotNull [] data)
    {
        final EngineHarness bed = new EngineHarness(1, 1);
        final DisseminationEngine[] engines = new DisseminationEngine[4];
        final CodedSegmentStore[] stores = new CodedSegmentStore[4];
        for (int i = 0; i < engines.length; i++)
        {
            stores[i] = new CodedSegmentStore(MANIFEST, i);
        }
        engines[0] = new MicroNcP2(1, DisseminationConfig.defaults(), stores[0], bed, bed, new SplittableRandom(1),
            DisseminationListener.NONE);
        engines[1] = new BitTorrentPull(1, DisseminationConfig.defaults(), stores[1], bed, bed,
            new SplittableRandom(1), DisseminationListener.NONE);
        engines[2] = new R2Push(1, DisseminationConfig.defaults(), stores[2], bed, bed, new SplittableRandom(1),
            DisseminationListener.NONE);
        engines[3] = new NoCooperation(1, DisseminationConfig.defaults(), stores[3], bed, bed,
            new SplittableRandom(1), DisseminationListener.NONE);
        for (final DisseminationEngine engine : engines)
        {
            engine.addPeer(2);
            engine.start();
            final int type = data.length > 0 && (data[0] & 1) == 1 ?
                DisseminationEngine.DATA_FRAME_TYPE : DisseminationEngine.CONTROL_FRAME_TYPE;
            final boolean overheard = data.length > 1 && (data[1] & 1) == 1;
            engine.onFrame(type, 2, overheard ? 3 : 1, overheard, Unpooled.wrappedBuffer(data), 0, data.length);
            engine.onFrame(type, 9, 1, false, Unpooled.wrappedBuffer(data), 0, data.length);
        }
        bed.runFor(3_000);
        for (final CodedSegmentStore store : stores)
        {
            for (int s = 0; s < store.segmentCount(); s++)
            {
                assertTrue(!store.isDecoded(s), "a single arbitrary frame cannot complete a 4-packet segment");
            }
        }
    }
}
