package dev.c2cast.pseudobroadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

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
}
