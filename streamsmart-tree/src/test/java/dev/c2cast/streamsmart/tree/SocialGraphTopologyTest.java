package dev.c2cast.streamsmart.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The room left for a social-graph strategy: {@link SocialGraphTopology} plugged into the radix instead of the
 * configured kind drives the unchanged protocol. Viewers come in groups of three friends; the tree seats friends
 * under friends, keeps every protocol invariant, and repairs a failed group head without a gap.
 */
class SocialGraphTopologyTest
{
    private static final int GROUPS = 10;

    @Test
    void friendsRelayToFriendsAndRepairsKeepTheInvariants()
    {
        final Map<Long, Set<Long>> friends = new HashMap<>();
        final Set<Long> ids = new HashSet<>();
        for (int g = 0; g < GROUPS; g++)
        {
            final long first = 3L * g + 1;
            for (long a = first; a < first + 3; a++)
            {
                ids.add(a);
                final Set<Long> own = new HashSet<>();
                for (long b = first; b < first + 3; b++)
                {
                    if (b != a)
                    {
                        own.add(b);
                    }
                }
                friends.put(a, own);
            }
        }
        final TreeConfig config = TreeConfig.defaults().withShape(4, 6, 8);
        final SocialGraphTopology strategy = new SocialGraphTopology(TreeSimulation.RADIX, 4, 8, friends);
        final TreeSimulation sim = new TreeSimulation(config, 5, ids, 2, 1, 20, 25, strategy);
        for (final long id : ids)
        {
            sim.addMember(id, owner -> Intent.WATCH, false);
        }
        sim.announce();
        sim.startSource();
        sim.runFor(2_000);
        assertEquals(List.of(), TreeInvariants.check(sim, ids, false, sim.lastSeq() - 5));
        assertEquals(ids.size(), strategy.size());

        // Each group's first member to join takes a free slot; its two friends join under it (or under each other).
        int underFriend = 0;
        for (final long id : ids)
        {
            if (friends.get(id).contains(sim.node(id).engine.parent()))
            {
                underFriend++;
            }
        }
        assertTrue(underFriend >= 2 * GROUPS - 2, "only " + underFriend + " of " + ids.size() + " sit under a friend");

        // A member relaying to its two friends fails: the first friend re-seated takes a free slot, the second sits
        // under the first (its only friend left), and neither loses a packet.
        long head = Topology.NONE;
        for (final long id : ids)
        {
            final Set<Long> own = friends.get(id);
            int friendChildren = 0;
            for (final long friend : own)
            {
                if (strategy.parentOf(friend) == id)
                {
                    friendChildren++;
                }
            }
            if (friendChildren == 2)
            {
                head = id;
                break;
            }
        }
        assertTrue(head != Topology.NONE, "no member relays to both of its friends");
        sim.crash(head);
        ids.remove(head);
        sim.runFor(3_000);
        assertEquals(List.of(), TreeInvariants.check(sim, ids, false, sim.lastSeq() - 5));
        final long[] pair = friends.get(head).stream().mapToLong(Long::longValue).toArray();
        final long parent0 = sim.node(pair[0]).engine.parent();
        final long parent1 = sim.node(pair[1]).engine.parent();
        assertTrue(parent0 == pair[1] || parent1 == pair[0],
            "friends " + pair[0] + " and " + pair[1] + " re-seated under " + parent0 + " and " + parent1);
    }
}
