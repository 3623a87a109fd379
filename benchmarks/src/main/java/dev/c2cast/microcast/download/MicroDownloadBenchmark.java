package dev.c2cast.microcast.download;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of the MicroDownload control plane per segment:
 * <ul>
 * <li>{@code completeSegment}: one success report to the scheduler, which assigns the next segment to the
 * device with the smallest backlog (the steady state of Alg. 1), round-robin over {@code devices};</li>
 * <li>{@code encodeDecodeAssignment}: one assignment through the protobuf codec and back, as it would cross the
 * group's reliable messaging.</li>
 * </ul>
 * Both run once per segment (256 KiB by default), not per packet; {@code -prof gc} shows what they allocate.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class MicroDownloadBenchmark
{
    /** Devices in the group. */
    @Param({"3", "16"})
    public int devices;

    private static final int SEGMENTS = 1 << 20;
    private static final int RING = 64;

    private MicroDownload scheduler;
    private long now;
    private int next;
    private int[][] rings;
    private long[][] leases;
    private int[] heads;
    private int[] tails;
    private byte[] encoded;

    /** Creates the scheduler and the codec input. */
    @Setup
    public void setup()
    {
        fresh();
        encoded = ControlCodec.encode(new ControlMessage.Assignment(7, SegmentRange.of(1234, 1L << 34, 256 * 1024),
            98_765L, false));
    }

    private void fresh()
    {
        rings = new int[devices][RING];
        leases = new long[devices][RING];
        heads = new int[devices];
        tails = new int[devices];
        final MicroDownloadConfig config = MicroDownloadConfig.defaults().withSegmentSize(1).withEndgame(false);
        scheduler = new MicroDownload(config, SEGMENTS, () -> now, new SplittableRandom(1), new AssignmentSender()
        {
            @Override
            public void assign(final int deviceId, final SegmentRange segment, final long lease,
                final boolean endgameDuplicate)
            {
                leases[deviceId][tails[deviceId] & (RING - 1)] = lease;
                rings[deviceId][tails[deviceId]++ & (RING - 1)] = segment.index();
            }

            @Override
            public void revoke(final int deviceId, final int segmentIndex, final long lease)
            {
                throw new IllegalStateException("no revocation without failures");
            }
        });
        for (int d = 0; d < devices; d++)
        {
            scheduler.join(d);
        }
    }

    /**
     * One success report and the assignment it triggers.
     *
     * @return whether the report completed a segment.
     */
    @Benchmark
    public boolean completeSegment()
    {
        if (scheduler.pendingCount() == 0)
        {
            fresh();
        }
        final int d = next;
        next = next + 1 == devices ? 0 : next + 1;
        now += 1000;
        final long lease = leases[d][heads[d] & (RING - 1)];
        final int segment = rings[d][heads[d]++ & (RING - 1)];
        return scheduler.onReport(d, segment, lease, ControlMessage.Outcome.STORED);
    }

    /**
     * One assignment encoded and decoded.
     *
     * @return the decoded message.
     */
    @Benchmark
    public ControlMessage encodeDecodeAssignment()
    {
        final byte[] bytes = ControlCodec.encode(ControlCodec.decode(encoded, 0, encoded.length));
        return ControlCodec.decode(bytes, 0, bytes.length);
    }
}
