package dev.c2cast.microcast.download;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.c2cast.pseudobroadcast.NodeId;
import dev.c2cast.pseudobroadcast.ReliableConfig;
import dev.c2cast.pseudobroadcast.ReliableListener;
import dev.c2cast.pseudobroadcast.ReliableMessenger;
import dev.c2cast.pseudobroadcast.TimerService;
import dev.c2cast.pseudobroadcast.Transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MicroDownload's control plane over the group's pseudo-broadcast transport (microcast.txt V-A, V-C): the protobuf
 * assignments, revocations, reports, joins and leaves of {@link ControlCodec}, carried by pseudobroadcast's
 * {@link ReliableMessenger} (exactly once, in order per peer), so neither side has to wire the messaging itself.
 * <p>
 * One plane per node, on that node's {@link Transport}. Every node may attach its {@link Requester}
 * ({@link #attach}): the plane sends a join to the initiator, delivers the initiator's assignments and revocations
 * to the requester and carries its reports back. The initiator's node also runs the {@link MicroDownload} scheduler
 * ({@link #initiate}) on the transport's clock and timers; its own requester is served without messaging. A device
 * id is the value of the node's {@link NodeId}, so node ids must be in 1..{@link Integer#MAX_VALUE}. Messages
 * claiming another device than their sender are dropped and counted; a window towards a peer that is full queues
 * messages in order until it opens; a peer declared unreachable by the messenger loses the messages in flight, which
 * the scheduler's detection timeout then repairs (a device re-sends its join when the initiator was unreachable).
 * <p>
 * Threading: confined to the transport's thread; {@link #reports()}, {@link #attach}, {@link #detach},
 * {@link #initiate}, {@link #statistics()} and {@link #close()} may be called from any thread and hop onto it
 * through the executor given to {@link #open}.
 */
public final class ReliableControlPlane implements AutoCloseable
{
    private static final Logger LOGGER = LoggerFactory.getLogger(ReliableControlPlane.class);

    private final Transport transport;
    private final TimerService timers;
    private final Executor transportThread;
    private final ReliableMessenger messenger;
    private final int localId;
    private final Map<Long, ArrayDeque<byte[]>> queued = new HashMap<>();
    /** Joins that arrived before {@link #initiate} ran; applied when it does. */
    private final Set<Integer> earlyJoins = new LinkedHashSet<>();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private Requester requester;
    private int initiatorId;
    private MicroDownload scheduler;
    private long stepNanos;
    private long tickTimer;
    private boolean closed;
    private long messagesSent;
    private long messagesReceived;
    private long messagesDropped;

    private ReliableControlPlane(
        final Transport transport, final ReliableConfig config, final SplittableRandom random,
        final Executor transportThread)
    {
        this.transport = transport;
        this.timers = transport.timers();
        this.transportThread = transportThread;
        final long node = transport.localNode().value();
        if (node < 1 || node > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("a device's node id must be in 1.." + Integer.MAX_VALUE + ": " + node);
        }
        this.localId = (int)node;
        this.messenger = new ReliableMessenger(transport, config, random, new Listener());
    }

    /**
     * Opens the plane on a transport; it takes over the transport's reliable-messaging frame types. Call on the
     * transport's thread.
     *
     * @param transport       this node's transport; its node id is the device id.
     * @param config          the reliable messaging parameters.
     * @param random          source of the messenger's session numbers.
     * @param transportThread runs tasks on the transport's thread (the event loop of a {@code UdpTransport}; a
     *                        simulation's scheduler in tests).
     * @return the plane.
     */
    public static ReliableControlPlane open(
        final Transport transport, final ReliableConfig config, final SplittableRandom random,
        final Executor transportThread)
    {
        return new ReliableControlPlane(Objects.requireNonNull(transport, "transport"),
            Objects.requireNonNull(config, "config"), Objects.requireNonNull(random, "random"),
            Objects.requireNonNull(transportThread, "transportThread"));
    }

    /**
     * This node's device id.
     *
     * @return the node id value.
     */
    public int deviceId()
    {
        return localId;
    }

    /**
     * Where this node's requester sends its reports: to the local scheduler or over reliable messaging to the
     * initiator. Thread-safe.
     *
     * @return the report sender to build the {@link Requester} with.
     */
    public ReportSender reports()
    {
        return report -> transportThread.execute(() -> onLocalReport(report));
    }

    /**
     * Takes part in the download with this node's requester (built with {@link #reports()}): joins the initiator's
     * scheduler and serves its assignments.
     *
     * @param requester   the requester, whose device id is this node's.
     * @param initiatorId the initiator's device id (this node's own if it initiates).
     */
    public void attach(final Requester requester, final int initiatorId)
    {
        Objects.requireNonNull(requester, "requester");
        if (requester.deviceId() != localId)
        {
            throw new IllegalArgumentException("requester of device " + requester.deviceId() + " on node " + localId);
        }
        if (initiatorId < 1)
        {
            throw new IllegalArgumentException("initiator id must be positive: " + initiatorId);
        }
        transportThread.execute(() ->
        {
            this.requester = requester;
            this.initiatorId = initiatorId;
            toInitiator(new ControlMessage.Join(localId));
        });
    }

    /**
     * Stops taking part: the requester is stopped (its queued and current leases dropped) and the initiator
     * reassigns this device's segments.
     */
    public void detach()
    {
        transportThread.execute(() ->
        {
            if (requester != null)
            {
                toInitiator(new ControlMessage.Leave(localId));
                requester.stop();
                requester = null;
            }
        });
    }

    /**
     * Makes this node the initiator: runs the scheduler for a file, joining devices as their joins arrive, with
     * stall detection every {@code stepNanos} on the transport's timers.
     *
     * @param config    scheduler parameters.
     * @param fileSize  bytes of the file.
     * @param random    the scheduler's tie-breaking random source.
     * @param stepNanos interval of stall detection (the scheduling step).
     * @return the completion of the download, as {@link #completion()}.
     */
    public CompletableFuture<Void> initiate(
        final MicroDownloadConfig config, final long fileSize, final SplittableRandom random, final long stepNanos)
    {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(random, "random");
        if (stepNanos <= 0)
        {
            throw new IllegalArgumentException("stepNanos must be positive: " + stepNanos);
        }
        transportThread.execute(() ->
        {
            if (scheduler != null)
            {
                completion.completeExceptionally(new IllegalStateException("already initiated"));
                return;
            }
            this.stepNanos = stepNanos;
            scheduler = new MicroDownload(config, fileSize, timers::nanoTime, random, new Sender());
            for (final int joined : earlyJoins)
            {
                scheduler.join(joined);
            }
            earlyJoins.clear();
            tickTimer = timers.schedule(stepNanos, this::tick);
        });
        return completion;
    }

    /**
     * On the initiator: completes when every segment is stored somewhere in the group, or exceptionally with a
     * {@link SourceChangedException} if the source changed or a {@link MicroDownloadException} when closed first.
     *
     * @return the completion.
     */
    public CompletableFuture<Void> completion()
    {
        return completion;
    }

    /**
     * On the initiator: per-device statistics, taken on the transport's thread.
     *
     * @return snapshots in join order (empty on a node that does not initiate).
     */
    public CompletableFuture<List<DeviceStatistics>> statistics()
    {
        return CompletableFuture.supplyAsync(() -> scheduler == null ? List.<DeviceStatistics>of() :
            scheduler.statistics(), transportThread);
    }

    /**
     * The scheduler of the initiator, for callers on the transport's thread.
     *
     * @return the scheduler, or null on a node that does not initiate (yet).
     */
    public MicroDownload scheduler()
    {
        return scheduler;
    }

    /**
     * The reliable messenger carrying the plane, for its counters.
     *
     * @return the messenger.
     */
    public ReliableMessenger messenger()
    {
        return messenger;
    }

    /**
     * Control messages handed to the messenger (or queued for it).
     *
     * @return the count.
     */
    public long messagesSent()
    {
        return messagesSent;
    }

    /**
     * Control messages received from the sender they must come from (a report about no segment of the file is then
     * still dropped).
     *
     * @return the count.
     */
    public long messagesReceived()
    {
        return messagesReceived;
    }

    /**
     * Messages dropped: malformed, about another device than their sender, or for a role this node does not have.
     *
     * @return the count.
     */
    public long messagesDropped()
    {
        return messagesDropped;
    }

    /**
     * Stops the scheduler's timer and the messenger; an unfinished download completes exceptionally.
     */
    @Override
    public void close()
    {
        transportThread.execute(() ->
        {
            if (closed)
            {
                return;
            }
            closed = true;
            if (tickTimer != 0)
            {
                timers.cancel(tickTimer);
                tickTimer = 0;
            }
            messenger.close();
            completion.completeExceptionally(new MicroDownloadException("control plane closed"));
        });
    }

    private void tick()
    {
        tickTimer = 0;
        if (closed || completion.isDone())
        {
            return;
        }
        scheduler.doWork();
        tickTimer = timers.schedule(stepNanos, this::tick);
    }

    private void onLocalReport(final ControlMessage.Report report)
    {
        if (closed)
        {
            return;
        }
        if (initiatorId == localId)
        {
            onReport(report);
        }
        else
        {
            toInitiator(report);
        }
    }

    private void toInitiator(final ControlMessage message)
    {
        if (initiatorId == localId)
        {
            onInitiatorMessage(message);
        }
        else
        {
            send(initiatorId, message);
        }
    }

    private void send(final int deviceId, final ControlMessage message)
    {
        if (closed)
        {
            return;
        }
        messagesSent++;
        final long peer = deviceId;
        final byte[] bytes = ControlCodec.encode(message);
        final ArrayDeque<byte[]> waiting = queued.get(peer);
        if (waiting != null && !waiting.isEmpty())
        {
            waiting.addLast(bytes);
            return;
        }
        if (!messenger.send(new NodeId(peer), Unpooled.wrappedBuffer(bytes)))
        {
            queued.computeIfAbsent(peer, p -> new ArrayDeque<>()).addLast(bytes);
        }
    }

    private void flush(final long peer)
    {
        final ArrayDeque<byte[]> waiting = queued.get(peer);
        while (waiting != null && !waiting.isEmpty() && !closed)
        {
            if (!messenger.send(new NodeId(peer), Unpooled.wrappedBuffer(waiting.peekFirst())))
            {
                return;
            }
            waiting.pollFirst();
        }
    }

    private void onInitiatorMessage(final ControlMessage message)
    {
        if (scheduler == null && !closed && message instanceof ControlMessage.Join)
        {
            // This node may become the initiator a moment after the devices started.
            earlyJoins.add(message.deviceId());
            return;
        }
        if (scheduler == null || completion.isDone())
        {
            messagesDropped++;
            return;
        }
        if (message instanceof ControlMessage.Report report)
        {
            onReport(report);
        }
        else if (message instanceof ControlMessage.Join)
        {
            if (!scheduler.isMember(message.deviceId()))
            {
                scheduler.join(message.deviceId());
            }
        }
        else if (message instanceof ControlMessage.Leave)
        {
            if (scheduler.isMember(message.deviceId()))
            {
                scheduler.leave(message.deviceId());
            }
        }
        else
        {
            messagesDropped++;
        }
    }

    private void onReport(final ControlMessage.Report report)
    {
        if (scheduler != null && report.segmentIndex() >= scheduler.segmentCount())
        {
            // Well-formed but about no segment of this file: never let it throw into the transport's receive path.
            messagesDropped++;
            return;
        }
        if (scheduler != null && DownloadSession.apply(scheduler, report, completion) && tickTimer != 0)
        {
            timers.cancel(tickTimer);
            tickTimer = 0;
        }
    }

    private void onDeviceMessage(final ControlMessage message)
    {
        final Requester local = requester;
        if (local == null || message.deviceId() != localId)
        {
            messagesDropped++;
            return;
        }
        local.onMessage(message);
    }

    /** Routes the scheduler's decisions: to the local requester directly, to the others over the messenger. */
    private final class Sender implements AssignmentSender
    {
        @Override
        public void assign(final int deviceId, final SegmentRange segment, final long lease,
            final boolean endgameDuplicate)
        {
            if (deviceId == localId)
            {
                if (requester != null)
                {
                    requester.assign(segment, lease);
                }
            }
            else
            {
                send(deviceId, new ControlMessage.Assignment(deviceId, segment, lease, endgameDuplicate));
            }
        }

        @Override
        public void revoke(final int deviceId, final int segmentIndex, final long lease)
        {
            if (deviceId == localId)
            {
                if (requester != null)
                {
                    requester.revoke(segmentIndex, lease);
                }
            }
            else
            {
                send(deviceId, new ControlMessage.Revocation(deviceId, segmentIndex, lease));
            }
        }
    }

    private final class Listener implements ReliableListener
    {
        @Override
        public void onMessage(final long source, final ByteBuf buffer, final int offset, final int length)
        {
            final ControlMessage message;
            try
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                message = ControlCodec.decode(bytes, 0, length);
            }
            catch (final MicroDownloadException ex)
            {
                messagesDropped++;
                LOGGER.debug("device {}: malformed control message from {}", localId, source, ex);
                return;
            }
            final boolean fromDevice = message instanceof ControlMessage.Report ||
                message instanceof ControlMessage.Join || message instanceof ControlMessage.Leave;
            if (fromDevice && message.deviceId() != source || !fromDevice && source != initiatorId)
            {
                // A device speaks only for itself; assignments come only from the initiator this node joined.
                messagesDropped++;
                return;
            }
            messagesReceived++;
            if (fromDevice)
            {
                onInitiatorMessage(message);
            }
            else
            {
                onDeviceMessage(message);
            }
        }

        @Override
        public void onPeerUnreachable(final long peer, final int undelivered)
        {
            LOGGER.warn("device {}: device {} unreachable, {} control messages undelivered", localId, peer,
                undelivered);
            if (peer == initiatorId && requester != null)
            {
                // The join may be among the lost messages; joining again is harmless.
                send(initiatorId, new ControlMessage.Join(localId));
            }
            flush(peer);
        }

        @Override
        public void onWindowAvailable(final long peer)
        {
            flush(peer);
        }
    }
}
