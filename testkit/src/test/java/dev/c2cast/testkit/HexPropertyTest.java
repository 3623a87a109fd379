package dev.c2cast.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HexPropertyTest
{
    @Property
    void roundTripsWithAndWithoutSeparators(final Gen gen)
    {
        final byte[] bytes = gen.bytes(0, 64);
        final String hex = Hex.encode(bytes);
        assertArrayEquals(bytes, Hex.decode(hex));
        assertArrayEquals(bytes, Hex.decode(hex.toUpperCase(java.util.Locale.ROOT).replaceAll("(..)", "$1 | ")));
    }

    @Test
    void rejectsOddLengthAndForeignCharacters()
    {
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("abc"));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("zz"));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("\uff11\uff12"));
    }
}
