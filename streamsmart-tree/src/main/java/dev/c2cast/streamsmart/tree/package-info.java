/**
 * The StreamSmart clone overlay (streamsmart.md, section II): a balanced relay tree of cloud clones rooted at the
 * radix, built and repaired by a distributed protocol.
 * <p>
 * Where to start: {@link CloneNode} is one clone on UDP; build the stream owner's clone with
 * {@link CloneNode#radix} and each viewer's with {@link CloneNode#viewer}. The radix announces the stream to the
 * clones on its access list, issues {@link StreamToken}s (HMAC-signed, expiring) and refuses any other joiner with a
 * {@link RefusalReason}; each clone answers with an {@link Intent} (watch, record or ignore), and a clone that has
 * not answered is announced to again, at doubling intervals, up to eight times. Placement is a
 * {@link Topology} strategy ({@link StarTopology}, {@link BalancedTreeTopology}, or your own), tuned by
 * {@link TreeConfig}. A silent member is suspected and probed before it is removed; its children reattach to their
 * backup at once and the tree rebalances, and every member's ring of recent packets lets a reattached child resume
 * without a gap. A lone failure is removed within two liveness timeouts plus two probe windows (the stretches for
 * lagging neighbours are capped so); many members suspected at once are treated as overload and given longer.
 * Forwarding copies nothing and no Netty message is made per child in plain mode: every child's copy is one send
 * from the received buffer on the clone's own socket (docs/streamsmart-tree/BENCHMARKS.md has the bytes per packet;
 * with DTLS, each child's copy is encrypted with its own keys). {@link MemberStats} gives role, depth, parent,
 * children, packet and byte counts, loss, latency, CPU time and event-loop lag.
 * <p>
 * Security: joins carry a {@link StreamToken}; optionally, {@link CloneConfig#withSecurity} runs DTLS 1.2 between
 * clones ({@link CloneSecurity}; design, costs and limits in docs/streamsmart-tree/SECURITY.md): mutual
 * certificate authentication against the owner's CA, each certificate bound to a member id by {@link PeerIdentity},
 * control and media encrypted; {@link CloneNode#securityStats()} counts handshakes, refusals and records
 * ({@link SecurityStats}).
 */
package dev.c2cast.streamsmart.tree;
