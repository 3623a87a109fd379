package dev.c2cast.pseudobroadcast;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Frame deliveries per second of wall time that the {@link SimulatedMedium} sustains on one core: every node
 * pseudo-broadcasts one frame to its successor (the others overhear it) and the simulation runs the round to
 * completion. The {@code deliveries} counter is the figure of merit (one per frame handed to a receiver's listener).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class SimulatedMediumBenchmark
{
    /** Nodes on the medium. */
    @Param({"8"})
    public int nodes;

    /** Per-receiver loss probability (0 gives exactly nodes * (nodes - 1) deliveries per round). */
    @Param({"0.0", "0.2"})
    public double loss;

    private Simulation simulation;
    private SimulatedMedium medium;
    private SimulatedTransport[] transports;
    private NodeId[] ids;
    private ByteBuf payload;
    private long delivered;

    /** Deliveries counted per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Deliveries
    {
        /** Frames handed to listeners. */
        public long deliveries;

        /** Clears the counter. */
        @Setup(Level.Iteration)
        public void clear()
        {
            deliveries = 0;
        }
    }

    /** Builds the medium and its nodes. */
    @Setup(Level.Trial)
    public void setUp()
    {
        simulation = new Simulation();
        medium = new SimulatedMedium(simulation, MediumConfig.defaults(), new SplittableRandom(42));
        transports = new SimulatedTransport[nodes];
        ids = new NodeId[nodes];
        final FrameListener listener = (source, destination, overheard, buffer, offset, length) ->
            delivered += buffer.getByte(offset) & 1;
        for (int i = 0; i < nodes; i++)
        {
            ids[i] = new NodeId(i + 1);
            transports[i] = medium.attach(ids[i]);
            transports[i].listener(FrameType.DATA, listener);
        }
        for (int i = 0; i < nodes; i++)
        {
            medium.receiverLoss(ids[i], loss);
        }
        payload = Unpooled.buffer(1000);
        payload.writeByte(1).writeZero(999);
    }

    /**
     * One round: every node sends one 1000-byte frame to its successor, then the simulation runs until idle.
     *
     * @param counter the deliveries counter.
     * @return a value depending on every delivery, so nothing is optimised away.
     */
    @Benchmark
    public long round(final Deliveries counter)
    {
        final long before = medium.deliveries();
        for (int i = 0; i < nodes; i++)
        {
            transports[i].send(ids[(i + 1) % nodes], payload);
        }
        simulation.runAll(Long.MAX_VALUE);
        counter.deliveries += medium.deliveries() - before;
        return delivered;
    }
}
