package dev.c2cast.examples.streamsmart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;

import dev.c2cast.rtp.h264.NalUnitType;
import dev.c2cast.testkit.Hex;
import org.junit.jupiter.api.Test;

class AccessUnitsTest
{
    static byte[] clip() throws Exception
    {
        try (InputStream in = AccessUnitsTest.class.getResourceAsStream("/dev/c2cast/examples/media/clip.h264"))
        {
            return in.readAllBytes();
        }
    }

    @Test
    void bundledClipHoldsThreeHundredFramesWithAnIdrEverySecond() throws Exception
    {
        final AccessUnits units = AccessUnits.parse(clip());
        assertEquals(300, units.size());
        int keyframes = 0;
        for (int i = 0; i < units.size(); i++)
        {
            final AccessUnits.AccessUnit unit = units.units().get(i);
            if (unit.keyframe())
            {
                keyframes++;
                assertEquals(0, i % 30, "IDR at frame " + i);
                boolean sps = false;
                for (final int index : unit.indices())
                {
                    sps |= NalUnitType.of(units.buffer().getByte(index)) == NalUnitType.SPS;
                }
                assertTrue(sps, "SPS repeated in the IDR access unit " + i);
            }
        }
        assertEquals(10, keyframes);
    }

    @Test
    void splitsAtDelimitersParameterSetsAndFirstSlices()
    {
        // AUD, SPS, PPS, IDR(first_mb=0), IDR(first_mb!=0) | slice(first_mb=0) | AUD, slice(first_mb=0)
        final byte[] stream = Hex.decode("00 00 00 01 09 10 | 00 00 01 67 42 | 00 00 01 68 ce | 00 00 01 65 88 |"
            + " 00 00 01 65 40 | 00 00 01 41 9a | 00 00 01 09 30 | 00 00 01 41 80");
        final AccessUnits units = AccessUnits.parse(stream);
        assertEquals(3, units.size());
        assertEquals(5, units.units().get(0).count());
        assertTrue(units.units().get(0).keyframe());
        assertEquals(1, units.units().get(1).count());
        assertEquals(2, units.units().get(2).count());
        assertEquals(false, units.units().get(2).keyframe());
    }
}
