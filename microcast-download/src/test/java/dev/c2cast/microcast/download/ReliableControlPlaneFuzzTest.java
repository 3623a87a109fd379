package dev.c2cast.microcast.download;

import java.util.SplittableRandom;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.c2cast.pseudobroadcast.MediumConfig;
import dev.c2cast.pseudobroadcast.NodeId;
import dev.c2cast.pseudobroadcast.ReliableConfig;
import dev.c2cast.pseudobroadcast.ReliableListener;
import dev.c2cast.pseudobroadcast.ReliableMessenger;
import dev.c2cast.pseudobroadcast.SimulatedMedium;
import dev.c2cast.pseudobroadcast.Simulation;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Whatever a group member sends the initiator over reliable messaging (well-formed control messages with any
 * fields, in any order, or arbitrary bytes), nothing throws into the transport's receive path and the scheduler's
 * bounds hold.
 */
class ReliableControlPlaneFuzzTest
{
    private static final int SEGMENT = 1000;

    @FuzzTest(maxDuration = "10s")
    void anyMessageSequenceFromAMemberLeavesTheInitiatorConsistent(final FuzzedDataProvider data)
    {
        final Simulation simulation = new Simulation();
        final SimulatedMedium medium = new SimulatedMedium(simulation, MediumConfig.builder().build(),
            new SplittableRandom(1));
        final ReliableControlPlane initiator = ReliableControlPlane.open(medium.attach(new NodeId(1)),
            ReliableConfig.defaults(), new SplittableRandom(1), task -> simulation.schedule(0, task));
        final ReliableMessenger member = new ReliableMessenger(medium.attach(new NodeId(2)), ReliableConfig.defaults(),
            new SplittableRandom(2), new ReliableListener()
            {
                @Override
                public void onMessage(final long source, final ByteBuf buffer, final int offset, final int length)
                {
                }

                @Override
                public void onPeerUnreachable(final long peer, final int undelivered)
                {
                }
            });
        final long fileSize = data.consumeLong(1, 40L * SEGMENT);
        final MicroDownloadConfig config = MicroDownloadConfig.defaults().withSegmentSize(SEGMENT);
        initiator.initiate(config, fileSize, new SplittableRandom(3), 10_000_000L);
        simulation.runFor(1_000_000L);
        final int messages = data.consumeInt(0, 40);
        for (int i = 0; i < messages && data.remainingBytes() > 0; i++)
        {
            final byte[] bytes;
            switch (data.consumeInt(0, 3))
            {
                case 0:
                    bytes = ControlCodec.encode(new ControlMessage.Join(data.consumeInt(0, 3)));
                    break;
                case 1:
                    bytes = ControlCodec.encode(new ControlMessage.Leave(data.consumeInt(0, 3)));
                    break;
                case 2:
                    bytes = ControlCodec.encode(new ControlMessage.Report(data.consumeInt(0, 3),
                        data.consumeInt(0, Integer.MAX_VALUE), data.consumeLong(1, 64),
                        data.pickValue(ControlMessage.Outcome.values()), data.consumeString(20)));
                    break;
                default:
                    bytes = data.consumeBytes(data.consumeInt(0, 64));
                    break;
            }
            member.send(new NodeId(1), Unpooled.wrappedBuffer(bytes));
            simulation.runFor(data.consumeLong(0, 50_000_000L));
        }
        simulation.runFor(100_000_000L);
        final MicroDownload scheduler = initiator.scheduler();
        for (final DeviceStatistics stats : scheduler.statistics())
        {
            if (stats.backlog() > config.maxBacklog() || stats.deviceId() != 2)
            {
                throw new AssertionError("inconsistent scheduler: " + stats);
            }
        }
        if (scheduler.completedCount() > scheduler.segmentCount() || scheduler.pendingCount() < 0)
        {
            throw new AssertionError("counts out of range");
        }
        initiator.close();
        member.close();
        simulation.runFor(2_000_000_000L);
    }
}
