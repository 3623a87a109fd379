package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/**
 * Fig. 6a of microcast.txt, simulated: three phones on one operator, phone 1 on a fast and variable 3G link, phone 2
 * on a steady slower 3G link, phone 3 on EDGE. A static equal split is bounded by phone 3; MicroDownload follows
 * the links. The paper's figure has no numeric axes in our copy: the rates are chosen to match its shape (phone 3
 * about 30x slower than phone 1) and its 80 s static download.
 */
class Fig6aSimulationTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final long STEP = 10 * MS;
    private static final int SEGMENT = 32 * 1024;
    private static final long FILE = 1200L * 1024;

    static final DownloadSimulator.RateSchedule PHONE1 = DownloadSimulator.piecewise(S,
        200_000, 110_000, 230_000, 140_000, 70_000, 210_000, 160_000, 90_000, 190_000, 150_000);
    static final DownloadSimulator.RateSchedule PHONE2 = DownloadSimulator.constant(75_000);
    static final DownloadSimulator.RateSchedule PHONE3 = DownloadSimulator.constant(5_000);

    private static MicroDownloadConfig config()
    {
        return MicroDownloadConfig.defaults().withSegmentSize(SEGMENT).withStallTimeoutNanos(2 * S);
    }

    @Test
    void microDownloadBeatsStaticSplitAndApproachesTheAggregateBound() throws IOException
    {
        final DownloadSimulator sim = new DownloadSimulator(config(), FILE, STEP, 6);
        sim.addDevice(1, PHONE1, 0, Long.MAX_VALUE);
        sim.addDevice(2, PHONE2, 0, Long.MAX_VALUE);
        sim.addDevice(3, PHONE3, 0, Long.MAX_VALUE);
        final List<long[]> trace = new ArrayList<>();
        sim.observers.add(new DownloadSimulator.Observer()
        {
            @Override
            public void onStep(final long nanos)
            {
                trace.add(new long[] {nanos, sim.devices.get(1).bytes, sim.devices.get(2).bytes,
                    sim.devices.get(3).bytes});
            }
        });
        assertTrue(sim.run(600 * S));
        final double microDownload = sim.scheduler.completedAtNanos() / 1e9;

        final int segments = SegmentRange.count(FILE, SEGMENT);
        final int share = (segments + 2) / 3;
        final double static1 = timeFor(PHONE1, bytesOf(0, share));
        final double static2 = timeFor(PHONE2, bytesOf(share, 2 * share));
        final double static3 = timeFor(PHONE3, bytesOf(2 * share, segments));
        final double staticSplit = Math.max(static1, Math.max(static2, static3));

        final double fluid = fluidBound();
        final double aggregateRate = FILE / fluid;
        final double bound = fluid + SEGMENT / aggregateRate;

        writeCsv(trace, microDownload, staticSplit, fluid);
        writePlot(trace, staticSplit, fluid);
        System.out.printf("fig6a: microdownload=%.2fs static=%.2fs ratio=%.2f fluid=%.2fs bound=%.2fs md/bound=%.3f%n",
            microDownload, staticSplit, staticSplit / microDownload, fluid, bound, microDownload / bound);

        assertTrue(staticSplit >= 6 * microDownload,
            "static split " + staticSplit + " s is not >= 6x MicroDownload " + microDownload + " s");
        assertTrue(microDownload <= 1.25 * bound,
            "MicroDownload " + microDownload + " s exceeds 1.25 x (F/sum of rates + one segment) = " + 1.25 * bound);
        for (int s = 0; s < segments; s++)
        {
            assertTrue(sim.downloads[s] == 1 || sim.duplicated[s] && sim.downloads[s] == 2);
        }
    }

    @Test
    void producerErrorIsReassignedInTheSameSchedulingStep()
    {
        final DownloadSimulator sim = new DownloadSimulator(config(), FILE, STEP, 7);
        sim.addDevice(1, PHONE1, 0, Long.MAX_VALUE);
        sim.addDevice(2, PHONE2, 0, Long.MAX_VALUE);
        sim.addDevice(3, PHONE3, 0, Long.MAX_VALUE);
        final long failAt = S;
        final int[] failed = {-1};
        final long[] failedAt = {-1};
        sim.failures = (d, s, t) ->
        {
            if (d == 2 && t >= failAt && failed[0] < 0)
            {
                failed[0] = s;
                failedAt[0] = t;
                return true;
            }
            return false;
        };
        final List<long[]> assignments = new ArrayList<>();
        sim.observers.add(new DownloadSimulator.Observer()
        {
            @Override
            public void onAssign(final int deviceId, final int segmentIndex, final boolean duplicate, final long nanos)
            {
                assignments.add(new long[] {deviceId, segmentIndex, nanos});
            }
        });
        assertTrue(sim.run(600 * S));
        assertTrue(failed[0] >= 0, "failure was never injected");
        final long reassignedAt = assignments.stream()
            .filter(a -> a[1] == failed[0] && a[0] != 2 && a[2] >= failedAt[0])
            .mapToLong(a -> a[2]).min().orElseThrow();
        assertTrue(reassignedAt <= failedAt[0] + STEP,
            "segment " + failed[0] + " failed at " + failedAt[0] + " reassigned at " + reassignedAt);
        assertEquals(1, sim.scheduler.statistics(2).failures());
        assertCompletedOnce(sim);
    }

    @Test
    void stalledLinkIsReassignedWithinTheDetectionTimeoutPlusOneStep()
    {
        final DownloadSimulator sim = new DownloadSimulator(config(), FILE, STEP, 8);
        final long stallAt = 1500 * MS;
        sim.addDevice(1, t -> t >= stallAt ? 0 : PHONE1.bytesPerSecond(t), 0, Long.MAX_VALUE);
        sim.addDevice(2, PHONE2, 0, Long.MAX_VALUE);
        sim.addDevice(3, PHONE3, 0, Long.MAX_VALUE);
        final List<long[]> assignments = new ArrayList<>();
        final List<long[]> revocations = new ArrayList<>();
        sim.observers.add(new DownloadSimulator.Observer()
        {
            @Override
            public void onAssign(final int deviceId, final int segmentIndex, final boolean duplicate, final long nanos)
            {
                assignments.add(new long[] {deviceId, segmentIndex, nanos});
            }

            @Override
            public void onRevoke(final int deviceId, final int segmentIndex, final long nanos)
            {
                if (deviceId == 1)
                {
                    revocations.add(new long[] {segmentIndex, nanos});
                }
            }
        });
        final long[] heldAtStall = new long[1];
        while (sim.clock.nanoTime() < stallAt)
        {
            sim.step();
        }
        heldAtStall[0] = sim.scheduler.backlog(1).length;
        assertTrue(heldAtStall[0] > 0);
        final int[] stranded = sim.scheduler.backlog(1);
        assertTrue(sim.run(600 * S));

        final long detection = config().stallTimeoutNanos();
        for (final int segment : stranded)
        {
            final long movedAt = assignments.stream()
                .filter(a -> a[1] == segment && a[0] != 1 && a[2] >= stallAt)
                .mapToLong(a -> a[2]).min().orElseThrow(() -> new AssertionError("never reassigned: " + segment));
            assertTrue(movedAt <= stallAt + detection + STEP,
                "segment " + segment + " stranded at " + stallAt + " reassigned only at " + movedAt);
        }
        assertTrue(sim.scheduler.statistics(1).timeouts() >= 1);
        assertCompletedOnce(sim);
    }

    private static void assertCompletedOnce(final DownloadSimulator sim)
    {
        for (int s = 0; s < sim.downloads.length; s++)
        {
            final int index = s;
            assertTrue(sim.downloads[s] == 1 || sim.duplicated[s] && sim.downloads[s] == 2,
                () -> "segment " + index + " downloaded " + sim.downloads[index] + " times");
        }
    }

    private static long bytesOf(final int fromSegment, final int toSegment)
    {
        long bytes = 0;
        for (int s = fromSegment; s < toSegment; s++)
        {
            bytes += SegmentRange.of(s, FILE, SEGMENT).length();
        }
        return bytes;
    }

    private static double timeFor(final DownloadSimulator.RateSchedule rate, final long bytes)
    {
        double done = 0;
        long t = 0;
        while (done < bytes)
        {
            done += rate.bytesPerSecond(t) * STEP / 1e9;
            t += STEP;
        }
        return t / 1e9;
    }

    /** Time at which the three links together could have carried the whole file: F / (sum of rates). */
    private static double fluidBound()
    {
        double done = 0;
        long t = 0;
        while (done < FILE)
        {
            done += (PHONE1.bytesPerSecond(t) + PHONE2.bytesPerSecond(t) + PHONE3.bytesPerSecond(t)) * STEP / 1e9;
            t += STEP;
        }
        return t / 1e9;
    }

    private static void writeCsv(final List<long[]> trace, final double microDownload, final double staticSplit,
        final double fluid) throws IOException
    {
        final StringBuilder csv = new StringBuilder("time_s,phone1_bytes,phone2_bytes,phone3_bytes\n");
        for (final long[] row : trace)
        {
            csv.append(String.format("%.2f,%d,%d,%d%n", row[0] / 1e9, row[1], row[2], row[3]));
        }
        final Path dir = Path.of("target", "fig6a");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("microdownload-trace.csv"), csv, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("summary.csv"), String.format(
            "strategy,download_s%nmicrodownload,%.2f%nstatic_equal_split,%.2f%nfluid_bound,%.2f%n",
            microDownload, staticSplit, fluid), StandardCharsets.UTF_8);
    }

    private static void writePlot(final List<long[]> trace, final double staticSplit, final double fluid)
    {
        System.setProperty("java.awt.headless", "true");
        final int width = 800;
        final int height = 500;
        final BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            final double maxT = trace.get(trace.size() - 1)[0] / 1e9;
            final double maxBytes = FILE;
            final int left = 60;
            final int bottom = height - 50;
            final int plotW = width - 100;
            final int plotH = height - 100;
            g.setColor(Color.BLACK);
            g.drawLine(left, bottom, left + plotW, bottom);
            g.drawLine(left, bottom, left, bottom - plotH);
            g.drawString("time (s), 0 .. " + String.format("%.1f", maxT), left + plotW / 2 - 60, height - 15);
            g.drawString("bytes per phone (MicroDownload); static split would take " +
                String.format("%.1f s, fluid bound %.2f s", staticSplit, fluid), left, 30);
            final Color[] colors = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};
            g.setStroke(new BasicStroke(2f));
            for (int phone = 1; phone <= 3; phone++)
            {
                g.setColor(colors[phone - 1]);
                int px = left;
                int py = bottom;
                for (final long[] row : trace)
                {
                    final int x = left + (int)(plotW * (row[0] / 1e9) / maxT);
                    final int y = bottom - (int)(plotH * row[phone] / maxBytes);
                    g.drawLine(px, py, x, y);
                    px = x;
                    py = y;
                }
                g.drawString("phone " + phone, left + plotW - 60, 60 + 18 * phone);
            }
        }
        finally
        {
            g.dispose();
        }
        try
        {
            ImageIO.write(image, "png", Path.of("target", "fig6a", "fig6a.png").toFile());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
