package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NalUnitTypeTest
{
    @Test
    void typeIsTheLowFiveBits()
    {
        assertEquals(NalUnitType.IDR, NalUnitType.of(0x65));
        assertEquals(NalUnitType.SPS, NalUnitType.of(0x67));
        assertEquals(NalUnitType.FU_A, NalUnitType.of(0x7C));
        assertTrue(NalUnitType.isPicture(NalUnitType.of(0x41)));
        assertFalse(NalUnitType.isPicture(NalUnitType.AUD));
    }
}
