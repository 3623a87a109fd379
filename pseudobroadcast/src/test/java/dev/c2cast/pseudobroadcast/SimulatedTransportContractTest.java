package dev.c2cast.pseudobroadcast;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The transport contract on the {@link SimulatedMedium}.
 */
class SimulatedTransportContractTest extends TransportContractTest
{
    @Override
    Group createGroup(final int nodes)
    {
        return new SimulatedGroup(nodes);
    }

    /** A group on one simulated medium, driven by its simulation. */
    static final class SimulatedGroup implements Group
    {
        private final Simulation simulation = new Simulation();
        private final SimulatedMedium medium = new SimulatedMedium(simulation,
            MediumConfig.builder().groupId(GROUP_ID).maxPayloadLength(1400).build(), new SplittableRandom(1));
        private final List<SimulatedTransport> transports = new ArrayList<>();
        private final List<List<Received>> received = new ArrayList<>();

        SimulatedGroup(final int nodes)
        {
            for (int i = 0; i < nodes; i++)
            {
                final SimulatedTransport transport = medium.attach(new NodeId(id(i)));
                final List<Received> log = new ArrayList<>();
                transports.add(transport);
                received.add(log);
                for (final int type : new int[] {FrameType.DATA, APP_TYPE})
                {
                    transport.listener(type, (source, destination, overheard, buffer, offset, length) ->
                        log.add(new Received(type, source, destination, overheard,
                            ByteBufUtil.getBytes(buffer, offset, length))));
                }
            }
        }

        @Override
        public int send(final int from, final int type, final long destination, final byte[] payload)
        {
            try
            {
                final ByteBuf buffer = Unpooled.wrappedBuffer(payload);
                final boolean sent = transports.get(from).send(type, destination, buffer);
                return sent ? SENT : REJECTED;
            }
            catch (final IllegalArgumentException ex)
            {
                return ILLEGAL;
            }
        }

        @Override
        public List<Received> received(final int node)
        {
            return received.get(node);
        }

        @Override
        public PeerCounters counters(final int node, final long peer)
        {
            return transports.get(node).counters().peer(peer);
        }

        @Override
        public long[] drops(final int node)
        {
            final TransportCounters c = transports.get(node).counters();
            return new long[] {c.droppedMalformed(), c.droppedOversized(), c.droppedOtherGroup(), c.droppedUnhandled(),
                c.framesBroadcast(), c.sendsRejected()};
        }

        @Override
        public void injectRaw(final int node, final byte[] frame)
        {
            transports.get(node).inject(Unpooled.wrappedBuffer(frame), 0, frame.length);
        }

        @Override
        public boolean await(final BooleanSupplier condition)
        {
            return simulation.runUntil(condition, simulation.nanoTime() + 60_000_000_000L);
        }

        @Override
        public int maxPayloadLength()
        {
            return 1400;
        }

        @Override
        public void closeNode(final int node)
        {
            transports.get(node).close();
        }

        @Override
        public void close()
        {
            transports.forEach(SimulatedTransport::close);
        }
    }
}
