package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.c2cast.testkit.FakeClock;

class MicroDownloadTest
{
    private final FakeClock clock = new FakeClock();
    private final List<String> sent = new ArrayList<>();
    private final List<Long> leases = new ArrayList<>();
    private final List<Long> revokedLeases = new ArrayList<>();
    private final AssignmentSender sender = new AssignmentSender()
    {
        @Override
        public void assign(final int deviceId, final SegmentRange segment, final long lease,
            final boolean endgameDuplicate)
        {
            sent.add((endgameDuplicate ? "dup " : "assign ") + deviceId + ":" + segment.index());
            leases.add(lease);
        }

        @Override
        public void revoke(final int deviceId, final int segmentIndex, final long lease)
        {
            sent.add("revoke " + deviceId + ":" + segmentIndex);
            revokedLeases.add(lease);
        }
    };

    private MicroDownload scheduler(final int segments, final boolean endgame)
    {
        final MicroDownloadConfig config = MicroDownloadConfig.defaults().withSegmentSize(100).withInitialBacklog(3)
            .withStallTimeoutNanos(TimeUnit.SECONDS.toNanos(1)).withEndgame(endgame);
        return new MicroDownload(config, segments * 100L - 7, clock, new SplittableRandom(1), sender);
    }

    private MicroDownload twoDevices(final int segments, final boolean endgame)
    {
        final MicroDownload md = scheduler(segments, endgame);
        md.join(1);
        md.join(2);
        return md;
    }

    @Test
    void eachJoiningDeviceGetsTheInitialAssignmentInIndexOrder()
    {
        final MicroDownload md = twoDevices(20, false);
        assertArrayEquals(new int[] {0, 1, 2}, md.backlog(1));
        assertArrayEquals(new int[] {3, 4, 5}, md.backlog(2));
        assertEquals(14, md.pendingCount());
        assertEquals(93, md.range(19).length());
    }

    @Test
    void nextSegmentGoesToTheDeviceThatFreedRoom()
    {
        final MicroDownload md = twoDevices(20, false);
        clock.advanceNanos(1000);
        assertTrue(md.onSuccess(2, 3));
        assertArrayEquals(new int[] {4, 5, 6}, md.backlog(2));
        assertFalse(md.onSuccess(2, 3), "a repeated report completes nothing");
    }

    @Test
    void failedSegmentMovesAtOnceToTheLeastLoadedOtherDevice()
    {
        final MicroDownload md = twoDevices(20, false);
        sent.clear();
        md.onFailure(1, 0);
        // Device 1's limit is halved to 1: it gives back its unstarted tail 2 and keeps 1; segment 0 goes to device 2
        // above its initial backlog (the hard bound is 6).
        assertEquals(List.of("revoke 1:2", "assign 2:0"), sent);
        assertArrayEquals(new int[] {3, 4, 5, 0}, md.backlog(2));
        assertEquals(14, md.pendingCount());
        assertArrayEquals(new int[] {1}, md.backlog(1));
        // Segment 2 waits for device 1's answer before anyone else may have it.
        assertArrayEquals(new int[] {2}, md.revoking(1));
        assertEquals(2, md.statistics(1).backlog(), "a segment being revoked still counts in the backlog");
        md.onReport(1, 2, revokedLeases.get(0), ControlMessage.Outcome.DROPPED);
        assertArrayEquals(new int[0], md.revoking(1));
        assertEquals(15, md.pendingCount());
        assertEquals(1, md.statistics(1).backlogLimit());
        assertEquals(1, md.statistics(1).failures());
        assertEquals(1, md.statistics(2).reassignedTo());
    }

    @Test
    void stalledDeviceLosesItsSegmentsButKeepsTheMinimumAssignment()
    {
        final MicroDownload md = twoDevices(20, false);
        clock.advanceNanos(TimeUnit.MILLISECONDS.toNanos(500));
        md.onSuccess(2, 3);
        clock.advanceNanos(TimeUnit.MILLISECONDS.toNanos(500));
        assertEquals(TimeUnit.SECONDS.toNanos(1), md.nextDeadlineNanos());
        assertEquals(1, md.doWork());
        assertEquals(1, md.statistics(1).timeouts());
        // Its segments move at once to device 2 (up to the hard bound); device 1 keeps one segment, a later one.
        assertArrayEquals(new int[] {4, 5, 6, 0, 1, 2}, md.backlog(2));
        assertArrayEquals(new int[] {7}, md.backlog(1));
        assertEquals(3, md.statistics(1).reassignedAway());
        clock.advanceNanos(1000);
        md.onSuccess(2, 4);
        assertArrayEquals(new int[] {5, 6, 0, 1, 2}, md.backlog(2), "no new segment above the initial backlog");
    }

    @Test
    void leavingDeviceSegmentsAreReassigned()
    {
        final MicroDownload md = twoDevices(4, false);
        md.leave(1);
        assertFalse(md.isMember(1));
        assertEquals(1, md.pendingCount());
        assertArrayEquals(new int[] {3, 0, 1}, md.backlog(2));
        assertEquals(3, md.statistics(1).reassignedAway());
        while (!md.isComplete())
        {
            md.onSuccess(2, md.backlog(2)[0]);
        }
        assertEquals(4, md.statistics(2).segmentsCompleted());
    }

    @Test
    void endgameDuplicatesTheLatestSegmentAndRevokesTheLoser()
    {
        final MicroDownload md = twoDevices(4, true);
        assertArrayEquals(new int[] {0, 1, 2}, md.backlog(1));
        assertArrayEquals(new int[] {3}, md.backlog(2), "device 2 starts with the last segment");
        sent.clear();
        clock.advanceNanos(1000);
        md.onSuccess(2, 3);
        // Nothing is pending: device 2 takes a duplicate of the segment device 1 would finish last.
        assertEquals("dup 2:2", sent.get(0));
        sent.clear();
        md.onSuccess(2, 2);
        assertEquals(List.of("revoke 1:2", "dup 2:1"), sent);
        assertEquals(2, md.endgameDuplicates());
    }

    @Test
    void aLateSuccessAfterAStallIsAcceptedAndEveryOtherCopyRevoked()
    {
        final MicroDownload md = twoDevices(4, true);
        clock.advanceNanos(TimeUnit.MILLISECONDS.toNanos(100));
        md.onSuccess(2, 3);
        // Device 2 is idle with a measured rate: it duplicates device 1's latest segment.
        assertArrayEquals(new int[] {2}, md.backlog(2));
        clock.advanceNanos(TimeUnit.MILLISECONDS.toNanos(900));
        assertEquals(1, md.doWork(), "device 1 stalled, device 2 not yet");
        sent.clear();
        // Device 1's report for segment 2 crossed its revocation: accepted, device 2's copy revoked.
        assertTrue(md.onSuccess(1, 2));
        assertTrue(sent.contains("revoke 2:2"), sent.toString());
        assertEquals(1, md.statistics(1).lateCompletions());
        for (final int[] backlog : new int[][] {md.backlog(1), md.backlog(2)})
        {
            assertFalse(contains(backlog, 2));
        }
    }

    @Test
    void aRevokedSegmentIsNotReassignedUntilItsHolderAnswersAndAStoredAnswerCompletesIt()
    {
        final MicroDownload md = twoDevices(8, false);
        final long leaseOf2 = md.leaseOf(1, 2);
        sent.clear();
        md.onFailure(1, 0);
        assertTrue(sent.contains("revoke 1:2"), sent.toString());
        // Device 2 has room for pending segments, yet segment 2 is not among them while device 1 may still store it.
        clock.advanceNanos(1000);
        md.onSuccess(2, 3);
        md.onSuccess(2, 4);
        for (final int segment : md.backlog(2))
        {
            assertTrue(segment != 2, "segment 2 reassigned before device 1 answered");
        }
        // The revocation crossed device 1's download of segment 2: its answer is STORED, and that completes it.
        sent.clear();
        assertTrue(md.onReport(1, 2, leaseOf2, ControlMessage.Outcome.STORED));
        assertTrue(md.isCompleted(2));
        assertEquals(0, md.revokingCount());
        assertTrue(sent.stream().noneMatch(m -> m.endsWith(":2")), sent.toString());
        // A repeated answer is stale.
        assertFalse(md.onReport(1, 2, leaseOf2, ControlMessage.Outcome.DROPPED));
    }

    @Test
    void reportsOfAnotherLeaseOfTheSameSegmentAreStale()
    {
        final MicroDownload md = scheduler(8, false);
        md.join(1);
        final long lease = md.leaseOf(1, 0);
        assertTrue(lease > 0);
        md.onReport(1, 0, lease + 1000, ControlMessage.Outcome.FAILED);
        assertEquals(0, md.statistics(1).failures(), "a failure of an unknown lease is ignored");
        assertArrayEquals(new int[] {0, 1, 2}, md.backlog(1));
        md.onReport(1, 0, lease, ControlMessage.Outcome.FAILED);
        assertEquals(1, md.statistics(1).failures());
    }

    @Test
    void anUnansweredRevocationEndsWhenItsHolderIsDeclaredDead()
    {
        final MicroDownload md = twoDevices(8, false);
        md.onFailure(1, 0);
        assertArrayEquals(new int[] {2}, md.revoking(1));
        clock.advanceNanos(TimeUnit.SECONDS.toNanos(1));
        md.onSuccess(2, md.backlog(2)[0]);
        assertEquals(1, md.doWork(), "device 1 answered nothing for the detection timeout");
        assertEquals(0, md.revokingCount());
        assertEquals(1, md.statistics(1).timeouts());
    }

    private static boolean contains(final int[] values, final int value)
    {
        for (final int v : values)
        {
            if (v == value)
            {
                return true;
            }
        }
        return false;
    }
}
