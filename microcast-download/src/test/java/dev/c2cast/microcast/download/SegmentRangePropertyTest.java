package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

class SegmentRangePropertyTest
{
    @Property
    void segmentsTileTheFileExactly(final Gen gen)
    {
        final long fileSize = gen.longBetween(1, 50_000_000);
        final int segmentSize = gen.intBetween(1, 1 << 20);
        final int count = SegmentRange.count(fileSize, segmentSize);
        long next = 0;
        for (int i = 0; i < count; i++)
        {
            final SegmentRange range = SegmentRange.of(i, fileSize, segmentSize);
            assertEquals(next, range.offset());
            next = range.end();
        }
        assertEquals(fileSize, next);
    }
}
