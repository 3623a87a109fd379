package dev.c2cast.streamsmart.tree;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

import com.google.protobuf.ByteString;

import dev.c2cast.streamsmart.tree.wire.Adopt;
import dev.c2cast.streamsmart.tree.wire.Announce;
import dev.c2cast.streamsmart.tree.wire.AnnounceReply;
import dev.c2cast.streamsmart.tree.wire.Assign;
import dev.c2cast.streamsmart.tree.wire.Attach;
import dev.c2cast.streamsmart.tree.wire.AttachAck;
import dev.c2cast.streamsmart.tree.wire.AttachRefused;
import dev.c2cast.streamsmart.tree.wire.Detach;
import dev.c2cast.streamsmart.tree.wire.Envelope;
import dev.c2cast.streamsmart.tree.wire.Evicted;
import dev.c2cast.streamsmart.tree.wire.Heartbeat;
import dev.c2cast.streamsmart.tree.wire.JoinRefused;
import dev.c2cast.streamsmart.tree.wire.JoinRequest;
import dev.c2cast.streamsmart.tree.wire.Leave;
import dev.c2cast.streamsmart.tree.wire.MemberLost;
import dev.c2cast.streamsmart.tree.wire.Presence;
import dev.c2cast.streamsmart.tree.wire.Probe;
import dev.c2cast.streamsmart.tree.wire.ProbeReply;
import dev.c2cast.streamsmart.tree.wire.StreamEnded;
import dev.c2cast.streamsmart.tree.wire.WireIntent;

/**
 * The overlay protocol of one clone for one stream, as a single-threaded state machine: control messages and
 * heartbeat ticks in, control messages and data-plane instructions out (through an {@link Outbox}). Time comes from
 * an injected clock; nothing here blocks, sleeps or starts threads.
 * <p>
 * The radix (the stream owner's clone) holds the authoritative {@link Topology}: it checks join tokens, places
 * members and, when one leaves or fails, computes the moves that repair the tree and sends them as
 * {@code Assign}/{@code Adopt} pairs. Every member monitors its parent (media flow and heartbeats) and its children
 * (heartbeats). A member whose parent goes silent reports it and immediately attaches to its pre-arranged backup,
 * its grandparent, which learnt of it from the lost parent's heartbeats; it resumes from the first sequence number
 * it lacks, replayed from the backup's ring. Moves are make-before-break: a member detaches from its old parent
 * only once the new one has acknowledged. A silent radix ends the stream for everyone.
 * <p>
 * Confined to one event loop.
 */
final class TreeMember
{
    /** Protocol state of a member. */
    enum State
    {
        /** Not announced, or ignoring the stream. */
        IDLE,
        /** Join sent to the radix. */
        JOINING,
        /** Placed, attaching to a parent (or orphaned, waiting for an assignment). */
        ATTACHING,
        /** Receiving from a parent (the radix: streaming). */
        ATTACHED,
        /** The radix refused the join. */
        REFUSED,
        /** Left gracefully. */
        LEFT,
        /** The stream ended. */
        ENDED
    }

    static final long NONE = Topology.NONE;
    /**
     * Radix: announcements sent to a member that has not answered, the first included. A lost announcement (or a
     * lost reply) would otherwise leave the member idle for good; the gap between sends starts at one liveness
     * timeout and doubles up to {@link #ANNOUNCE_BACKOFF_CAP} timeouts, so with the default timeout (150 ms) the
     * last one goes out about 19 s after the first. A clone that was down all that time can still join with a token
     * delivered out of band ({@link #issueToken}).
     */
    static final int ANNOUNCE_SENDS = 8;
    /** Radix: longest gap between announcements to one member, in liveness timeouts. */
    static final int ANNOUNCE_BACKOFF_CAP = 64;
    private static final long[] NO_CHILDREN = new long[0];
    private static final int ATTACH_RETRIES_BEFORE_REPORT = 3;
    private static final int REMOVAL_LOG = 64;

    private final long id;
    private final TreeConfig config;
    private final Outbox out;
    private final LongSupplier clock;
    private final SplittableRandom random;
    private final boolean radix;
    private final StreamToken tokens;
    private final Set<Long> accessList;
    private final Topology topology;
    private final List<Topology.Move> moves = new ArrayList<>();
    private final LongFunction<Intent> intentPolicy;
    private final boolean leafOnly;

    private final LinkedHashMap<Long, Child> children = new LinkedHashMap<>();
    private final HashMap<Long, Long> expected = new HashMap<>();
    private final HashMap<Long, long[]> lostChildren = new HashMap<>();
    private final LinkedHashMap<Long, Suspect> suspects = new LinkedHashMap<>();
    /** Radix: members announced to that have not answered yet, with {next send time, sends so far}. */
    private final LinkedHashMap<Long, long[]> unanswered = new LinkedHashMap<>();

    private State state = State.IDLE;
    private long streamId;
    private long radixId = NONE;
    private byte[] token;
    private Intent intent;
    private boolean relayPolicy;
    private long epoch;
    private long lastAssignEpoch = -1;
    private long parent = NONE;
    private long pending = NONE;
    private boolean pendingFoster;
    private boolean pendingRefused;
    private long pendingSince;
    private int attachRetries;
    private int attachRefusals;
    private long radixSuspectSince = Long.MIN_VALUE;
    private long lastHeardParent;
    private long parentMaxGap;
    private long parentLag;
    private long ownLag;
    private long backup = NONE;
    private int depth = -1;
    private long joinSentAt;
    private long orphanSince;
    private long lastTick = Long.MIN_VALUE;
    private long gapSeenAt = -1;
    private long upstreamAskedFor = -1;
    private long upstreamAskedAt;
    private boolean fostered;
    private long fosterSince;
    private long repairRequests;
    private long mediaSeenAt = Long.MIN_VALUE;
    private boolean backupChanged;
    private long ticks;
    private boolean leaving;
    private long leaveDeadline;
    private RefusalReason refusal;
    private String endReason;
    private long controlIn;
    private long controlOut;
    private long parentChanges;
    private long repairs;
    private long probesSent;
    private long probeAnswerMax;
    private long falseSuspicions;
    private long nextNonce = 1;
    private final long[] removedMembers = new long[REMOVAL_LOG];
    private final long[] removedReportedAt = new long[REMOVAL_LOG];
    private final long[] removedAt = new long[REMOVAL_LOG];
    private int removals;

    private TreeMember(
        final long id,
        final TreeConfig config,
        final Outbox out,
        final LongSupplier clock,
        final SplittableRandom random,
        final boolean radix,
        final StreamToken tokens,
        final Set<Long> accessList,
        final LongFunction<Intent> intentPolicy,
        final boolean leafOnly,
        final Topology strategy)
    {
        this.id = id;
        this.config = config;
        this.out = out;
        this.clock = clock;
        this.random = random;
        this.radix = radix;
        this.tokens = tokens;
        this.accessList = accessList;
        this.topology = !radix ? null : strategy != null ? strategy : config.topology().create(config, id);
        this.intentPolicy = intentPolicy;
        this.leafOnly = leafOnly;
    }

    /**
     * The owner's clone: radix of the tree for one stream.
     *
     * @param config     tree parameters.
     * @param id         this clone's member id.
     * @param streamId   the stream.
     * @param key        the owner's token key.
     * @param accessList the members authorized to watch.
     * @param out        the outbox.
     * @param clock      nanosecond clock.
     * @param random     random source.
     * @return the radix.
     */
    static TreeMember radix(
        final TreeConfig config,
        final long id,
        final long streamId,
        final byte[] key,
        final Collection<Long> accessList,
        final Outbox out,
        final LongSupplier clock,
        final SplittableRandom random)
    {
        return radix(config, id, streamId, key, accessList, null, out, clock, random);
    }

    /**
     * The owner's clone with its own interconnection strategy (a social-graph placement, say) instead of the one
     * {@link TreeConfig#topology()} names.
     *
     * @param config     tree parameters.
     * @param id         this clone's member id.
     * @param streamId   the stream.
     * @param key        the owner's token key.
     * @param accessList the members authorized to watch.
     * @param strategy   an empty topology rooted at {@code id}, or null for the configured kind.
     * @param out        the outbox.
     * @param clock      nanosecond clock.
     * @param random     random source.
     * @return the radix.
     */
    static TreeMember radix(
        final TreeConfig config,
        final long id,
        final long streamId,
        final byte[] key,
        final Collection<Long> accessList,
        final Topology strategy,
        final Outbox out,
        final LongSupplier clock,
        final SplittableRandom random)
    {
        if (strategy != null && (strategy.radix() != id || strategy.size() != 0))
        {
            throw new IllegalArgumentException("the strategy must be an empty topology rooted at " + id);
        }
        final TreeMember member = new TreeMember(id, config, out, clock, random, true, new StreamToken(key),
            new LinkedHashSet<>(accessList), owner -> Intent.WATCH, false, strategy);
        member.streamId = streamId;
        member.radixId = id;
        member.depth = 0;
        member.relayPolicy = config.relayThroughNonViewers();
        return member;
    }

    /**
     * A viewer's clone.
     *
     * @param config       tree parameters.
     * @param id           this clone's member id.
     * @param intentPolicy answers announcements (argument: the owner's member id).
     * @param leafOnly     whether this clone refuses to relay.
     * @param out          the outbox.
     * @param clock        nanosecond clock.
     * @param random       random source.
     * @return the member.
     */
    static TreeMember member(
        final TreeConfig config,
        final long id,
        final LongFunction<Intent> intentPolicy,
        final boolean leafOnly,
        final Outbox out,
        final LongSupplier clock,
        final SplittableRandom random)
    {
        return new TreeMember(id, config, out, clock, random, false, null, Set.of(), intentPolicy, leafOnly, null);
    }

    // ------------------------------------------------------------------------------------------------ commands

    /**
     * Radix: starts the stream and announces it to every clone on the access list, each with its own token.
     */
    void announce()
    {
        requireRadix();
        state = State.ATTACHED;
        lastTick = clock.getAsLong();
        for (final long member : accessList)
        {
            sendAnnounce(member);
            unanswered.put(member, new long[] {lastTick + config.livenessTimeoutNanos(), 1});
        }
        out.stateChanged(this);
    }

    private void sendAnnounce(final long member)
    {
        final long expiry = clock.getAsLong() + config.tokenTtlNanos();
        send(member, envelope().setAnnounce(Announce.newBuilder()
            .setOwner(id)
            .setToken(ByteString.copyFrom(tokens.issue(streamId, member, expiry)))
            .setRelayThroughNonViewers(config.relayThroughNonViewers())));
    }

    /** Radix: announces again to members that have not answered, each on its own doubling schedule. */
    private void reannounce(final long now)
    {
        final Iterator<Map.Entry<Long, long[]>> it = unanswered.entrySet().iterator();
        while (it.hasNext())
        {
            final Map.Entry<Long, long[]> entry = it.next();
            final long[] schedule = entry.getValue();
            if (now - schedule[0] < 0)
            {
                continue;
            }
            if (schedule[1] >= ANNOUNCE_SENDS)
            {
                it.remove();
                continue;
            }
            sendAnnounce(entry.getKey());
            schedule[1]++;
            schedule[0] = now + config.livenessTimeoutNanos() * Math.min(1L << (schedule[1] - 1), ANNOUNCE_BACKOFF_CAP);
        }
    }

    /**
     * Radix: members announced to that have not answered yet (an announcement reply or a join request), while the
     * radix still retries them.
     *
     * @return the number of such members.
     */
    int unansweredAnnouncements()
    {
        return unanswered.size();
    }

    /**
     * Radix: adds a member to the access list after the stream started (a clone admitted at run time).
     *
     * @param member the member.
     */
    void authorize(final long member)
    {
        requireRadix();
        accessList.add(member);
    }

    /**
     * Radix: issues a token without announcing (for out-of-band delivery).
     *
     * @param member      the member.
     * @param expiryNanos expiry in this clock's time base.
     * @return the token.
     */
    byte[] issueToken(final long member, final long expiryNanos)
    {
        requireRadix();
        return tokens.issue(streamId, member, expiryNanos);
    }

    /**
     * Member: joins a stream directly with a token obtained out of band (no announcement).
     *
     * @param radixId      the radix.
     * @param streamId     the stream.
     * @param joinToken    the token, possibly null.
     * @param joinIntent   watch, record or (relay-only) ignore.
     */
    void join(final long radixId, final long streamId, final byte[] joinToken, final Intent joinIntent)
    {
        if (radix)
        {
            throw new IllegalStateException("the radix does not join");
        }
        this.radixId = radixId;
        this.streamId = streamId;
        this.token = joinToken;
        this.intent = joinIntent;
        sendJoin();
    }

    /**
     * Member: leaves gracefully; children are moved by the radix before this member stops forwarding.
     * Radix: ends the stream for everyone.
     */
    void leave()
    {
        if (radix)
        {
            end("stream closed by its owner");
            return;
        }
        if (state != State.ATTACHED && state != State.ATTACHING)
        {
            if (state == State.JOINING)
            {
                // The join may already be placed: the radix must not keep a slot for us.
                send(radixId, envelope().setLeave(Leave.getDefaultInstance()));
            }
            state = State.LEFT;
            out.stateChanged(this);
            return;
        }
        leaving = true;
        leaveDeadline = clock.getAsLong() + config.leaveTimeoutNanos();
        send(radixId, envelope().setLeave(Leave.getDefaultInstance()));
        if (children.isEmpty())
        {
            finishLeave();
        }
    }

    /**
     * Notes media from a neighbour: media flow is a liveness signal.
     *
     * @param from the sender.
     */
    void onMediaFrom(final long from)
    {
        if (from == parent)
        {
            final long now = clock.getAsLong();
            heardParent(now);
            mediaSeenAt = now;
        }
        else if (from == id && radix)
        {
            mediaSeenAt = clock.getAsLong();
        }
    }

    /**
     * The heartbeat tick of a driver that does not measure its own lag (the simulator).
     */
    void onTick()
    {
        onTick(0);
    }

    /**
     * The heartbeat tick: checks neighbours' liveness, retries, and sends heartbeats. Drivers call it every
     * {@link TreeConfig#heartbeatIntervalNanos()}, passing how late this firing is against its schedule: a member
     * whose own event loop lags sees its neighbours' messages that much later, so it waits that much longer before
     * suspecting them, and it tells them its lag so they wait longer before suspecting it.
     *
     * @param loopLagNanos how late this tick fired, in nanoseconds (0 if unknown).
     */
    void onTick(final long loopLagNanos)
    {
        final long now = clock.getAsLong();
        // A recent maximum, decaying by 1/16 per tick (half-life about 11 ticks): lag comes in bursts, and one
        // late firing predicts more; the radix's probe, not this stretch, is what keeps a lagging member in.
        ownLag = Math.max(Math.max(0, loopLagNanos), ownLag - (ownLag >> 4));
        // How late probes are answered decays by 1/64 per tick (about a third in a second of 40 ms ticks).
        probeAnswerMax -= probeAnswerMax >> 6;
        if (lastTick != Long.MIN_VALUE && now - lastTick > 2 * config.heartbeatIntervalNanos())
        {
            // This member itself stalled: the silence it observed during the stall is its own, so that much is not
            // held against its neighbours (what their datagrams did before the stall still counts: resetting the
            // silence clock on every stall kept a dead neighbour undetected for seconds on a loaded machine).
            final long stalled = now - lastTick - 2 * config.heartbeatIntervalNanos();
            lastHeardParent = Math.min(now, lastHeardParent + stalled);
            for (final Child child : children.values())
            {
                child.lastHeard = Math.min(now, child.lastHeard + stalled);
            }
            for (final Suspect suspect : suspects.values())
            {
                suspect.probedAt = Math.min(now, suspect.probedAt + stalled);
            }
        }
        lastTick = now;
        ticks++;
        final long timeout = config.livenessTimeoutNanos();
        if (state == State.JOINING && now - joinSentAt > timeout)
        {
            sendJoin();
        }
        if (!radix && (state == State.ATTACHING || state == State.ATTACHED))
        {
            // Losing the radix ends the stream for everyone, so it takes twice the silence to conclude it. Any other
            // parent gets one timeout more than a parent gives its child: a crashed parent is also reported by its
            // own parent (our backup), which hears its upward heartbeats stop, so the repair does not wait for us;
            // and a parent that merely stalled does not send its children to the backup and back.
            final long parentTimeout = silenceThreshold(timeout, parentMaxGap, parentLag);
            if (parent != NONE
                && now - lastHeardParent > (parent == radixId ? 2 * parentTimeout : parentTimeout + timeout))
            {
                parentLost(now);
            }
            // An attach unanswered for a timeout is retried (and every third retry reports the target); a member
            // whose own loop lags waits that much longer (twice its lag, up to two timeouts), or on a starved
            // machine every attach times out, and the retries and reports keep the tree from ever settling.
            if (pending != NONE && (pendingRefused || now - pendingSince > timeout + Math.min(2 * ownLag, 2 * timeout)))
            {
                retryAttach(now);
            }
            if (parent == NONE && pending == NONE && !leaving && now - orphanSince > 2 * timeout)
            {
                orphanSince = now;
                send(radixId, joinRequest());
            }
            requestGapRepair();
            if (fostered && !leaving && now - fosterSince > 2 * timeout)
            {
                // A foster parent is temporary: if the radix has not re-placed us, confirm our place with it.
                fosterSince = now;
                send(radixId, joinRequest());
            }
            if (parent != NONE)
            {
                final Heartbeat.Builder hb = Heartbeat.newBuilder().setUpward(true).setDepth(depth)
                    .setLagMicros(lagMicros());
                for (final long child : children.keySet())
                {
                    hb.addChildren(child);
                }
                send(parent, envelope().setHeartbeat(hb));
                if (parent != radixId && ((ticks + id) & 7) == 0)
                {
                    send(radixId, envelope().setPresence(Presence.newBuilder().setParent(parent)));
                }
            }
        }
        if (radix && !suspects.isEmpty())
        {
            checkSuspects(now);
        }
        if (radix && !unanswered.isEmpty() && state == State.ATTACHED)
        {
            reannounce(now);
        }
        if (state == State.ATTACHING || state == State.ATTACHED)
        {
            checkChildren(now, timeout);
            // Children hear from us through the media we forward; an explicit heartbeat goes down when media
            // paused, when their backup changed, and every fourth tick regardless.
            final boolean mediaFlowing = mediaSeenAt != Long.MIN_VALUE && now - mediaSeenAt <= config.heartbeatIntervalNanos();
            if (!mediaFlowing || backupChanged || (ticks & 3) == 0)
            {
                backupChanged = false;
                sendDownHeartbeats();
            }
            expireExpectations(now, timeout);
        }
        if (leaving && (children.isEmpty() || now - leaveDeadline > 0))
        {
            finishLeave();
        }
    }

    /**
     * A control message arrived.
     *
     * @param from     the sender's member id (from the envelope, checked against the transport by the driver).
     * @param envelope the message.
     */
    void onMessage(final long from, final Envelope envelope)
    {
        controlIn++;
        if (radix && !suspects.isEmpty())
        {
            // Probe windows are short against the tick: check them whenever the radix runs, not only on ticks.
            checkSuspects(clock.getAsLong());
        }
        if (from == radixId)
        {
            radixSuspectSince = Long.MIN_VALUE;
        }
        if (radixId != NONE && envelope.getStreamId() != streamId && state != State.IDLE)
        {
            return;
        }
        switch (envelope.getBodyCase())
        {
            case ANNOUNCE:
                onAnnounce(from, envelope);
                break;
            case ANNOUNCE_REPLY:
                if (radix)
                {
                    unanswered.remove(from);
                }
                break;
            case JOIN_REQUEST:
                if (radix)
                {
                    unanswered.remove(from);
                }
                onJoinRequest(from, envelope.getJoinRequest());
                break;
            case JOIN_REFUSED:
                onJoinRefused(from, envelope.getJoinRefused());
                break;
            case ASSIGN:
                onAssign(from, envelope.getAssign());
                break;
            case ADOPT:
                if (from == radixId && !children.containsKey(envelope.getAdopt().getChild()))
                {
                    expected.put(envelope.getAdopt().getChild(), clock.getAsLong());
                }
                break;
            case ATTACH:
                onAttach(from, envelope.getAttach());
                break;
            case ATTACH_ACK:
                onAttachAck(from, envelope.getAttachAck());
                break;
            case ATTACH_REFUSED:
                if (from == pending)
                {
                    pendingRefused = true;
                    if (!pendingFoster && ++attachRefusals % 2 == 0)
                    {
                        // The radix's Adopt may have been lost: a repeated join makes it send Assign and Adopt again.
                        send(radixId, joinRequest());
                    }
                }
                break;
            case DETACH:
                removeChild(from);
                break;
            case HEARTBEAT:
                onHeartbeat(from, envelope.getHeartbeat());
                break;
            case MEMBER_LOST:
                if (radix)
                {
                    onMemberLost(from, envelope.getMemberLost().getMember(),
                        envelope.getMemberLost().getLagMicros() * 1_000L);
                }
                else if (from == radixId)
                {
                    release(envelope.getMemberLost().getMember());
                }
                break;
            case LEAVE:
                if (radix)
                {
                    suspects.remove(from);
                }
                if (radix && topology.remove(from, moves))
                {
                    applyMoves();
                }
                break;
            case STREAM_ENDED:
                if (from == parent || from == radixId || from == pending)
                {
                    end(envelope.getStreamEnded().getReason());
                }
                break;
            case EVICTED:
                onEvicted(from);
                break;
            case PROBE:
                if (from == radixId && !radix)
                {
                    if (state == State.JOINING || state == State.ATTACHING || state == State.ATTACHED)
                    {
                        send(from, envelope().setProbeReply(ProbeReply.newBuilder()
                            .setNonce(envelope.getProbe().getNonce()).setLagMicros(lagMicros())));
                    }
                    else if (state == State.LEFT)
                    {
                        // The radix still places us (our leave crossed our join): say it again.
                        send(from, envelope().setLeave(Leave.getDefaultInstance()));
                    }
                }
                break;
            case PROBE_REPLY:
                if (radix)
                {
                    onProbeReply(from, envelope.getProbeReply().getNonce());
                }
                break;
            case PRESENCE:
                if (radix && state == State.ATTACHED && !topology.contains(from) && accessList.contains(from))
                {
                    // Removed while it could not hear it (its Evicted was lost): tell it again.
                    send(from, envelope().setEvicted(Evicted.getDefaultInstance()));
                }
                break;
            default:
                break;
        }
    }

    // ------------------------------------------------------------------------------------------------ handlers

    private void onAnnounce(final long from, final Envelope envelope)
    {
        if (radix)
        {
            return;
        }
        if (state != State.IDLE && state != State.REFUSED)
        {
            // A repeated announcement: our reply (or our join) was lost on the way to the radix, which retries
            // until it hears from us. Answer again; nothing else changes.
            if (from == radixId && envelope.getStreamId() == streamId && intent != null)
            {
                send(from, envelope().setAnnounceReply(AnnounceReply.newBuilder().setIntent(toWire(intent))));
            }
            return;
        }
        final Announce announce = envelope.getAnnounce();
        radixId = from;
        streamId = envelope.getStreamId();
        token = announce.getToken().toByteArray();
        relayPolicy = announce.getRelayThroughNonViewers();
        intent = intentPolicy.apply(announce.getOwner());
        send(from, envelope().setAnnounceReply(AnnounceReply.newBuilder().setIntent(toWire(intent))));
        if (intent != Intent.IGNORE || relayPolicy)
        {
            sendJoin();
        }
    }

    private void onJoinRequest(final long from, final JoinRequest request)
    {
        if (!radix)
        {
            return;
        }
        final long now = clock.getAsLong();
        // A join proves the member alive; the join itself re-sends its place.
        suspects.remove(from);
        RefusalReason reason = state == State.ATTACHED ? null : RefusalReason.STREAM_ENDED;
        if (reason == null)
        {
            reason = tokens.verify(request.getToken().toByteArray(), streamId, from, now);
        }
        if (reason == null && !accessList.contains(from))
        {
            reason = RefusalReason.NOT_AUTHORIZED;
        }
        if (reason == null && request.getIntent() == WireIntent.WIRE_INTENT_IGNORE && !config.relayThroughNonViewers())
        {
            reason = RefusalReason.NOT_A_VIEWER;
        }
        if (reason == null && from == id)
        {
            reason = RefusalReason.WRONG_MEMBER;
        }
        if (reason != null)
        {
            send(from, envelope().setJoinRefused(JoinRefused.newBuilder()
                .setReason(reason.ordinal()).setDetail(describe(reason))));
            return;
        }
        if (topology.contains(from))
        {
            moves.add(new Topology.Move(from, topology.parentOf(from)));
            applyMoves();
            return;
        }
        if (!topology.add(from, request.getLeafOnly(), moves))
        {
            moves.clear();
            send(from, envelope().setJoinRefused(JoinRefused.newBuilder()
                .setReason(RefusalReason.NO_CAPACITY.ordinal()).setDetail(describe(RefusalReason.NO_CAPACITY))));
            return;
        }
        applyMoves();
    }

    private void onJoinRefused(final long from, final JoinRefused refused)
    {
        if (from != radixId || radix)
        {
            return;
        }
        refusal = RefusalReason.fromCode(refused.getReason());
        state = State.REFUSED;
        out.stateChanged(this);
    }

    private void onAssign(final long from, final Assign assign)
    {
        if (from != radixId || radix || assign.getEpoch() < lastAssignEpoch)
        {
            return;
        }
        if (state != State.JOINING && state != State.ATTACHING && state != State.ATTACHED)
        {
            return;
        }
        lastAssignEpoch = assign.getEpoch();
        fostered = false;
        if (assign.getParent() == parent && pending == NONE)
        {
            // The radix re-sends a place only when it doubts it (a refuted suspicion, a repeated join): the parent
            // may have dropped us meanwhile, so attach again, unless it has just shown that it serves us (media or a
            // heartbeat within the last interval). Re-attaching regardless made every refuted suspicion a round
            // of attaches, which on a loaded machine kept the tree unsettled.
            setDepth(assign.getDepth());
            if (clock.getAsLong() - lastHeardParent > config.heartbeatIntervalNanos())
            {
                attachTo(parent, false, NONE);
            }
            return;
        }
        if (state == State.JOINING)
        {
            state = State.ATTACHING;
            orphanSince = clock.getAsLong();
        }
        attachTo(assign.getParent(), false, NONE);
    }

    private void onAttach(final long from, final Attach attach)
    {
        final boolean inTree = state == State.ATTACHED || (state == State.ATTACHING && !radix);
        boolean accepted = inTree && !leaving && (children.containsKey(from) || expected.containsKey(from));
        if (!accepted && inTree && !leaving && attach.getFoster())
        {
            accepted = isGrandchild(from, attach.getLostParent());
        }
        if (!accepted)
        {
            send(from, envelope().setAttachRefused(AttachRefused.newBuilder().setDetail("not expecting " + from)));
            return;
        }
        final long now = clock.getAsLong();
        if (attach.getHasResumeTo() && children.containsKey(from))
        {
            children.get(from).lastHeard = now;
            out.relay().replay(from, attach.getResumeFrom(), attach.getResumeTo());
            askUpstream(attach.getResumeFrom(), now);
            return;
        }
        expected.remove(from);
        Child child = children.get(from);
        if (child == null)
        {
            child = new Child(now);
            children.put(from, child);
        }
        child.lastHeard = now;
        out.attachChild(from, attach.getHasResume(), attach.getResumeFrom());
        if (attach.getHasResume())
        {
            askUpstream(attach.getResumeFrom(), now);
        }
        send(from, envelope().setAttachAck(AttachAck.newBuilder()
            .setGrandparent(radix ? NONE : parent).setDepth(depth)));
        if (attach.getFoster())
        {
            repairs++;
        }
        out.stateChanged(this);
    }

    private void onAttachAck(final long from, final AttachAck ack)
    {
        if (from != pending)
        {
            if (from != parent)
            {
                send(from, envelope().setDetach(Detach.getDefaultInstance()));
            }
            return;
        }
        final long old = parent;
        backupChanged = true;
        parentMaxGap = 0;
        parentLag = 0;
        parent = from;
        pending = NONE;
        pendingRefused = false;
        attachRetries = 0;
        lastHeardParent = clock.getAsLong();
        backup = ack.getGrandparent();
        setDepth(ack.getDepth() + 1);
        if (backupChanged)
        {
            backupChanged = false;
            sendDownHeartbeats();
        }
        state = State.ATTACHED;
        parentChanges++;
        fostered = pendingFoster;
        fosterSince = lastHeardParent;
        if (old != NONE && old != from)
        {
            send(old, envelope().setDetach(Detach.getDefaultInstance()));
        }
        out.stateChanged(this);
    }

    private void onHeartbeat(final long from, final Heartbeat heartbeat)
    {
        final long now = clock.getAsLong();
        if (heartbeat.getUpward())
        {
            final Child child = children.get(from);
            if (child != null)
            {
                child.heard(now);
                child.lag = heartbeat.getLagMicros() * 1_000L;
                final int n = heartbeat.getChildrenCount();
                if (n == 0)
                {
                    child.grandchildren = NO_CHILDREN;
                }
                else
                {
                    final long[] grandchildren = new long[n];
                    for (int i = 0; i < n; i++)
                    {
                        grandchildren[i] = heartbeat.getChildren(i);
                    }
                    child.grandchildren = grandchildren;
                }
            }
            else if (!expected.containsKey(from) && (state == State.ATTACHED || state == State.ATTACHING))
            {
                send(from, envelope().setEvicted(Evicted.getDefaultInstance()));
            }
        }
        else if (from == parent)
        {
            heardParent(now);
            parentLag = heartbeat.getLagMicros() * 1_000L;
            backup = heartbeat.getParent();
            setDepth(heartbeat.getDepth() + 1);
        }
    }

    private void onMemberLost(final long reporter, final long member, final long memberLag)
    {
        if (member == id)
        {
            return;
        }
        // A report only starts a probe, and only the probe's silence removes: so any member of the tree may report
        // (a parent the model has already moved the member away from is often the first to notice a crash).
        final long memberParent = topology.contains(member) ? topology.parentOf(member) : NONE;
        if (memberParent == NONE || (reporter != id && !topology.contains(reporter)))
        {
            tellRelease(reporter, member);
            return;
        }
        final boolean neighbour = reporter == id
            || memberParent == reporter
            || topology.parentOf(reporter) == member
            || topology.parentOf(memberParent) == reporter;
        if (!neighbour)
        {
            // Not (or no longer) the reporter's neighbour in the model: a parent that still serves it may stop.
            tellRelease(reporter, member);
        }
        Suspect suspect = suspects.get(member);
        if (suspect == null)
        {
            // A report is a suspicion, not a verdict: an overloaded member (a stalled event loop, a GC pause) is
            // silent but alive. It has one probe window to answer before it is removed.
            suspect = new Suspect(clock.getAsLong(), nextNonce++, memberLag);
            suspects.put(member, suspect);
            probesSent++;
            send(member, envelope().setProbe(Probe.newBuilder().setNonce(suspect.nonce)));
        }
        if (reporter != id && neighbour)
        {
            suspect.addReporter(reporter);
        }
        suspect.lag = Math.max(suspect.lag, memberLag);
    }

    private void checkSuspects(final long now)
    {
        List<Long> confirmed = null;
        // Many members suspected at once is more likely overload (a whole host or event loop stalled) than a mass
        // failure: each outstanding suspicion beyond the first adds a heartbeat period, up to a second base window;
        // and when more than a sixteenth of the tree (at least three members) is suspected at once, removals wait
        // four more timeouts, so a burst of stalls does not become a burst of evictions that feeds the next
        // (a real mass failure that large is repaired that much later). A lone suspect is probably dead and gets
        // no such grace: that is what keeps single failures within the repair budget.
        final int outstanding = suspects.size();
        final long crowd = outstanding > Math.max(2, topology.size() / 16)
            ? 4 * config.livenessTimeoutNanos()
            : Math.min(config.probeWindowNanos(), (outstanding - 1) * config.heartbeatIntervalNanos());
        for (final Map.Entry<Long, Suspect> entry : suspects.entrySet())
        {
            final Suspect suspect = entry.getValue();
            // One member suspected alone is probably dead: what stretches its window (late probe answers seen
            // recently, its own advertised lag, the radix's lag) is capped at one more base window, so detection
            // plus probe stays within the repair budget (see silenceThreshold).
            final long base = config.probeWindowNanos();
            final long window = base
                + Math.min(Math.max(2 * probeAnswerMax - base, 0) + 2 * suspect.lag + ownLag, base)
                + crowd;
            if (now - suspect.probedAt > window)
            {
                if (confirmed == null)
                {
                    confirmed = new ArrayList<>();
                }
                confirmed.add(entry.getKey());
            }
        }
        if (confirmed != null)
        {
            for (final long member : confirmed)
            {
                final Suspect suspect = suspects.remove(member);
                final int slot = removals++ & (REMOVAL_LOG - 1);
                removedMembers[slot] = member;
                removedReportedAt[slot] = suspect.reportedAt;
                removedAt[slot] = now;
                removeLost(member);
                // The reporters may serve it outside the model (a foster parent, a parent it was moving from).
                for (int i = 0; i < suspect.reporterCount; i++)
                {
                    tellRelease(suspect.reporters[i], member);
                }
            }
        }
    }

    private void onProbeReply(final long from, final long nonce)
    {
        final Suspect suspect = suspects.get(from);
        if (suspect == null || suspect.nonce != nonce)
        {
            return;
        }
        suspects.remove(from);
        falseSuspicions++;
        probeAnswerMax = Math.max(probeAnswerMax, clock.getAsLong() - suspect.probedAt);
        // Alive after all: re-send its place, and the reporters' (a child that went to its backup returns).
        reconfirm(from);
        for (int i = 0; i < suspect.reporterCount; i++)
        {
            reconfirm(suspect.reporters[i]);
        }
    }

    private void tellRelease(final long holder, final long member)
    {
        if (holder == id)
        {
            final Child removed = children.remove(member);
            if (removed != null)
            {
                lostChildren.put(member, removed.grandchildren);
                out.detachChild(member);
            }
        }
        else
        {
            send(holder, envelope().setMemberLost(MemberLost.newBuilder().setMember(member)));
        }
    }

    private void reconfirm(final long member)
    {
        if (member == id || !topology.contains(member))
        {
            return;
        }
        final long memberParent = topology.parentOf(member);
        epoch++;
        if (memberParent == id)
        {
            if (!children.containsKey(member))
            {
                expected.put(member, clock.getAsLong());
            }
        }
        else
        {
            send(memberParent, envelope().setAdopt(Adopt.newBuilder().setChild(member).setEpoch(epoch)));
        }
        send(member, envelope().setAssign(Assign.newBuilder()
            .setParent(memberParent).setDepth(topology.depthOf(member)).setEpoch(epoch)));
    }

    private void removeLost(final long member)
    {
        if (!topology.contains(member))
        {
            return;
        }
        final long memberParent = topology.parentOf(member);
        if (memberParent != id && memberParent != NONE)
        {
            // Tell the former parent to stop serving it, in case it still does (the member may be hung, not dead).
            send(memberParent, envelope().setMemberLost(MemberLost.newBuilder().setMember(member)));
        }
        if (topology.remove(member, moves))
        {
            applyMoves();
        }
        final Child removed = children.remove(member);
        if (removed != null)
        {
            lostChildren.put(member, removed.grandchildren);
            out.detachChild(member);
        }
        send(member, envelope().setEvicted(Evicted.getDefaultInstance()));
    }

    private void release(final long member)
    {
        final Child removed = children.remove(member);
        if (removed != null)
        {
            // Its children may foster with us, on the strength of its last heartbeat.
            lostChildren.put(member, removed.grandchildren);
            out.detachChild(member);
            send(member, envelope().setEvicted(Evicted.getDefaultInstance()));
            out.stateChanged(this);
        }
    }

    private void onEvicted(final long from)
    {
        if (radix || (from != radixId && from != parent) || state == State.LEFT || state == State.ENDED)
        {
            return;
        }
        if (leaving)
        {
            finishLeave();
            return;
        }
        // The radix has re-placed this member's children; stop serving them and rejoin.
        if (parent != NONE && parent != from)
        {
            send(parent, envelope().setDetach(Detach.getDefaultInstance()));
        }
        if (pending != NONE && pending != from)
        {
            send(pending, envelope().setDetach(Detach.getDefaultInstance()));
        }
        for (final long child : children.keySet())
        {
            out.detachChild(child);
        }
        children.clear();
        expected.clear();
        parent = NONE;
        pending = NONE;
        sendJoin();
        out.stateChanged(this);
    }

    // ------------------------------------------------------------------------------------------------ mechanics

    private void sendJoin()
    {
        state = State.JOINING;
        joinSentAt = clock.getAsLong();
        send(radixId, joinRequest());
    }

    private Envelope.Builder joinRequest()
    {
        final JoinRequest.Builder request = JoinRequest.newBuilder()
            .setLeafOnly(leafOnly)
            .setIntent(toWire(intent == null ? Intent.WATCH : intent));
        if (token != null)
        {
            request.setToken(ByteString.copyFrom(token));
        }
        return envelope().setJoinRequest(request);
    }

    private void attachTo(final long target, final boolean foster, final long lostParent)
    {
        pending = target;
        pendingFoster = foster;
        pendingRefused = false;
        pendingSince = clock.getAsLong();
        final long resume = out.relay().nextMissing();
        send(target, envelope().setAttach(Attach.newBuilder()
            .setHasResume(resume >= 0)
            .setResumeFrom(Math.max(0, resume))
            .setFoster(foster)
            .setLostParent(lostParent)
            .setEpoch(lastAssignEpoch)));
    }

    /**
     * A gap that survives a whole tick is not reordering: ask the parent to replay from the first missing packet
     * (a repeated attach, which the parent answers from its ring).
     */
    private void requestGapRepair()
    {
        if (parent == NONE || pending != NONE || !out.relay().hasGap())
        {
            gapSeenAt = -1;
            return;
        }
        final long missing = out.relay().nextMissing();
        if (missing != gapSeenAt)
        {
            gapSeenAt = missing;
            return;
        }
        repairRequests++;
        gapSeenAt = -1;
        send(parent, envelope().setAttach(Attach.newBuilder()
            .setHasResume(true)
            .setResumeFrom(missing)
            .setHasResumeTo(true)
            .setResumeTo(out.relay().gapEnd())
            .setEpoch(lastAssignEpoch)));
    }

    /**
     * A child resumes from a packet older than anything this member holds (it joined later than the child's gap):
     * ask the parent to replay from there; what arrives is forwarded down as usual.
     */
    private void askUpstream(final long resumeFrom, final long now)
    {
        final long next = out.relay().nextMissing();
        if (radix || parent == NONE || pending != NONE || next < 0 || resumeFrom >= next || out.relay().has(resumeFrom))
        {
            return;
        }
        if (resumeFrom == upstreamAskedFor && now - upstreamAskedAt < config.heartbeatIntervalNanos())
        {
            return;
        }
        upstreamAskedFor = resumeFrom;
        upstreamAskedAt = now;
        repairRequests++;
        send(parent, envelope().setAttach(Attach.newBuilder()
            .setHasResume(true)
            .setResumeFrom(resumeFrom)
            .setEpoch(lastAssignEpoch)));
    }

    /**
     * Depth is advisory (for observability and the children's view); a change is pushed down at once so a moved
     * subtree learns its new depth in one hop per level instead of one heartbeat period per level.
     */
    private void setDepth(final int newDepth)
    {
        if (newDepth == depth)
        {
            return;
        }
        depth = newDepth;
        sendDownHeartbeats();
    }

    private void sendDownHeartbeats()
    {
        if (children.isEmpty())
        {
            return;
        }
        final Envelope down = envelope().setHeartbeat(Heartbeat.newBuilder()
            .setUpward(false).setParent(radix ? NONE : parent).setDepth(depth).setLagMicros(lagMicros())).build();
        for (final long child : children.keySet())
        {
            sendBuilt(child, down);
        }
    }

    private void retryAttach(final long now)
    {
        if (pendingFoster)
        {
            // The backup cannot take us: wait for the radix's assignment.
            pending = NONE;
            orphanSince = now;
            return;
        }
        attachRetries++;
        if (attachRetries % ATTACH_RETRIES_BEFORE_REPORT == 0)
        {
            // The target does not answer: report it, and confirm our own place with the radix (which re-sends
            // the assignment, or places us afresh if it no longer holds us).
            reportLost(pending);
            send(radixId, joinRequest());
        }
        attachTo(pending, false, NONE);
    }

    private void parentLost(final long now)
    {
        final long lost = parent;
        if (lost == radixId)
        {
            // Ending the stream is irreversible: first ask the radix directly and give it one more window.
            if (radixSuspectSince == Long.MIN_VALUE)
            {
                radixSuspectSince = now;
                lastHeardParent = now;
                send(radixId, joinRequest());
                return;
            }
            end("radix lost");
            return;
        }
        reportLost(lost);
        parent = NONE;
        orphanSince = now;
        state = State.ATTACHING;
        if (backup != NONE && backup != lost && pending == NONE)
        {
            attachTo(backup, true, lost);
        }
        out.stateChanged(this);
    }

    /**
     * A silent child is reported, not dropped: it keeps receiving until the radix, having probed it, confirms the
     * loss (a {@code MemberLost} back to this parent). A falsely suspected child thus never sees a gap.
     */
    private void checkChildren(final long now, final long timeout)
    {
        List<Long> lost = null;
        for (final Map.Entry<Long, Child> entry : children.entrySet())
        {
            final Child child = entry.getValue();
            if (now - child.lastHeard > silenceThreshold(timeout, child.maxGap, child.lag)
                && (child.reportedAt == Long.MIN_VALUE || now - child.reportedAt > timeout))
            {
                child.reportedAt = now;
                if (lost == null)
                {
                    lost = new ArrayList<>();
                }
                lost.add(entry.getKey());
            }
        }
        if (lost != null)
        {
            for (final long child : lost)
            {
                reportLost(child);
            }
        }
        if (lostChildren.size() > 64)
        {
            lostChildren.clear();
        }
    }

    private void expireExpectations(final long now, final long timeout)
    {
        if (expected.isEmpty())
        {
            return;
        }
        final Iterator<Map.Entry<Long, Long>> it = expected.entrySet().iterator();
        List<Long> lost = null;
        while (it.hasNext())
        {
            final Map.Entry<Long, Long> entry = it.next();
            // A member that has not attached within a timeout is reported: the radix's probe either finds it dead
            // (and removes it) or alive (and re-sends its assignment, a retry).
            if (now - entry.getValue() > timeout && !children.containsKey(entry.getKey()))
            {
                it.remove();
                if (lost == null)
                {
                    lost = new ArrayList<>();
                }
                lost.add(entry.getKey());
            }
        }
        if (lost != null)
        {
            for (final long member : lost)
            {
                reportLost(member);
            }
        }
    }

    private boolean isGrandchild(final long member, final long lostParent)
    {
        final Child child = children.get(lostParent);
        final long[] grandchildren = child != null ? child.grandchildren : lostChildren.get(lostParent);
        if (grandchildren == null)
        {
            return false;
        }
        for (final long g : grandchildren)
        {
            if (g == member)
            {
                return true;
            }
        }
        return false;
    }

    private void reportLost(final long member)
    {
        final Child child = children.get(member);
        final long lag = child != null ? child.lag : member == parent ? parentLag : 0;
        if (radix)
        {
            onMemberLost(id, member, lag);
            return;
        }
        send(radixId, envelope().setMemberLost(MemberLost.newBuilder()
            .setMember(member).setLagMicros((int)Math.min(Integer.MAX_VALUE, lag / 1_000L))));
    }

    /**
     * How long a neighbour may stay silent before it is reported: the timeout, stretched by the neighbour's largest
     * recent gap (three of them), its advertised lag (twice) and this member's own lag, all together capped at one
     * more timeout. A report is only a suspicion (the radix probes before it removes), so it may come early; what
     * must not happen is that a dead neighbour's last figures, which never decay, hide its crash for seconds. With
     * the probe window (at most two base windows for a lone suspect) a crash is thus removed within
     * 2 x timeout + 2 x probe window + two ticks of granularity.
     */
    private long silenceThreshold(final long timeout, final long maxGap, final long neighbourLag)
    {
        return timeout + Math.min(Math.max(3 * maxGap - timeout, 0) + 2 * neighbourLag + ownLag, timeout);
    }

    private int lagMicros()
    {
        return (int)Math.min(Integer.MAX_VALUE, ownLag / 1_000L);
    }

    private void removeChild(final long child)
    {
        if (children.remove(child) != null)
        {
            out.detachChild(child);
            out.stateChanged(this);
        }
        if (leaving && children.isEmpty())
        {
            finishLeave();
        }
    }

    private void finishLeave()
    {
        leaving = false;
        if (parent != NONE)
        {
            send(parent, envelope().setDetach(Detach.getDefaultInstance()));
        }
        if (pending != NONE)
        {
            send(pending, envelope().setDetach(Detach.getDefaultInstance()));
        }
        for (final long child : children.keySet())
        {
            out.detachChild(child);
        }
        children.clear();
        parent = NONE;
        pending = NONE;
        state = State.LEFT;
        out.stateChanged(this);
    }

    private void end(final String reason)
    {
        if (state == State.ENDED)
        {
            return;
        }
        endReason = reason;
        final Envelope ended = envelope().setStreamEnded(StreamEnded.newBuilder().setReason(reason)).build();
        for (final long child : children.keySet())
        {
            sendBuilt(child, ended);
            out.detachChild(child);
        }
        children.clear();
        parent = NONE;
        pending = NONE;
        state = State.ENDED;
        out.stateChanged(this);
    }

    private void applyMoves()
    {
        if (moves.isEmpty())
        {
            return;
        }
        final LinkedHashMap<Long, Long> finalParents = new LinkedHashMap<>();
        for (final Topology.Move move : moves)
        {
            finalParents.put(move.member(), move.parent());
        }
        moves.clear();
        final long now = clock.getAsLong();
        for (final Map.Entry<Long, Long> move : finalParents.entrySet())
        {
            final long member = move.getKey();
            final long newParent = move.getValue();
            if (newParent == NONE && !topology.contains(member))
            {
                send(member, envelope().setJoinRefused(JoinRefused.newBuilder()
                    .setReason(RefusalReason.NO_CAPACITY.ordinal()).setDetail(describe(RefusalReason.NO_CAPACITY))));
                continue;
            }
            if (!topology.contains(member) || topology.parentOf(member) != newParent)
            {
                continue;
            }
            epoch++;
            if (newParent == id)
            {
                expected.put(member, now);
            }
            else
            {
                send(newParent, envelope().setAdopt(Adopt.newBuilder().setChild(member).setEpoch(epoch)));
            }
            send(member, envelope().setAssign(Assign.newBuilder()
                .setParent(newParent).setDepth(topology.depthOf(member)).setEpoch(epoch)));
        }
    }

    private Envelope.Builder envelope()
    {
        return Envelope.newBuilder().setStreamId(streamId).setFrom(id);
    }

    private void send(final long to, final Envelope.Builder builder)
    {
        sendBuilt(to, builder.build());
    }

    private void sendBuilt(final long to, final Envelope envelope)
    {
        controlOut++;
        out.send(to, envelope);
    }

    private void requireRadix()
    {
        if (!radix)
        {
            throw new IllegalStateException("only the radix can do this");
        }
    }

    private static WireIntent toWire(final Intent intent)
    {
        switch (intent)
        {
            case RECORD:
                return WireIntent.WIRE_INTENT_RECORD;
            case IGNORE:
                return WireIntent.WIRE_INTENT_IGNORE;
            default:
                return WireIntent.WIRE_INTENT_WATCH;
        }
    }

    private static String describe(final RefusalReason reason)
    {
        switch (reason)
        {
            case NO_TOKEN:
                return "join refused: no token";
            case MALFORMED_TOKEN:
                return "join refused: malformed token";
            case BAD_SIGNATURE:
                return "join refused: token signature does not verify";
            case WRONG_STREAM:
                return "join refused: token is for another stream";
            case WRONG_MEMBER:
                return "join refused: token was issued to another member";
            case EXPIRED:
                return "join refused: token expired";
            case NOT_AUTHORIZED:
                return "join refused: not on the stream's access list";
            case NOT_A_VIEWER:
                return "join refused: stream does not relay through non-viewers";
            case NO_CAPACITY:
                return "join refused: tree is full";
            default:
                return "join refused: stream ended";
        }
    }

    // ------------------------------------------------------------------------------------------------ queries

    long id()
    {
        return id;
    }

    boolean isRadix()
    {
        return radix;
    }

    State state()
    {
        return state;
    }

    Role role()
    {
        return radix ? Role.RADIX : Role.ofMember(children.size());
    }

    long parent()
    {
        return parent;
    }

    long pendingParent()
    {
        return pending;
    }

    long backup()
    {
        return backup;
    }

    int depth()
    {
        return depth;
    }

    Set<Long> children()
    {
        return children.keySet();
    }

    TreeConfig config()
    {
        return config;
    }

    Topology topology()
    {
        return topology;
    }

    Intent intent()
    {
        return intent;
    }

    RefusalReason refusal()
    {
        return refusal;
    }

    String endReason()
    {
        return endReason;
    }

    long streamId()
    {
        return streamId;
    }

    long controlIn()
    {
        return controlIn;
    }

    long controlOut()
    {
        return controlOut;
    }

    long parentChanges()
    {
        return parentChanges;
    }

    long repairs()
    {
        return repairs;
    }

    long repairRequests()
    {
        return repairRequests;
    }


    /**
     * What this member knows of another, for test failure messages: as its child (silence, largest gap, lag, last
     * report) and, at the radix, as a suspect.
     */
    String diagnose(final long member)
    {
        final long now = clock.getAsLong();
        final StringBuilder sb = new StringBuilder().append(id).append(" on ").append(member).append(':');
        if (member == id)
        {
            sb.append(' ').append(state).append(" parent ").append(parent).append(" pending ").append(pending)
                .append(pending == NONE ? "" : " for " + (now - pendingSince) / 1_000_000 + " ms")
                .append(pendingFoster ? " (foster)" : "").append(pendingRefused ? " (refused)" : "")
                .append(", attach retries ").append(attachRetries).append(", refusals ").append(attachRefusals)
                .append(", last assign epoch ").append(lastAssignEpoch).append(fostered ? ", fostered" : "");
        }
        final Child child = children.get(member);
        if (child != null)
        {
            sb.append(" child silent ").append((now - child.lastHeard) / 1_000_000).append(" ms, gap ")
                .append(child.maxGap / 1_000_000).append(" ms, lag ").append(child.lag / 1_000_000).append(" ms,")
                .append(child.reportedAt == Long.MIN_VALUE ? " not reported" :
                    " reported " + (now - child.reportedAt) / 1_000_000 + " ms ago");
        }
        if (expected.containsKey(member))
        {
            sb.append(" expected since ").append((now - expected.get(member)) / 1_000_000).append(" ms");
        }
        final Suspect suspect = suspects.get(member);
        if (suspect != null)
        {
            sb.append(" suspected ").append((now - suspect.probedAt) / 1_000_000).append(" ms ago, lag ")
                .append(suspect.lag / 1_000_000).append(" ms, reporters ").append(suspect.reporterCount);
        }
        sb.append(" own lag ").append(ownLag / 1_000_000).append(" ms, probe answers ")
            .append(probeAnswerMax / 1_000_000).append(" ms, suspects ").append(suspects.size());
        return sb.toString();
    }

    /**
     * Radix: when the most recent removal of a member was first reported and when its probe expired (the member
     * was removed), in clock nanos; null if the radix has not removed it among its last 64 removals. Tests split a
     * repair time into detection, probe and re-placement with it.
     */
    long[] removalTimes(final long member)
    {
        for (int i = 1; i <= Math.min(removals, REMOVAL_LOG); i++)
        {
            final int slot = (removals - i) & (REMOVAL_LOG - 1);
            if (removedMembers[slot] == member)
            {
                return new long[] {removedReportedAt[slot], removedAt[slot]};
            }
        }
        return null;
    }

    /** Recent maximum lag of this member's own event loop, as its driver reported it. */
    long loopLag()
    {
        return ownLag;
    }

    /** Radix: probes sent to members reported lost. */
    long probesSent()
    {
        return probesSent;
    }

    /** Radix: reported members that answered the probe (false suspicions that cost no removal). */
    long falseSuspicions()
    {
        return falseSuspicions;
    }

    SplittableRandom random()
    {
        return random;
    }

    /**
     * Adaptive silence threshold: a neighbour is declared lost after max(timeout, 3 x the largest recent gap between
     * its signs of life), so an overloaded but live neighbour (or an overloaded observer) is not evicted on jitter.
     * The largest gap decays by 1/8 per sign of life (a burst of gaps, at start-up say, is forgotten within a second
     * of heartbeats; the radix's probe covers what the shorter memory misses).
     */
    private void heardParent(final long now)
    {
        if (parent == radixId)
        {
            radixSuspectSince = Long.MIN_VALUE;
        }
        final long gap = now - lastHeardParent;
        parentMaxGap = Math.max(gap, parentMaxGap - (parentMaxGap >> 3));
        lastHeardParent = now;
    }

    /** A member reported lost, probed by the radix, with the neighbours that reported it. */
    private static final class Suspect
    {
        private final long nonce;
        private final long reportedAt;
        private long probedAt;
        private long lag;
        private long[] reporters = new long[2];
        private int reporterCount;

        Suspect(final long probedAt, final long nonce, final long lag)
        {
            this.probedAt = probedAt;
            this.reportedAt = probedAt;
            this.nonce = nonce;
            this.lag = lag;
        }

        void addReporter(final long reporter)
        {
            for (int i = 0; i < reporterCount; i++)
            {
                if (reporters[i] == reporter)
                {
                    return;
                }
            }
            if (reporterCount == reporters.length)
            {
                reporters = java.util.Arrays.copyOf(reporters, reporterCount * 2);
            }
            reporters[reporterCount++] = reporter;
        }
    }

    private static final class Child
    {
        private long lastHeard;
        private long maxGap;
        private long[] grandchildren = NO_CHILDREN;
        private long reportedAt = Long.MIN_VALUE;
        private long lag;

        void heard(final long now)
        {
            final long gap = now - lastHeard;
            maxGap = Math.max(gap, maxGap - (maxGap >> 3));
            lastHeard = now;
            reportedAt = Long.MIN_VALUE;
        }

        Child(final long lastHeard)
        {
            this.lastHeard = lastHeard;
        }
    }
}
