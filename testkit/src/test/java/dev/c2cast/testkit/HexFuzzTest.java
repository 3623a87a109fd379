package dev.c2cast.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

class HexFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void decodeAcceptsOrRejectsCleanly(final @NotNull String text)
    {
        final byte[] bytes;
        try
        {
            bytes = Hex.decode(text);
        }
        catch (final IllegalArgumentException expected)
        {
            return;
        }
        assertArrayEquals(bytes, Hex.decode(Hex.encode(bytes)));
    }
}
