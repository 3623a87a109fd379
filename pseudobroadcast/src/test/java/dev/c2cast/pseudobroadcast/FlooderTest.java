package dev.c2cast.pseudobroadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

import org.junit.jupiter.api.Test;

class FlooderTest
{
    /** A line 1 - 2 - 3 - 4 - 5 - 6: each node hears only its neighbours. */
    private static final int NODES = 6;

    @Test
    void floodsCrossTheLineOnceEachWithinTheirTtl()
    {
        final Simulation simulation = new Simulation();
        final SimulatedMedium medium = new SimulatedMedium(simulation, MediumConfig.defaults(), new SplittableRandom(3));
        final SimulatedTransport[] nodes = new SimulatedTransport[NODES];
        final Flooder[] flooders = new Flooder[NODES];
        final List<List<String>> got = new ArrayList<>();
        for (int i = 0; i < NODES; i++)
        {
            nodes[i] = medium.attach(new NodeId(i + 1));
            final List<String> mine = new ArrayList<>();
            got.add(mine);
            flooders[i] = new Flooder(nodes[i], (origin, relay, hops, buffer, offset, length) ->
                mine.add(origin + ":" + buffer.toString(offset, length, java.nio.charset.StandardCharsets.US_ASCII) +
                    ":" + hops));
        }
        for (int i = 0; i < NODES; i++)
        {
            for (int j = 0; j < NODES; j++)
            {
                if (Math.abs(i - j) > 1)
                {
                    medium.linkLoss(nodes[i].localNode(), nodes[j].localNode(), 1.0);
                }
            }
        }
        flooders[0].flood(ascii("far"), 10);
        simulation.runAll(10_000);
        for (int i = 1; i < NODES; i++)
        {
            assertEquals(List.of("1:far:" + i), got.get(i));
        }
        assertEquals(List.of(), got.get(0));

        flooders[0].flood(ascii("near"), 2);
        simulation.runAll(10_000);
        assertEquals(2, got.get(1).size());
        assertEquals(2, got.get(2).size());
        assertEquals(1, got.get(3).size(), "ttl 2 stops two hops away");

        final long duplicates = java.util.Arrays.stream(flooders).mapToLong(Flooder::duplicatesSuppressed).sum();
        // Every forward is heard back by the node it came from: the duplicates are the echoes, never re-forwarded.
        final long forwards = java.util.Arrays.stream(flooders).mapToLong(Flooder::forwarded).sum();
        assertEquals(5 + 1, forwards);
        assertEquals(forwards, duplicates - 0, "each forward echoes once to the upstream neighbour");
    }

    private static ByteBuf ascii(final String text)
    {
        return Unpooled.copiedBuffer(text, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Copies of floods from many origins arrive shuffled and repeated: each is delivered exactly once. */
    @Property(seeds = 50)
    void duplicatesAreSuppressedWhateverTheArrivalOrder(final Gen gen)
    {
        final Simulation simulation = new Simulation();
        final SimulatedMedium medium = new SimulatedMedium(simulation, MediumConfig.defaults(), gen.random());
        final SimulatedTransport node = medium.attach(new NodeId(1));
        final java.util.Map<String, Integer> deliveries = new java.util.HashMap<>();
        new Flooder(node, (origin, relay, hops, buffer, offset, length) ->
            deliveries.merge(origin + "/" + buffer.getInt(offset), 1, Integer::sum));
        final List<long[]> copies = new ArrayList<>();
        for (long origin = 2; origin <= 4; origin++)
        {
            final int base = (int)gen.nextLong();
            for (int s = 0; s < 40; s++)
            {
                for (int copy = gen.intBetween(1, 3); copy > 0; copy--)
                {
                    copies.add(new long[] {origin, base + s});
                }
            }
        }
        // Reordering is bounded by the 64-message window in practice: shuffle within blocks of 30.
        final List<long[]> arrival = new ArrayList<>();
        for (int i = 0; i < copies.size(); i += 30)
        {
            arrival.addAll(gen.shuffled(copies.subList(i, Math.min(copies.size(), i + 30))));
        }
        final ByteBuf frame = Unpooled.buffer(FrameHeader.HEADER_LENGTH + Flooder.HEADER_LENGTH + 4);
        for (final long[] c : arrival)
        {
            frame.clear().writeZero(FrameHeader.HEADER_LENGTH);
            new FrameHeader().wrap(frame, 0, FrameHeader.HEADER_LENGTH + Flooder.HEADER_LENGTH + 4)
                .write(FrameType.FLOOD, MediumConfig.GROUP_ID_DEFAULT, c[0], NodeId.BROADCAST_VALUE, 0,
                    Flooder.HEADER_LENGTH + 4);
            frame.writeLong(c[0]).writeInt((int)c[1]).writeByte(1).writeByte(0).writeShort(0).writeInt((int)c[1]);
            node.inject(frame, 0, frame.writerIndex());
        }
        assertEquals(3 * 40, deliveries.size());
        deliveries.values().forEach(n -> assertEquals(1, n));
    }
}
