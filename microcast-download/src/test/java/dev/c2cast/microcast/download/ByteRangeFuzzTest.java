package dev.c2cast.microcast.download;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

class ByteRangeFuzzTest
{
    @FuzzTest(maxDuration = "10s")
    void anyHeaderResolvesToAValidRangeOrIsRejectedCleanly(final FuzzedDataProvider data)
    {
        final long size = data.consumeLong(1, Long.MAX_VALUE);
        final String header = data.consumeRemainingAsString();
        final ByteRange range = ByteRange.parse(header, size);
        if (range != null && range != ByteRange.UNSATISFIABLE &&
            (range.first() < 0 || range.first() > range.last() || range.last() >= size))
        {
            throw new AssertionError(header + " on " + size + " resolved to " + range);
        }
    }
}
