package dev.c2cast.pseudobroadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Fuzzes the whole receive path: header validation, the drop counters and the parsers of the reliable, discovery
 * and flooding layers behind it. Whatever arrives, nothing throws and every frame lands in exactly one bucket.
 */
class FrameReceiverFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void everyFrameIsDeliveredOrCountedOnce(final @NotNull byte[] input)
    {
        final Simulation simulation = new Simulation();
        final SimulatedMedium medium = new SimulatedMedium(simulation,
            MediumConfig.builder().groupId(0x4D430001).maxPayloadLength(256).build(), new SplittableRandom(1));
        final SimulatedTransport transport = medium.attach(new NodeId(2));
        medium.attach(new NodeId(7));
        final long[] delivered = new long[1];
        transport.listener(FrameType.DATA, (s, d, o, b, off, len) ->
        {
            assertTrue(off >= 0 && len >= 0 && off + len <= b.capacity());
            delivered[0]++;
        });
        final ReliableMessenger reliable = new ReliableMessenger(transport, new ReliableConfig(8, 1_000_000, 8_000_000, 3),
            new SplittableRandom(2), new CountingReliableListener());
        final PeerDiscovery discovery = new PeerDiscovery(transport, DiscoveryConfig.defaults(), new SplittableRandom(3),
            new PeerListener()
            {
                @Override
                public void onPeerJoined(final NodeId peer)
                {
                }

                @Override
                public void onPeerLeft(final NodeId peer)
                {
                }
            });
        final Flooder flooder = new Flooder(transport, (origin, relay, hops, b, off, len) -> delivered[0]++);

        final ByteBuf buffer = Unpooled.wrappedBuffer(input);
        transport.inject(buffer, 0, input.length);
        simulation.runFor(10_000_000_000L);

        final TransportCounters counters = transport.counters();
        long received = 0;
        for (final long peer : counters.peers())
        {
            received += counters.peer(peer).framesReceived() + counters.peer(peer).framesOverheard();
        }
        final long drops = counters.droppedMalformed() + counters.droppedOversized() + counters.droppedOtherGroup();
        final FrameHeader header = new FrameHeader().wrap(buffer, 0, input.length);
        final boolean own = input.length >= FrameHeader.HEADER_LENGTH && input.length <= 288 &&
            header.validate() == FrameHeader.VALID && header.groupId() == 0x4D430001 && header.source() == 2;
        assertEquals(1, received + drops + (own ? 1 : 0), counters.toString());
        assertTrue(counters.droppedUnhandled() <= received);
        assertEquals(0, buffer.readerIndex());
        reliable.close();
        discovery.close();
        flooder.close();
    }

    private static final class CountingReliableListener implements ReliableListener
    {
        @Override
        public void onMessage(final long source, final ByteBuf buffer, final int offset, final int length)
        {
            assertTrue(offset >= 0 && length >= 0 && offset + length <= buffer.capacity());
        }

        @Override
        public void onPeerUnreachable(final long peer, final int undelivered)
        {
        }
    }
}
