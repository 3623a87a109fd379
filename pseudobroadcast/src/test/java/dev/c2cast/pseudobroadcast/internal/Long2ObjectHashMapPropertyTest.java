package dev.c2cast.pseudobroadcast.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

class Long2ObjectHashMapPropertyTest
{
    @Property(seeds = 100)
    void behavesLikeAHashMap(final Gen gen)
    {
        final Long2ObjectHashMap<String> map = new Long2ObjectHashMap<>(gen.intBetween(1, 8));
        final Map<Long, String> reference = new HashMap<>();
        final int keySpace = gen.intBetween(1, 200);
        for (int i = 0; i < 2_000; i++)
        {
            final long key = gen.bool() ? gen.nextInt(keySpace) : gen.nextInt(keySpace) * 0x1_0000_0000L;
            switch (gen.nextInt(3))
            {
                case 0 -> assertEquals(reference.put(key, "v" + i), map.put(key, "v" + i));
                case 1 -> assertEquals(reference.remove(key), map.remove(key));
                default -> assertEquals(reference.get(key), map.get(key));
            }
            assertEquals(reference.size(), map.size());
        }
        final Map<Long, String> visited = new HashMap<>();
        map.forEach(visited::put);
        assertEquals(reference, visited);
    }
}
