package dev.c2cast.pseudobroadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PeerDiscoveryTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void peersJoinLeaveAndCarryTheirStatistics()
    {
        final Simulation simulation = new Simulation();
        final SimulatedMedium medium = new SimulatedMedium(simulation, MediumConfig.defaults(), new SplittableRandom(5));
        final List<String> events = new ArrayList<>();
        final PeerDiscovery[] discovery = new PeerDiscovery[4];
        final SimulatedTransport[] transports = new SimulatedTransport[4];
        for (int i = 0; i < 4; i++)
        {
            final int self = i + 1;
            transports[i] = medium.attach(new NodeId(self));
            discovery[i] = new PeerDiscovery(transports[i], new DiscoveryConfig(SECOND, 0.1, 5_500_000_000L), new SplittableRandom(i),
                new PeerListener()
                {
                    @Override
                    public void onPeerJoined(final NodeId peer)
                    {
                        events.add(self + "+" + peer.value());
                    }

                    @Override
                    public void onPeerLeft(final NodeId peer)
                    {
                        events.add(self + "-" + peer.value());
                    }
                });
            discovery[i].start();
        }
        medium.receiverLoss(new NodeId(4), 0.1);
        simulation.runFor(100 * SECOND);
        assertEquals(12, events.size(), events.toString());
        for (int i = 0; i < 4; i++)
        {
            assertEquals(3, discovery[i].peers().size());
        }
        final PeerInfo seenByFour = discovery[3].peers().get(0);
        assertEquals(1, seenByFour.node().value());
        assertEquals(0.9, seenByFour.beaconDeliveryRatio(), 0.08);
        assertTrue(seenByFour.traffic().framesReceived() >= seenByFour.beaconsReceived());
        assertEquals(1.0, discovery[1].peers().get(0).beaconDeliveryRatio());

        events.clear();
        discovery[2].close();
        transports[2].close();
        simulation.runFor(8 * SECOND);
        assertEquals(List.of("1-3", "2-3", "4-3"), events.stream().sorted().toList());
        assertFalse(discovery[0].isLive(new NodeId(3)));
        assertTrue(discovery[0].isLive(new NodeId(2)));
        assertEquals(0, discovery[0].malformed());
    }
}
