package dev.c2cast.pseudobroadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.c2cast.pseudobroadcast.wire.Beacon;
import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

import org.junit.jupiter.api.Test;

class NodeIdTest
{
    @Test
    void zeroIsReservedForBroadcast()
    {
        assertThrows(IllegalArgumentException.class, () -> new NodeId(0));
    }

    @Property
    void beaconCarriesTheNodeIdThroughProtobuf(final Gen gen) throws Exception
    {
        final long value = gen.nextLong() | 1;
        final Beacon beacon = Beacon.newBuilder().setNodeId(new NodeId(value).value()).setSequence(gen.nextInt(1000)).build();
        assertEquals(value, Beacon.parseFrom(beacon.toByteArray()).getNodeId());
    }
}
