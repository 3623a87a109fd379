package dev.c2cast.microcast.nc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CodingParametersTest
{
    @Test
    void validatesBounds()
    {
        assertEquals(32 * 1400, new CodingParameters(32, 1400).capacity());
        assertThrows(IllegalArgumentException.class, () -> new CodingParameters(0, 1400));
        assertThrows(IllegalArgumentException.class, () -> new CodingParameters(257, 1400));
        assertThrows(IllegalArgumentException.class, () -> new CodingParameters(32, 65537));
    }
}
