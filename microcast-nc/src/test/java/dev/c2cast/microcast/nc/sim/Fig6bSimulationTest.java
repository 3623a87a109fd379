package dev.c2cast.microcast.nc.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Fig. 6b (microcast.txt, section VI-B): one device downloads a 9.93 MB file at 550 kbit/s and shares it with three
 * others over a 20 Mbit/s channel with per-attempt loss 0.01; local bytes on the air per scheme and topology.
 */
@DisabledIfSystemProperty(named = "c2cast.expectSimd", matches = "true", disabledReason = "no coder kernel involved")
class Fig6bSimulationTest
{
    static final long FILE = 9_930_000L;
    static final double LOSS = 0.01;

    static SimulationResult run(final EngineKind kind, final Topology topology)
    {
        final SimulationResult result = DisseminationSimulator.run(
            Scenario.of(kind, new double[] {550, 0, 0, 0}, FILE).withChannel(LOSS, 0).withTopology(topology, 1));
        assertTrue(result.allComplete(), kind + " " + topology + " did not complete");
        return result;
    }

    @Test
    void baselinesSendAtLeastThreeTimesTheLocalBytesOfMicroNcP2()
    {
        final double[] bytes = new double[6];
        int i = 0;
        final StringBuilder report = new StringBuilder();
        for (final Topology topology : Topology.values())
        {
            final SimulationResult micro = run(EngineKind.MICRONC_P2, topology);
            final SimulationResult bt = run(EngineKind.BITTORRENT_PULL, topology);
            final SimulationResult r2 = run(EngineKind.R2_PUSH, topology);
            report.append(topology).append(": MicroNC-P2 ").append(micro.airBytes()).append(", BitTorrent-Pull ")
                .append(bt.airBytes()).append(", R2-Push ").append(r2.airBytes()).append('\n');
            assertTrue(bt.airBytes() >= 3 * micro.airBytes(), report.toString());
            assertTrue(r2.airBytes() >= 3 * micro.airBytes(), report.toString());
            bytes[i++] = micro.airBytes() / 1e6;
            bytes[i++] = bt.airBytes() / 1e6;
            bytes[i++] = r2.airBytes() / 1e6;
        }
        System.out.print("Fig. 6b local bytes on the air\n" + report);
        assertTrue(bytes[2] > bytes[5], "R2-Push sends more in a clique than in a star: " + report);
        Figures.write(Chart.bars("Fig. 6b: local traffic, 9.93 MB file, 4 devices", List.of("MicroNC-P2",
            "BitTorrent-Pull", "R2-Push"), "MB on the air")
            .series("clique", new double[] {0, 1, 2}, new double[] {bytes[0], bytes[1], bytes[2]})
            .series("star", new double[] {0, 1, 2}, new double[] {bytes[3], bytes[4], bytes[5]}), "fig6b");
    }
}
