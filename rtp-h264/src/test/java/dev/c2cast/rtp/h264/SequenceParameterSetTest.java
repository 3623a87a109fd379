package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class SequenceParameterSetTest
{
    @Test
    void baselineWithEmulationPrevention()
    {
        final SequenceParameterSet sps = SequenceParameterSet.parse(TestStreams.SPS_320X240);
        assertEquals(66, sps.profileIdc());
        assertEquals(0xC0, sps.constraintFlags());
        assertEquals(13, sps.levelIdc());
        assertEquals(320, sps.width());
        assertEquals(240, sps.height());
        assertEquals("42c00d", sps.profileLevelId());
    }

    @Test
    void highProfileWithCropping()
    {
        // x264 High 4:2:0 1920x1080 (1088 coded, cropped by 8 lines)
        final byte[] nal = Base64.getDecoder().decode("Z2QAKKzZQHgCJ+XARAAAAwAEAAADAPA8YMZY");
        final SequenceParameterSet sps = SequenceParameterSet.parse(nal);
        assertEquals(100, sps.profileIdc());
        assertEquals(40, sps.levelIdc());
        assertEquals(1920, sps.width());
        assertEquals(1080, sps.height());
    }

    @Test
    void truncatedIsMalformed()
    {
        final byte[] cut = java.util.Arrays.copyOf(TestStreams.SPS_320X240, 6);
        assertEquals(RtpH264Exception.Reason.MALFORMED,
            assertThrows(RtpH264Exception.class, () -> SequenceParameterSet.parse(cut)).reason());
        assertThrows(RtpH264Exception.class, () -> SequenceParameterSet.parse(TestStreams.PPS));
    }
}
