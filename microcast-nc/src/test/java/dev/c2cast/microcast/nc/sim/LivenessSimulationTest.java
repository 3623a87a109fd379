package dev.c2cast.microcast.nc.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.c2cast.microcast.nc.p2.MessageType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Liveness under heavy loss and a paused device, determinism, and the scenario file format.
 */
@DisabledIfSystemProperty(named = "c2cast.expectSimd", matches = "true", disabledReason = "no coder kernel involved")
class LivenessSimulationTest
{
    static final String SCENARIO = String.join("\n",
        "# four devices, two with cellular, lossy channel, device 3 paused for 5 s",
        "engine = MICRONC_P2",
        "devices = 4",
        "cellular.kbps = 600,400",
        "local.loss = 0.3",
        "file.bytes = 1000000",
        "seed = 11",
        "pause = 3:2000:5000",
        "time.limit.s = 120");

    @Test
    void everyDeviceDecodesEverySegmentWithLossPointThreeAndAPausedDevice()
    {
        final Scenario scenario = Scenario.parse(SCENARIO);
        for (final EngineKind kind : new EngineKind[] {
            EngineKind.MICRONC_P2, EngineKind.BITTORRENT_PULL, EngineKind.R2_PUSH})
        {
            final SimulationResult result = DisseminationSimulator.run(scenario.withEngine(kind));
            assertTrue(result.allComplete(), kind + ": " + result.csvRow());
            assertTrue(result.completionNanos()[3] >= 7_000_000_000L, "the paused device cannot finish while paused");
            if (kind == EngineKind.MICRONC_P2)
            {
                assertTrue(result.payloadBytes(MessageType.REQUEST) > 0);
                assertTrue(result.nonInnovative() >= 0 && result.innovative() > 0);
            }
        }
    }

    @Test
    void lostControlMessagesAreRecoveredOnAVeryLossyLink()
    {
        final Scenario scenario = Scenario.parse(SCENARIO + "\npause = 0:0:0\nlocal.loss.0-2 = 0.9\nlocal.loss.2-0 = 0.9");
        final SimulationResult result = DisseminationSimulator.run(scenario);
        assertTrue(result.allComplete(), result.csvRow());
    }

    @Test
    void sameSeedGivesByteIdenticalResultsAndAnotherSeedDoesNot()
    {
        final Scenario scenario = Scenario.parse(SCENARIO);
        final SimulationResult first = DisseminationSimulator.run(scenario);
        final SimulationResult second = DisseminationSimulator.run(scenario);
        assertEquals(first.csvRow(), second.csvRow());
        assertEquals(first, second);
        final SimulationResult other = DisseminationSimulator.run(scenario.withTopology(Topology.CLIQUE, 12));
        assertNotEquals(first.csvRow(), other.csvRow());
    }

    @Test
    void commandLineRunsScenarioFilesAndPrintsCsv() throws java.io.IOException
    {
        final java.nio.file.Path file = java.nio.file.Files.createTempFile("scenario", ".properties");
        final java.io.PrintStream previous = System.out;
        final java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try
        {
            java.nio.file.Files.writeString(file, SCENARIO.replace("file.bytes = 1000000", "file.bytes = 100000"));
            System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            DisseminationSimulator.main(new String[] {file.toString()});
        }
        finally
        {
            System.setOut(previous);
            java.nio.file.Files.deleteIfExists(file);
        }
        final String[] lines = captured.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length);
        assertEquals(SimulationResult.csvHeader(), lines[0]);
        assertTrue(lines[1].startsWith("MICRONC_P2,4,CLIQUE,0.3,"), lines[1]);
    }

    @Test
    void parsesEveryScenarioKey()
    {
        final Scenario scenario = Scenario.parse(String.join("\n",
            "engine = R2_PUSH", "devices = 3", "cellular.kbps = 100,,300", "cellular.schedule.1 = 0:0,5000:200",
            "local.capacity.bps = 1000000", "local.loss = 0.1", "local.loss.0-1 = 0.5", "background.share = 0.25",
            "file.bytes = 65536", "generation.size = 16", "symbol.size = 512", "topology = STAR", "seed = 5",
            "pause = 2:100:200", "time.limit.s = 60"));
        assertEquals(EngineKind.R2_PUSH, scenario.engine());
        assertEquals(3, scenario.devices());
        assertEquals(0, scenario.cellularKbps()[1]);
        assertEquals(300, scenario.cellularKbps()[2]);
        assertEquals(200, scenario.schedules()[1][3]);
        assertEquals(1_000_000, scenario.localCapacity());
        assertEquals(0.5, scenario.linkLoss()[0][2]);
        assertEquals(0.25, scenario.backgroundShare());
        assertEquals(8, scenario.segmentCount());
        assertEquals(Topology.STAR, scenario.topology());
        assertEquals(2, scenario.pausedDevice());
        final SimulationResult result = DisseminationSimulator.run(scenario);
        assertTrue(result.allComplete(), result.csvRow());
        assertTrue(result.completionNanos()[1] > 0);
        assertTrue(SimulationResult.csvHeader().split(",").length == result.csvRow().split(",").length);
    }
}
