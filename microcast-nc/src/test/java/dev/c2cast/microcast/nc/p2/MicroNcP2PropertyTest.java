package dev.c2cast.microcast.nc.p2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.c2cast.microcast.nc.sim.DisseminationSimulator;
import dev.c2cast.microcast.nc.sim.EngineKind;
import dev.c2cast.microcast.nc.sim.Scenario;
import dev.c2cast.microcast.nc.sim.SimulationResult;
import dev.c2cast.microcast.nc.sim.Topology;
import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

/**
 * Random small groups, rates, losses and seeds: every engine completes on every device, innovative receptions are
 * exactly the dimensions the non-downloading devices had to learn, and runs replay identically.
 */
class MicroNcP2PropertyTest
{
    @Property(seeds = 12)
    void everyEngineCompletesOnRandomGroups(final Gen gen)
    {
        final int devices = gen.intBetween(2, 6);
        final double[] rates = new double[devices];
        rates[0] = gen.intBetween(200, 2_000);
        for (int i = 1; i < devices; i++)
        {
            rates[i] = gen.chance(0.5) ? gen.intBetween(100, 1_000) : 0;
        }
        final long file = gen.intBetween(20_000, 300_000);
        final double loss = gen.intBetween(0, 25) / 100.0;
        final EngineKind kind = gen.pick(java.util.List.of(
            EngineKind.MICRONC_P2, EngineKind.BITTORRENT_PULL, EngineKind.R2_PUSH));
        final Scenario scenario = Scenario.of(kind, rates, file).withChannel(loss, 0)
            .withTopology(gen.chance(0.5) ? Topology.CLIQUE : Topology.STAR, gen.nextLong());
        final SimulationResult result = DisseminationSimulator.run(scenario);
        assertTrue(result.allComplete(), result.csvRow());
        // Each segment is downloaded by one device; each other device gains exactly g dimensions of it.
        assertEquals((long)scenario.segmentCount() * scenario.generationSize() * (devices - 1), result.innovative(),
            result.csvRow());
        assertEquals(result.csvRow(), DisseminationSimulator.run(scenario).csvRow(), "replays identically");
    }
}
