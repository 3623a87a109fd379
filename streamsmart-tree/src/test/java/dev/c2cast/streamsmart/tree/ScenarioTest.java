package dev.c2cast.streamsmart.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.c2cast.streamsmart.tree.internal.RtpView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Named scenarios in the simulator and the small codecs: radix failure, graceful leave, star baseline, announce
 * answers, token refusals, RTP keyframe detection and sequence extension.
 */
class ScenarioTest
{
    private static Set<Long> ids(final int n)
    {
        final Set<Long> ids = new HashSet<>();
        for (long id = 1; id <= n; id++)
        {
            ids.add(id);
        }
        return ids;
    }

    private static TreeSimulation tree(final TreeConfig config, final int n, final Intent intent)
    {
        final TreeSimulation sim = new TreeSimulation(config, 11, ids(n), 2, 1, 20, 25);
        for (long id = 1; id <= n; id++)
        {
            sim.addMember(id, owner -> intent, false);
        }
        sim.announce();
        sim.startSource();
        sim.runFor(2_000);
        return sim;
    }

    @Test
    void radixFailureEndsTheStreamForEveryone()
    {
        final TreeSimulation sim = tree(TreeConfig.defaults(), 30, Intent.WATCH);
        assertEquals(List.of(), TreeInvariants.check(sim, ids(30), true, sim.lastSeq() - 5));
        sim.crash(TreeSimulation.RADIX);
        sim.runFor(3_000);
        for (long id = 1; id <= 30; id++)
        {
            final TreeMember m = sim.node(id).engine;
            assertEquals(TreeMember.State.ENDED, m.state(), "member " + id);
            assertEquals("radix lost", m.endReason());
        }
    }

    @Test
    void ownerClosingTheStreamEndsItForEveryone()
    {
        final TreeSimulation sim = tree(TreeConfig.defaults(), 30, Intent.WATCH);
        sim.radix().leave();
        sim.runFor(500);
        for (long id = 1; id <= 30; id++)
        {
            assertEquals(TreeMember.State.ENDED, sim.node(id).engine.state());
        }
    }

    @Test
    void gracefulLeaveHandsChildrenOverWithoutGaps()
    {
        final TreeSimulation sim = tree(TreeConfig.defaults(), 40, Intent.WATCH);
        long internal = -1;
        for (long id = 1; id <= 40 && internal < 0; id++)
        {
            if (sim.node(id).engine.children().size() > 0)
            {
                internal = id;
            }
        }
        assertTrue(internal > 0);
        sim.node(internal).engine.leave();
        sim.runFor(2_000);
        assertEquals(TreeMember.State.LEFT, sim.node(internal).engine.state());
        assertTrue(sim.node(internal).engine.children().isEmpty());
        assertEquals(List.of(), TreeInvariants.check(sim, ids(40), true, sim.lastSeq() - 5));
    }

    @Test
    void starPutsEveryCloneUnderTheRadix()
    {
        final TreeSimulation sim = tree(TreeConfig.defaults().withTopology(TopologyKind.STAR), 16, Intent.WATCH);
        assertEquals(16, sim.radix().children().size());
        for (long id = 1; id <= 16; id++)
        {
            assertEquals(TreeSimulation.RADIX, sim.node(id).engine.parent());
            assertEquals(0, sim.node(id).gaps(sim.lastSeq() - 5));
        }
    }

    @Test
    void ignoringClonesAreNotRelaysUnlessThePolicyAllows()
    {
        final TreeSimulation ignored = tree(TreeConfig.defaults(), 10, Intent.IGNORE);
        assertEquals(0, ignored.radix().topology().size());
        assertTrue(ignored.node(1).received.isEmpty());
        final TreeSimulation relays = tree(TreeConfig.defaults().withRelayThroughNonViewers(true), 10, Intent.IGNORE);
        assertEquals(10, relays.radix().topology().size());
        final TreeSimulation recorders = tree(TreeConfig.defaults(), 10, Intent.RECORD);
        assertEquals(10, recorders.radix().topology().size());
        assertEquals(Intent.RECORD, recorders.node(3).engine.intent());
    }

    @Test
    void membersAuthorizedAtRunTimeMayJoinAndNoOneElse()
    {
        final TreeSimulation sim = new TreeSimulation(TreeConfig.defaults(), 3, Set.of(), 2, 1, 20, 25);
        sim.announce();
        sim.startSource();
        final long far = sim.nanoTime() + 3_600_000_000_000L;
        sim.addMember(5, owner -> Intent.WATCH, false).engine.join(TreeSimulation.RADIX, TreeSimulation.STREAM,
            sim.radix().issueToken(5, far), Intent.WATCH);
        sim.runFor(500);
        assertEquals(TreeMember.State.REFUSED, sim.node(5).engine.state());
        assertEquals(RefusalReason.NOT_AUTHORIZED, sim.node(5).engine.refusal());
        assertTrue(sim.node(5).received.isEmpty());

        sim.radix().authorize(6);
        sim.addMember(6, owner -> Intent.WATCH, false).engine.join(TreeSimulation.RADIX, TreeSimulation.STREAM,
            sim.radix().issueToken(6, far), Intent.WATCH);
        sim.runFor(1_000);
        assertEquals(TreeMember.State.ATTACHED, sim.node(6).engine.state());
        assertEquals(TreeSimulation.RADIX, sim.node(6).engine.parent());
        assertFalse(sim.node(6).received.isEmpty());
        assertTrue(sim.node(5).received.isEmpty());
    }

    @Test
    void lostAnnouncementsAndRepliesAreSentAgainUntilAnswered()
    {
        // 1-10 watch and lose their first two announcements; 11-15 ignore (no relaying) and lose their first reply;
        // 16 watches, loses its first reply and every join for a second, so it answers the repeated announcement
        // while joining; 31 is on the access list but never comes up.
        final Set<Long> access = ids(16);
        access.add(31L);
        final TreeSimulation sim = new TreeSimulation(TreeConfig.defaults(), 5, access, 2, 1, 20, 25);
        final long[] announcements = new long[32];
        final long[] replies = new long[32];
        sim.dropMessages((from, to, envelope) ->
        {
            switch (envelope.getBodyCase())
            {
                case ANNOUNCE:
                    return ++announcements[(int)to] <= 2 && to <= 10;
                case ANNOUNCE_REPLY:
                    return ++replies[(int)from] == 1 && from >= 11;
                case JOIN_REQUEST:
                    return from == 16 && sim.nowMs() < 1_000;
                default:
                    return false;
            }
        });
        for (long id = 1; id <= 16; id++)
        {
            sim.addMember(id, id >= 11 && id <= 15 ? owner -> Intent.IGNORE : owner -> Intent.WATCH, false);
        }
        sim.announce();
        sim.startSource();
        sim.runFor(900);
        assertEquals(1, sim.radix().unansweredAnnouncements(), "only the clone that never came up is left");
        assertEquals(TreeMember.State.JOINING, sim.node(16).engine.state());
        assertTrue(replies[16] >= 2, "16 answered the repeated announcement while joining");
        sim.runFor(2_100);
        final Set<Long> watchers = ids(10);
        watchers.add(16L);
        for (final long id : watchers)
        {
            assertEquals(TreeMember.State.ATTACHED, sim.node(id).engine.state(), "member " + id);
            assertFalse(sim.node(id).received.isEmpty(), "member " + id);
        }
        for (long id = 1; id <= 10; id++)
        {
            assertEquals(3, announcements[(int)id], "member " + id + ": two lost, the third answered");
        }
        for (long id = 11; id <= 15; id++)
        {
            assertEquals(TreeMember.State.IDLE, sim.node(id).engine.state(), "member " + id);
            assertEquals(2, replies[(int)id], "member " + id + ": the first reply lost, the second heard");
        }
        // The clone that never came up is announced to a bounded number of times, then left alone.
        sim.runFor(30_000);
        assertEquals(TreeMember.ANNOUNCE_SENDS, announcements[31]);
        assertEquals(0, sim.radix().unansweredAnnouncements());
    }

    @Test
    void tokensAreRefusedWithTheirReason()
    {
        final StreamToken tokens = new StreamToken(TreeSimulation.KEY);
        final byte[] good = tokens.issue(42, 7, 1_000);
        assertNull(tokens.verify(good, 42, 7, 999));
        assertEquals(RefusalReason.EXPIRED, tokens.verify(good, 42, 7, 1_001));
        assertEquals(RefusalReason.WRONG_STREAM, tokens.verify(good, 43, 7, 0));
        assertEquals(RefusalReason.WRONG_MEMBER, tokens.verify(good, 42, 8, 0));
        assertEquals(RefusalReason.NO_TOKEN, tokens.verify(null, 42, 7, 0));
        assertEquals(RefusalReason.MALFORMED_TOKEN, tokens.verify(new byte[3], 42, 7, 0));
        final byte[] forged = good.clone();
        forged[StreamToken.EXPIRY_OFFSET] ^= 1;
        assertEquals(RefusalReason.BAD_SIGNATURE, tokens.verify(forged, 42, 7, 0));
        final byte[] foreign = new StreamToken("some-other-owner-key-0123456789a".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII)).issue(42, 7, 1_000);
        assertEquals(RefusalReason.BAD_SIGNATURE, tokens.verify(foreign, 42, 7, 0));
    }

    @Test
    void keyframesAreRecognisedInEveryPacketisationMode()
    {
        assertTrue(RtpView.startsKeyframe(rtp(0x65), 0, 14));
        assertTrue(RtpView.startsKeyframe(rtp(0x67), 0, 14));
        assertTrue(!RtpView.startsKeyframe(rtp(0x41), 0, 14));
        assertTrue(RtpView.startsKeyframe(rtp(0x7C, 0x85), 0, 14));
        assertTrue(!RtpView.startsKeyframe(rtp(0x7C, 0x05), 0, 14));
        assertTrue(RtpView.startsKeyframe(rtp(0x78, 0x00, 0x10, 0x67), 0, 16));
        assertTrue(!RtpView.startsKeyframe(rtp(0x78, 0x00, 0x10, 0x61), 0, 16));
        assertTrue(!RtpView.startsKeyframe(Unpooled.wrappedBuffer(new byte[5]), 0, 5));
    }

    @Test
    void sequenceNumbersExtendAcrossWrapAround()
    {
        final RtpView.SequenceExtender extender = new RtpView.SequenceExtender();
        assertEquals(65_534, extender.extend(65_534));
        assertEquals(65_535, extender.extend(65_535));
        assertEquals(65_536, extender.extend(0));
        assertEquals(65_535, extender.extend(65_535));
        assertEquals(65_537, extender.extend(1));
    }

    private static ByteBuf rtp(final int... payload)
    {
        final ByteBuf buffer = Unpooled.buffer();
        buffer.writeByte(0x80).writeByte(96).writeShort(1).writeInt(0).writeInt(1);
        for (final int b : payload)
        {
            buffer.writeByte(b);
        }
        buffer.writeZero(4);
        return buffer;
    }
}
