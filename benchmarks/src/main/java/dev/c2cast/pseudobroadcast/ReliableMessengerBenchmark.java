package dev.c2cast.pseudobroadcast;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reliable messages per second of wall time between two nodes of a {@link SimulatedMedium} with per-receiver loss
 * (data and acknowledgements), link-layer retries off: each operation is one message sent, retransmitted as
 * needed, delivered in order and acknowledged. With {@code -prof gc} it checks that the reliable layer, the
 * medium and the event loop do not allocate per message.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class ReliableMessengerBenchmark
{
    private static final int BATCH = 32;

    /** Per-receiver loss probability. */
    @Param({"0.0", "0.2"})
    public double loss;

    private Simulation simulation;
    private ReliableMessenger sender;
    private NodeId sink;
    private ByteBuf message;
    private long delivered;

    /** Builds two nodes and their messengers. */
    @Setup(Level.Trial)
    public void setUp()
    {
        simulation = new Simulation();
        final SimulatedMedium medium = new SimulatedMedium(simulation, MediumConfig.builder().maxRetries(0).build(),
            new SplittableRandom(7));
        final SimulatedTransport a = medium.attach(new NodeId(1));
        final SimulatedTransport b = medium.attach(new NodeId(2));
        sink = b.localNode();
        medium.receiverLoss(a.localNode(), loss);
        medium.receiverLoss(b.localNode(), loss);
        final ReliableConfig config = new ReliableConfig(BATCH, 5_000_000, 200_000_000, 1_000);
        sender = new ReliableMessenger(a, config, new SplittableRandom(1), new Ignore());
        new ReliableMessenger(b, config, new SplittableRandom(2), new Ignore()
        {
            @Override
            public void onMessage(final long source, final ByteBuf buffer, final int offset, final int length)
            {
                delivered += length;
            }
        });
        message = Unpooled.buffer(1000);
        message.writeZero(1000);
    }

    /**
     * Sends a window of 32 messages and runs the simulation until all are acknowledged.
     *
     * @return bytes delivered so far.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long window()
    {
        for (int i = 0; i < BATCH; i++)
        {
            sender.send(sink, message);
        }
        while (sender.inFlight(sink) > 0)
        {
            simulation.step();
        }
        return delivered;
    }

    private static class Ignore implements ReliableListener
    {
        @Override
        public void onMessage(final long source, final ByteBuf buffer, final int offset, final int length)
        {
        }

        @Override
        public void onPeerUnreachable(final long peer, final int undelivered)
        {
            throw new IllegalStateException("unreachable");
        }
    }
}
