package dev.c2cast.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

class GenPropertyTest
{
    private enum Op
    {
        JOIN, LEAVE, CRASH
    }

    @Property(seeds = 50)
    void sameSeedGivesSameSequence(final Gen gen)
    {
        final Gen a = new Gen(gen.seed());
        final Gen b = new Gen(gen.seed());
        assertArrayEquals(a.bytes(0, 300), b.bytes(0, 300));
        assertEquals(a.intBetween(-5, 5), b.intBetween(-5, 5));
        final EventMix<Op> mix = EventMix.<Op>builder().add(Op.JOIN, 5).add(Op.LEAVE, 2).add(Op.CRASH, 1).build();
        assertEquals(a.events(mix, 40), b.events(mix, 40));
    }

    @Property
    void intBetweenStaysInRange(final Gen gen)
    {
        final int min = gen.intBetween(-1000, 1000);
        final int max = min + gen.intBetween(0, 1000);
        for (int i = 0; i < 100; i++)
        {
            final int value = gen.intBetween(min, max);
            assertTrue(value >= min && value <= max, () -> value + " outside [" + min + ", " + max + "]");
            final int size = gen.size(min, max);
            assertTrue(size >= min && size <= max, () -> size + " outside [" + min + ", " + max + "]");
        }
    }

    @Property
    void shuffleIsAPermutation(final Gen gen)
    {
        final List<Integer> list = List.of(1, 2, 3, 4, 5, 6, 7, 8);
        final List<Integer> shuffled = gen.shuffled(list);
        assertEquals(list.size(), shuffled.size());
        assertTrue(shuffled.containsAll(list));
    }

    @Property(seeds = 20)
    void seedParameterMatchesGen(final long seed)
    {
        assertEquals(new Gen(seed).nextLong(), new Gen(seed).nextLong());
    }
}
