package dev.c2cast.streamsmart.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DTLS between clones on loopback: a PKI made with keytool at test time (the owner's CA, clone certificates
 * {@code CN=clone-<id>}; a rogue CA). A secure tree of a radix and 20 viewers relays a stream with zero gaps
 * through the loss of two relaying clones; clones with a certificate from another CA, with no certificate, with a
 * valid certificate naming another member, or without DTLS at all are refused although each holds a valid join
 * token, become no member and receive zero media bytes; no datagram at any clone's socket contains the plaintext
 * RTP pattern, which a plain-UDP control run does show.
 */
class SecureTreeIT
{
    private static final int VIEWERS = 20;
    private static final long ROGUE = 1001;
    private static final long NO_CERTIFICATE = 1002;
    private static final long PLAINTEXT = 1003;
    private static final long IMPERSONATOR = 1004;
    private static final long IMPERSONATED = 5;

    @TempDir
    static Path dir;
    private static Map<Long, CloneSecurity> securities;
    private static CloneSecurity rogue;
    private static CloneSecurity noCertificate;
    private static CloneSecurity impersonator;

    @BeforeAll
    static void pki() throws Exception
    {
        final long start = System.nanoTime();
        final TestPki owner = TestPki.create(dir.resolve("owner"), "owner-ca");
        final TestPki other = TestPki.create(dir.resolve("rogue"), "rogue-ca");
        // The radix (member 0) and every viewer.
        final List<Long> members = LoopbackCluster.ids(VIEWERS);
        members.add(0, 0L);
        securities = owner.securities(members, owner.trust());
        rogue = CloneSecurity.fromStores(other.keysFor(ROGUE), owner.trust());
        noCertificate = CloneSecurity.fromStores(null, owner.trust());
        impersonator = securities.get(IMPERSONATED);
        System.out.printf("[secure-it] PKI with keytool: %d certificates in %d ms%n", members.size() + 1,
            (System.nanoTime() - start) / 1_000_000);
    }

    static TreeConfig treeConfig()
    {
        return TreeConfig.defaults().withTimings(40_000_000L, 200_000_000L, 500_000_000L).withRingCapacity(512);
    }

    private static String lagging(final LoopbackCluster cluster, final List<Long> alive, final int last)
    {
        final StringBuilder sb = new StringBuilder();
        for (final long id : alive)
        {
            final MemberStats stats = cluster.clones.get(id).stats();
            if (stats.newestSequence() < last)
            {
                sb.append("\n ").append(stats).append(" children=").append(java.util.Arrays.toString(stats.children()))
                    .append("\n  ").append(cluster.clones.get(id).securityStats());
            }
        }
        final MemberStats radix = cluster.radix().stats();
        sb.append("\n radix children=").append(java.util.Arrays.toString(radix.children())).append(' ')
            .append(cluster.radix().securityStats());
        return sb.toString();
    }

    /**
     * The cost of DTLS at the radix: the star-vs-tree setup (16 receivers, tree d = 4, radix on its own event loop,
     * 2 Mbit/s of 1250-byte packets), plain and secure alternately, {@code -DsecureCost.rounds=N} times each
     * (default 1; {@code -DsecureCost.periodMicros=500} for 20 Mbit/s); prints the radix's event-loop CPU per
     * second of stream and the secure/plain ratio of the means. Asserts delivery, fan-out and that no socket of a
     * secure run sees the plaintext RTP pattern (every plain run shows it), never timing.
     */
    @Test
    void secureVersusPlainRadixCost() throws Exception
    {
        final int rounds = Integer.getInteger("secureCost.rounds", 1);
        final double[] plain = new double[rounds];
        final double[] secure = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            plain[round] = radixCpuMsPerSecond(false);
            secure[round] = radixCpuMsPerSecond(true);
        }
        final double plainMean = java.util.Arrays.stream(plain).average().orElse(0);
        final double secureMean = java.util.Arrays.stream(secure).average().orElse(0);
        System.out.printf("[secure-cost] receivers=16 tree d=4 period=%dus rounds=%d: radix CPU ms/s plain=%s "
            + "secure=%s | mean plain=%.2f secure=%.2f ratio secure/plain=%.2f%n",
            Long.getLong("secureCost.periodMicros", 5_000), rounds,
            java.util.Arrays.toString(plain), java.util.Arrays.toString(secure), plainMean, secureMean,
            secureMean / plainMean);
    }

    private static double radixCpuMsPerSecond(final boolean dtls) throws Exception
    {
        final int receivers = 16;
        final TreeConfig config = TreeConfig.defaults().withShape(4, 6, 4)
            .withTimings(50_000_000L, 250_000_000L, 500_000_000L);
        try (LoopbackCluster cluster = new LoopbackCluster(config, receivers, 1, true,
            id -> dtls ? securities.get(id) : null))
        {
            final List<Long> all = LoopbackCluster.ids(receivers);
            final List<WireTap> taps = WireTap.installAll(cluster);
            cluster.radix().announce();
            assertTrue(LoopbackCluster.await(() -> CloneNodeIT.balanced(cluster, all), 20_000, 20));
            cluster.startSource(1250, Long.getLong("secureCost.periodMicros", 5_000), 100);
            LoopbackCluster.await(() -> false, 500, 50);
            final MemberStats before = cluster.radix().stats();
            final long start = System.nanoTime();
            LoopbackCluster.await(() -> false, 3_000, 100);
            final MemberStats after = cluster.radix().stats();
            final double seconds = (System.nanoTime() - start) / 1e9;
            cluster.stopSource();
            final int last = cluster.lastSeqSent();
            assertTrue(LoopbackCluster.await(() -> CloneNodeIT.allHave(cluster, all, last), 10_000, 20),
                "stream did not drain");
            final long published = after.published() - before.published();
            final double copies = (after.mediaPacketsOut() - before.mediaPacketsOut()) / (double)published;
            assertTrue(copies <= 4.05, "radix copies per packet " + copies);
            long matches = 0;
            long datagrams = 0;
            for (final WireTap tap : taps)
            {
                matches += tap.matches.get();
                datagrams += tap.datagrams.get();
            }
            // Secure: no socket of the 17 clones ever saw plaintext RTP; plain: every media datagram shows it.
            assertTrue(dtls ? matches == 0 : matches > (long)receivers * published / 2,
                (dtls ? "plaintext RTP on a secure wire: " : "tap missed plaintext: ") + matches + " of " + datagrams);
            return (after.eventLoopCpuNanos() - before.eventLoopCpuNanos()) / 1e6 / seconds;
        }
    }

    @Test
    void plainControlShowsThePatternOnTheWire() throws Exception
    {
        try (LoopbackCluster cluster = new LoopbackCluster(treeConfig(), 3, 1, false))
        {
            final List<Long> alive = List.of(1L, 2L, 3L);
            final WireTap tap = WireTap.install(cluster.clones.get(1L), WireTap.RTP_PATTERN);
            cluster.radix().announce();
            assertTrue(LoopbackCluster.await(() -> CloneNodeIT.balanced(cluster, alive), 20_000, 20));
            cluster.startSource(1250, 5_000, 100);
            assertTrue(LoopbackCluster.await(() -> tap.matches.get() > 20, 10_000, 10),
                "plaintext RTP not seen at the plain socket: the tap would prove nothing");
            cluster.stopSource();
            assertEquals(SecurityStats.PLAIN, cluster.radix().securityStats());
        }
    }

    @Test
    void secureTreeRelaysWithoutGapsThroughFailuresAndRefusesUntrustedClones() throws Exception
    {
        final Map<Long, CloneSecurity> intruders = new HashMap<>();
        intruders.put(ROGUE, rogue);
        intruders.put(NO_CERTIFICATE, noCertificate);
        intruders.put(IMPERSONATOR, impersonator);
        try (LoopbackCluster cluster = new LoopbackCluster(treeConfig(), VIEWERS, 2, true,
            id -> id == PLAINTEXT ? null : intruders.getOrDefault(id, securities.get(id))))
        {
            final List<Long> alive = LoopbackCluster.ids(VIEWERS);
            final List<WireTap> taps = WireTap.installAll(cluster);
            cluster.radix().announce();
            assertTrue(LoopbackCluster.await(() -> CloneNodeIT.balanced(cluster, alive), 30_000, 20),
                () -> "secure tree never formed: " + CloneNodeIT.describe(cluster, alive));

            // Every intruder holds a valid token: only the transport stands in its way.
            final long far = System.nanoTime() + 3_600_000_000_000L;
            final List<Long> intruderIds = List.of(ROGUE, NO_CERTIFICATE, PLAINTEXT, IMPERSONATOR);
            for (final long id : intruderIds)
            {
                cluster.radix().authorize(id);
                final CloneNode intruder = cluster.addViewer(id);
                intruder.join(LoopbackCluster.RADIX, LoopbackCluster.STREAM, cluster.radix().issueToken(id, far),
                    Intent.WATCH);
            }

            cluster.startSource(1250, 5_000, 100);
            assertTrue(LoopbackCluster.await(() -> cluster.lastSeqSent() > 200, 10_000, 10), "source did not start");
            assertTrue(LoopbackCluster.await(() -> CloneNodeIT.stable(cluster, alive, 1_000), 30_000, 10),
                () -> "tree never settled with media flowing: " + CloneNodeIT.describe(cluster, alive));

            // Kill two relaying clones: their children reattach over new DTLS associations.
            for (int kill = 0; kill < 2; kill++)
            {
                long victim = -1;
                for (final long id : alive)
                {
                    if (cluster.clones.get(id).stats().children().length > 0)
                    {
                        victim = id;
                        break;
                    }
                }
                assertNotEquals(-1, victim, "no relaying viewer to kill");
                alive.remove(victim);
                final long killedAt = System.nanoTime();
                cluster.clones.get(victim).close();
                final long dead = victim;
                assertTrue(LoopbackCluster.await(() -> CloneNodeIT.balanced(cluster, alive), 10_000, 10),
                    () -> "not balanced after killing " + dead + ": " + CloneNodeIT.describe(cluster, alive));
                System.out.printf("[secure-it] killed relay %d, balanced again in %d ms%n", victim,
                    (System.nanoTime() - killedAt) / 1_000_000);
                LoopbackCluster.await(() -> false, 300, 50);
            }
            LoopbackCluster.await(() -> false, 500, 50);
            cluster.stopSource();
            final int last = cluster.lastSeqSent();
            final long drainStart = System.nanoTime();
            assertTrue(LoopbackCluster.await(() -> CloneNodeIT.allHave(cluster, alive, last), 10_000, 20),
                () -> "stream did not drain to " + last + ": " + lagging(cluster, alive, last));
            final Map<Long, Integer> gaps = new HashMap<>();
            for (final long id : alive)
            {
                final int missing = cluster.gaps(id, last);
                if (missing != 0)
                {
                    gaps.put(id, missing);
                }
            }
            final SecurityStats radix = cluster.radix().securityStats();
            long handshakes = 0;
            for (final long id : alive)
            {
                final SecurityStats stats = cluster.clones.get(id).securityStats();
                handshakes += stats.handshakesCompleted();
                if (stats.handshakeFailures() > 0)
                {
                    System.out.printf("[secure-it] viewer %d had handshake failures: %s%n", id, stats);
                }
            }
            System.out.printf("[secure-it] viewers=%d killed=2 packets=%d gaps=%s radix %s; viewers' handshakes=%d%n",
                VIEWERS, last + 1, gaps, radix, handshakes);
            System.out.printf("[secure-it] drained in %d ms%n", (System.nanoTime() - drainStart) / 1_000_000);
            assertEquals(Map.of(), gaps, "survivors missed sequence numbers");

            for (final long id : intruderIds)
            {
                final CloneNode intruder = cluster.clones.get(id);
                final MemberStats stats = intruder.stats();
                final SecurityStats secure = intruder.securityStats();
                System.out.printf("[secure-it] intruder %d: state=%s mediaBytesIn=%d %s%n", id, stats.state(),
                    stats.mediaBytesIn(), secure);
                assertNotEquals("ATTACHED", stats.state(), "intruder " + id + " attached");
                assertEquals(0, stats.mediaBytesIn(), "intruder " + id + " received media bytes");
                assertEquals(0, secure.applicationRecordsIn(), "intruder " + id + " received application data");
                assertTrue(cluster.received.get(id).isEmpty(), "intruder " + id + " delivered media");
                final boolean member = cluster.radix().call(e -> e.topology().contains(id));
                assertFalse(member, "intruder " + id + " in the tree");
            }
            assertTrue(radix.handshakeFailures() >= 3, "radix counted " + radix.handshakeFailures() + " failures");
            assertTrue(radix.datagramsDropped() > 0, "the plaintext join was not dropped");
            assertEquals(0, cluster.clones.get(PLAINTEXT).stats().mediaBytesIn());

            long wireDatagrams = 0;
            long handshakeDrops = 0;
            for (final WireTap tap : taps)
            {
                assertEquals(0, tap.matches.get(), "plaintext RTP on the wire of a secure clone");
                wireDatagrams += tap.datagrams.get();
                handshakeDrops += tap.handshakeDrops.get();
            }
            if (WireTap.HANDSHAKE_LOSS > 0)
            {
                System.out.println("[secure-it] handshake datagrams lost on purpose: " + handshakeDrops + " (p = "
                    + WireTap.HANDSHAKE_LOSS + ")");
            }
            assertTrue(wireDatagrams > (long)VIEWERS * last / 2, "taps saw only " + wireDatagrams + " datagrams");
            assertTrue(radix.applicationRecordsOut() > last, "radix sent " + radix.applicationRecordsOut());
        }
    }
}
