package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The requester's lease rules, with a producer whose fetches the test completes by hand and a same-thread executor.
 */
class RequesterTest
{
    private static final int SEGMENT = 1000;
    private static final long FILE = 10 * SEGMENT;

    @TempDir
    Path dir;

    private final List<SegmentRange> fetching = new ArrayList<>();
    private final List<CompletableFuture<ByteBuf>> fetches = new ArrayList<>();
    private final List<String> reports = new ArrayList<>();
    private Requester requester;

    @BeforeEach
    void open() throws IOException
    {
        final SegmentProducer producer = new SegmentProducer()
        {
            @Override
            public CompletableFuture<ByteBuf> fetch(final SegmentRange range)
            {
                final CompletableFuture<ByteBuf> future = new CompletableFuture<>();
                fetching.add(range);
                fetches.add(future);
                return future;
            }

            @Override
            public void close()
            {
            }
        };
        final SegmentStore store = SegmentStore.open(dir, FILE, SEGMENT, "");
        requester = new Requester(4, producer, store,
            r -> reports.add(r.segmentIndex() + "/" + r.lease() + " " + r.outcome()), Runnable::run);
    }

    private void finishFetch(final int i)
    {
        fetches.get(i).complete(Unpooled.wrappedBuffer(new byte[fetching.get(i).length()]));
    }

    private SegmentRange range(final int index)
    {
        return SegmentRange.of(index, FILE, SEGMENT);
    }

    @Test
    void aRevokedQueuedLeaseIsDroppedAndAnsweredAndTheNextStarts()
    {
        requester.assign(range(0), 10);
        requester.assign(range(1), 11);
        requester.revoke(1, 11);
        assertEquals(List.of("1/11 DROPPED"), reports);
        finishFetch(0);
        assertEquals(List.of("1/11 DROPPED", "0/10 STORED"), reports);
        assertEquals(1, fetching.size(), "segment 1 was never fetched");
    }

    @Test
    void aRevocationDuringTheFetchAbortsItAndALateCompletionStoresNothing()
    {
        requester.assign(range(2), 20);
        requester.revoke(2, 20);
        assertTrue(fetches.get(0).isCancelled());
        assertEquals(List.of("2/20 DROPPED"), reports);
        assertEquals(0, requester.segmentsStored());
    }

    @Test
    void aRevocationOfAStoredLeaseIsAnsweredStored()
    {
        requester.assign(range(3), 30);
        finishFetch(0);
        requester.revoke(3, 30);
        assertEquals(List.of("3/30 STORED", "3/30 STORED"), reports);
    }

    @Test
    void aRevocationThatOvertakesItsAssignmentMeansTheAssignmentIsNeverStarted()
    {
        requester.revoke(4, 40);
        requester.assign(range(4), 40);
        assertEquals(List.of("4/40 DROPPED"), reports);
        assertEquals(0, fetching.size());
        // A later lease of the same segment is a new lease and is served.
        requester.assign(range(4), 41);
        assertEquals(1, fetching.size());
    }

    @Test
    void aRepeatedAssignmentIsIgnoredAndAStoredSegmentIsReportedWithoutFetching()
    {
        requester.assign(range(5), 50);
        requester.assign(range(5), 50);
        finishFetch(0);
        requester.assign(range(5), 50);
        assertEquals(1, fetching.size());
        assertEquals(List.of("5/50 STORED"), reports);
        // Another lease of a stored segment (after a dead-holder revocation, say): no download.
        requester.assign(range(5), 51);
        assertEquals(1, fetching.size());
        assertEquals(List.of("5/50 STORED", "5/51 STORED"), reports);
        assertEquals(1, requester.segmentsReused());
    }

    @Test
    void anAssignmentOutsideTheFileFailsWithoutAFetch()
    {
        requester.assign(new SegmentRange(12, 12 * SEGMENT, SEGMENT), 70);
        requester.assign(new SegmentRange(1, SEGMENT, SEGMENT + 1), 71);
        assertEquals(List.of("12/70 FAILED", "1/71 FAILED"), reports);
        assertEquals(0, fetching.size());
    }

    @Test
    void aStoppedRequesterDropsEverythingSilentlyAndStillAnswersRevocations()
    {
        requester.assign(range(7), 80);
        requester.assign(range(8), 81);
        requester.stop();
        assertTrue(fetches.get(0).isCancelled());
        requester.assign(range(9), 82);
        assertEquals(1, fetching.size(), "nothing fetched after the stop");
        assertEquals(List.of(), reports);
        requester.revoke(8, 81);
        assertEquals(List.of("8/81 DROPPED"), reports);
    }

    @Test
    void aFailedLeaseIsReportedFailedAndItsRevocationRepeatsThat()
    {
        requester.assign(range(6), 60);
        fetches.get(0).completeExceptionally(new MicroDownloadException("HTTP 503"));
        requester.revoke(6, 60);
        assertEquals(List.of("6/60 FAILED", "6/60 FAILED"), reports);
        assertEquals(1, requester.failures());
    }
}
