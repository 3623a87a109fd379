package dev.c2cast.streamsmart.tree.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.c2cast.streamsmart.tree.CloneSecurity;
import dev.c2cast.streamsmart.tree.Directory;
import dev.c2cast.streamsmart.tree.SecurityStats;
import dev.c2cast.streamsmart.tree.Topology;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * DTLS 1.2 under the overlay on one UDP channel: plaintext {@link DatagramPacket}s written by the clone leave as
 * encrypted records, received records reach the clone decrypted, with the peer's address as sender, so the
 * overlay above runs unchanged. One association ({@link SSLEngine}) per neighbour address, opened by the first
 * datagram either side sends; every association authenticates both ends (the server side demands a client
 * certificate) and then checks that the peer's certificate names the member living at the peer's address.
 * <p>
 * Roles: the side that sends first is the DTLS client. When two neighbours open at once, each receives the other's
 * ClientHello while its own is in flight; the side with the lower address keeps the client role and ignores the
 * ClientHello, the other drops its client engine and answers as server, keeping the datagrams it had queued.
 * A ClientHello on an established association is a restarted peer, and a ClientHello with record sequence number
 * 0 on a server association that has already read one is a new client engine (the peer abandoned the earlier
 * handshake): in both cases the association is replaced.
 * <p>
 * Handshakes are driven here, on the channel's event loop: delegated tasks run inline, flights are retransmitted
 * by the engine when {@code wrap} is called while it waits for the peer (RFC 6347, section 4.2.4), on a timer
 * that starts at {@link CloneSecurity#retransmitNanos()} and doubles up to 2 s; a handshake is abandoned after
 * {@link CloneSecurity#handshakeTimeoutNanos()} (counted from the first attempt). After two retransmissions without
 * an answer the handshake is restarted from a new ClientHello: the JDK engine that finishes a handshake sends its
 * last flight twice and then ignores retransmissions, so if both copies are lost only a new handshake helps.
 * Datagrams written while a handshake runs are queued (bounded).
 * A peer whose handshake failed is ignored for {@link CloneSecurity#failureHoldOffNanos()}.
 * <p>
 * Every received application record is decrypted straight into a pooled buffer sized to the record, which the
 * overlay may keep in its repair ring; every sent datagram is encrypted into a pooled buffer per recipient (each
 * neighbour has its own keys, so the plain mode's one-buffer fan-out cannot survive encryption).
 */
public final class DtlsHandler extends ChannelDuplexHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(DtlsHandler.class);
    private static final long MAX_RETRANSMIT_NANOS = 2_000_000_000L;
    private static final int MAX_STEPS = 64;
    private static final int MAX_PENDING_HANDSHAKES = 4096;
    private static final int RESTART_AFTER_RETRANSMISSIONS = 2;

    private final CloneSecurity security;
    private final Directory directory;
    private final LongSupplier clock;
    private final Map<InetSocketAddress, Association> associations = new HashMap<>();
    private final Map<InetSocketAddress, Long> holdOff = new HashMap<>();
    private final ByteBuffer empty = ByteBuffer.allocate(0);
    private ByteBuffer scratch = ByteBuffer.allocateDirect(1 << 15);
    private ChannelHandlerContext ctx;
    private InetSocketAddress local;
    private int established;
    private long handshakesCompleted;
    private long handshakeFailures;
    private String lastFailure;
    private long wireDatagramsIn;
    private long wireBytesIn;
    private long applicationRecordsIn;
    private long applicationBytesIn;
    private long applicationRecordsOut;
    private long wireBytesOut;
    private long datagramsDropped;
    private long restarts;

    /**
     * A handler for one channel.
     *
     * @param security  the DTLS configuration.
     * @param directory where members live, for the identity check.
     * @param clock     nanosecond clock for timeouts and hold-offs.
     */
    public DtlsHandler(final CloneSecurity security, final Directory directory, final LongSupplier clock)
    {
        this.security = security;
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * The counters; call on the channel's event loop.
     *
     * @return a snapshot.
     */
    public SecurityStats stats()
    {
        return new SecurityStats(true, established, handshakesCompleted, handshakeFailures, lastFailure,
            wireDatagramsIn, wireBytesIn, applicationRecordsIn, applicationBytesIn, applicationRecordsOut,
            wireBytesOut, datagramsDropped, restarts);
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        closeAll();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        closeAll();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof DatagramPacket))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        final DatagramPacket packet = (DatagramPacket)msg;
        try
        {
            onDatagram(packet.content(), packet.sender());
        }
        finally
        {
            packet.release();
        }
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
    {
        if (!(msg instanceof DatagramPacket))
        {
            ctx.write(msg, promise);
            return;
        }
        final DatagramPacket packet = (DatagramPacket)msg;
        final InetSocketAddress peer = packet.recipient();
        final ByteBuf content = packet.content();
        Association association = associations.get(peer);
        if (association == null)
        {
            if (heldOff(peer) || associations.size() >= MAX_PENDING_HANDSHAKES)
            {
                drop(content, promise);
                return;
            }
            association = open(peer, true);
            if (association == null)
            {
                drop(content, promise);
                return;
            }
        }
        if (association.established)
        {
            encryptAndWrite(association, content, promise);
        }
        else if (association.queue.size() < security.queueLimit())
        {
            association.queue.addLast(content);
            complete(promise);
        }
        else
        {
            drop(content, promise);
        }
    }

    private void onDatagram(final ByteBuf content, final InetSocketAddress peer)
    {
        wireDatagramsIn++;
        wireBytesIn += content.readableBytes();
        final int records = DtlsRecord.applicationRecords(content);
        if (records < 0)
        {
            datagramsDropped++;
            return;
        }
        applicationRecordsIn += records;
        Association association = associations.get(peer);
        if (DtlsRecord.isClientHello(content))
        {
            if (heldOff(peer))
            {
                datagramsDropped++;
                return;
            }
            if (association == null)
            {
                if (associations.size() >= MAX_PENDING_HANDSHAKES)
                {
                    datagramsDropped++;
                    return;
                }
                association = open(peer, false);
            }
            else if (association.established
                || (!association.client && association.progress > 0 && DtlsRecord.sequence(content) == 0))
            {
                // A peer that restarted, or that gave up on a handshake we are still in: a new client engine's
                // first record has sequence number 0, a retransmitted ClientHello a higher one.
                discard(association, true);
                association = open(peer, false);
            }
            else if (association.client)
            {
                if (compare(localAddress(), peer) < 0)
                {
                    // Both opened at once: the lower address stays the client, the peer will answer our hello.
                    return;
                }
                final ArrayDeque<ByteBuf> queued = new ArrayDeque<>(association.queue);
                association.queue.clear();
                discard(association, true);
                association = open(peer, false);
                if (association != null)
                {
                    association.queue.addAll(queued);
                }
                else
                {
                    queued.forEach(ByteBuf::release);
                }
            }
            if (association == null)
            {
                return;
            }
        }
        else if (association == null)
        {
            datagramsDropped++;
            return;
        }
        final ByteBuffer src = content.nioBuffer(content.readerIndex(), content.readableBytes());
        receive(association, src);
    }

    private void receive(final Association association, final ByteBuffer src)
    {
        for (int step = 0; step < MAX_STEPS && src.hasRemaining() && !association.closed; step++)
        {
            ByteBuf plain = null;
            final ByteBuffer dst;
            if (association.established)
            {
                plain = ctx.alloc().directBuffer(Math.max(src.remaining(), 64));
                dst = plain.internalNioBuffer(plain.writerIndex(), plain.writableBytes());
            }
            else
            {
                scratch.clear();
                dst = scratch;
            }
            // Only handshake records count as progress: application data from a peer that finished while our side
            // still waits for its last flight must not keep the retransmission timer from firing.
            final boolean handshakeRecord = (src.get(src.position()) & 0xFF) != DtlsRecord.APPLICATION_DATA;
            final SSLEngineResult result;
            try
            {
                result = association.engine.unwrap(src, dst);
            }
            catch (final SSLException ex)
            {
                ReferenceCountUtil.release(plain);
                fail(association, ex.getMessage());
                return;
            }
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW)
            {
                ReferenceCountUtil.release(plain);
                if (!unwrapIntoScratch(association, src))
                {
                    return;
                }
                continue;
            }
            if (handshakeRecord)
            {
                association.progress++;
            }
            if (result.getHandshakeStatus() == HandshakeStatus.FINISHED)
            {
                // Verify the peer before handing over any application data that came with its last flight.
                onEstablished(association);
            }
            if (result.bytesProduced() > 0)
            {
                if (plain != null)
                {
                    plain.writerIndex(plain.writerIndex() + result.bytesProduced());
                    deliver(association, plain);
                }
                else
                {
                    deliverScratch(association);
                }
            }
            else
            {
                ReferenceCountUtil.release(plain);
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED)
            {
                discard(association, true);
                return;
            }
            drive(association, result.getHandshakeStatus());
            if (result.bytesConsumed() == 0)
            {
                return;
            }
        }
    }

    private boolean unwrapIntoScratch(final Association association, final ByteBuffer src)
    {
        final int needed = association.engine.getSession().getApplicationBufferSize();
        if (scratch.capacity() < needed)
        {
            scratch = ByteBuffer.allocateDirect(needed);
        }
        scratch.clear();
        try
        {
            final SSLEngineResult result = association.engine.unwrap(src, scratch);
            if (result.getStatus() != SSLEngineResult.Status.OK)
            {
                datagramsDropped++;
                return false;
            }
            if (result.bytesProduced() > 0)
            {
                deliverScratch(association);
            }
            drive(association, result.getHandshakeStatus());
            return result.bytesConsumed() > 0;
        }
        catch (final SSLException ex)
        {
            fail(association, ex.getMessage());
            return false;
        }
    }

    private void deliverScratch(final Association association)
    {
        scratch.flip();
        final ByteBuf plain = ctx.alloc().directBuffer(scratch.remaining());
        plain.writeBytes(scratch);
        deliver(association, plain);
    }

    private void deliver(final Association association, final ByteBuf plain)
    {
        if (!association.established)
        {
            // Application data before our side finished: the engine accepted it, but the peer is not verified yet.
            plain.release();
            datagramsDropped++;
            return;
        }
        applicationBytesIn += plain.readableBytes();
        ctx.fireChannelRead(new DatagramPacket(plain, localAddress(), association.peer));
    }

    private void drive(final Association association, final HandshakeStatus initial)
    {
        HandshakeStatus status = initial;
        for (int step = 0; step < MAX_STEPS && !association.closed; step++)
        {
            switch (status)
            {
                case NEED_TASK:
                    Runnable task;
                    while ((task = association.engine.getDelegatedTask()) != null)
                    {
                        task.run();
                    }
                    status = association.engine.getHandshakeStatus();
                    break;
                case NEED_WRAP:
                    status = wrapHandshake(association);
                    break;
                case NEED_UNWRAP_AGAIN:
                    status = unwrapAgain(association);
                    break;
                case FINISHED:
                    onEstablished(association);
                    status = association.engine.getHandshakeStatus();
                    break;
                default:
                    return;
            }
            if (status == null)
            {
                return;
            }
        }
    }

    private HandshakeStatus wrapHandshake(final Association association)
    {
        final ByteBuf out = ctx.alloc().directBuffer(packetBufferSize(association));
        final SSLEngineResult result;
        try
        {
            result = association.engine.wrap(empty, out.internalNioBuffer(0, out.writableBytes()));
        }
        catch (final SSLException ex)
        {
            out.release();
            fail(association, ex.getMessage());
            return null;
        }
        if (result.bytesProduced() > 0)
        {
            out.writerIndex(result.bytesProduced());
            wireBytesOut += result.bytesProduced();
            ctx.writeAndFlush(new DatagramPacket(out, association.peer), ctx.voidPromise());
        }
        else
        {
            out.release();
        }
        if (result.getStatus() == SSLEngineResult.Status.CLOSED)
        {
            discard(association, true);
            return null;
        }
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW)
        {
            fail(association, "handshake record larger than the packet buffer");
            return null;
        }
        return result.getHandshakeStatus();
    }

    private HandshakeStatus unwrapAgain(final Association association)
    {
        scratch.clear();
        try
        {
            final SSLEngineResult result = association.engine.unwrap(empty, scratch);
            if (result.bytesProduced() > 0)
            {
                deliverScratch(association);
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED)
            {
                discard(association, true);
                return null;
            }
            return result.getHandshakeStatus();
        }
        catch (final SSLException ex)
        {
            fail(association, ex.getMessage());
            return null;
        }
    }

    private void onEstablished(final Association association)
    {
        if (association.established)
        {
            return;
        }
        if (security.identity() != null)
        {
            final long member;
            try
            {
                final Certificate[] chain = association.engine.getSession().getPeerCertificates();
                member = chain.length > 0 && chain[0] instanceof X509Certificate
                    ? security.identity().memberOf((X509Certificate)chain[0]) : Topology.NONE;
            }
            catch (final SSLException ex)
            {
                fail(association, "peer presented no certificate: " + ex.getMessage());
                return;
            }
            final InetSocketAddress home = member == Topology.NONE ? null : directory.addressOf(member);
            if (!association.peer.equals(home))
            {
                fail(association, member == Topology.NONE ? "peer certificate names no member"
                    : "peer certificate names member " + member + ", who does not live at this address");
                return;
            }
        }
        // The JDK engine halves its maximum packet size when a flight has been retransmitted a third time (a path MTU
        // guess; 1472 became 736 in SecureTreeIT) and keeps the smaller size after the handshake: a media datagram
        // then no longer fits one record, and every one sent to this neighbour would be dropped for the life of the
        // association. Restore the configured size.
        final SSLParameters parameters = association.engine.getSSLParameters();
        parameters.setMaximumPacketSize(security.maximumPacketSize());
        association.engine.setSSLParameters(parameters);
        association.established = true;
        established++;
        handshakesCompleted++;
        if (association.timer != null)
        {
            association.timer.cancel(false);
            association.timer = null;
        }
        ByteBuf queued;
        while (!association.closed && (queued = association.queue.pollFirst()) != null)
        {
            encryptAndWrite(association, queued, ctx.voidPromise());
        }
        ctx.flush();
    }

    private void encryptAndWrite(final Association association, final ByteBuf plain, final ChannelPromise promise)
    {
        try
        {
            final int length = plain.readableBytes();
            final ByteBuffer src = plain.nioBufferCount() == 1
                ? plain.internalNioBuffer(plain.readerIndex(), length)
                : plain.nioBuffer(plain.readerIndex(), length);
            // The engine may first emit handshake records it owes the peer (the JDK sends a finished handshake's
            // last flight again, or answers a retransmitted flight) and consume nothing: send those, then retry.
            for (int attempt = 0; attempt < 4 && !association.closed; attempt++)
            {
                final ByteBuf out = ctx.alloc().directBuffer(packetBufferSize(association));
                final SSLEngineResult result;
                try
                {
                    result = association.engine.wrap(src, out.internalNioBuffer(0, out.writableBytes()));
                }
                catch (final SSLException ex)
                {
                    out.release();
                    complete(promise);
                    fail(association, ex.getMessage());
                    return;
                }
                final boolean sent = result.getStatus() == SSLEngineResult.Status.OK
                    && result.bytesConsumed() == length;
                if (result.bytesProduced() > 0
                    && (sent || (result.getStatus() == SSLEngineResult.Status.OK && result.bytesConsumed() == 0)))
                {
                    out.writerIndex(result.bytesProduced());
                    wireBytesOut += result.bytesProduced();
                    if (sent)
                    {
                        applicationRecordsOut++;
                        ctx.write(new DatagramPacket(out, association.peer), promise);
                    }
                    else
                    {
                        ctx.write(new DatagramPacket(out, association.peer), ctx.voidPromise());
                    }
                }
                else
                {
                    out.release();
                }
                if (result.getStatus() == SSLEngineResult.Status.CLOSED)
                {
                    if (!sent)
                    {
                        datagramsDropped++;
                        complete(promise);
                    }
                    discard(association, true);
                    return;
                }
                final HandshakeStatus status = result.getHandshakeStatus();
                if (status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.NEED_UNWRAP)
                {
                    drive(association, status);
                }
                if (sent)
                {
                    return;
                }
                if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesConsumed() != 0)
                {
                    break;
                }
            }
            datagramsDropped++;
            complete(promise);
        }
        finally
        {
            plain.release();
        }
    }

    private Association open(final InetSocketAddress peer, final boolean client)
    {
        return open(peer, client, clock.getAsLong());
    }

    private Association open(final InetSocketAddress peer, final boolean client, final long startedAt)
    {
        final SSLEngine engine = security.context().createSSLEngine(peer.getHostString(), peer.getPort());
        engine.setUseClientMode(client);
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setMaximumPacketSize(security.maximumPacketSize());
        if (!client)
        {
            parameters.setNeedClientAuth(true);
        }
        engine.setSSLParameters(parameters);
        final Association association = new Association(peer, engine, client, startedAt,
            security.retransmitNanos());
        associations.put(peer, association);
        try
        {
            engine.beginHandshake();
        }
        catch (final SSLException ex)
        {
            fail(association, ex.getMessage());
            return null;
        }
        arm(association);
        if (client)
        {
            drive(association, engine.getHandshakeStatus());
        }
        return association.closed ? null : association;
    }

    private void arm(final Association association)
    {
        association.timer = ctx.executor().schedule(() -> onTimer(association), association.backoffNanos,
            TimeUnit.NANOSECONDS);
    }

    private void onTimer(final Association association)
    {
        association.timer = null;
        if (association.closed || association.established)
        {
            return;
        }
        if (clock.getAsLong() - association.startedAt > security.handshakeTimeoutNanos())
        {
            fail(association, "handshake timed out");
            return;
        }
        if (association.progress == association.progressAtTimer
            && association.engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP)
        {
            if (association.retransmissions >= RESTART_AFTER_RETRANSMISSIONS)
            {
                // The JDK engine that finishes a handshake sends its last flight twice and then ignores our
                // retransmissions: if both copies were lost, the peer is established and we never will be. A fresh
                // handshake (its ClientHello has record sequence 0, which replaces the peer's association) ends it.
                restart(association);
                return;
            }
            // No flight from the peer since the last firing: ours (or its answer) was lost. A wrap while the
            // engine waits for the peer retransmits the last flight.
            association.retransmissions++;
            drive(association, wrapHandshake(association));
            association.backoffNanos = Math.min(MAX_RETRANSMIT_NANOS, association.backoffNanos * 2);
        }
        association.progressAtTimer = association.progress;
        if (!association.closed && !association.established)
        {
            arm(association);
        }
    }

    private void restart(final Association association)
    {
        restarts++;
        final ArrayDeque<ByteBuf> queued = new ArrayDeque<>(association.queue);
        association.queue.clear();
        discard(association, true);
        final Association fresh = open(association.peer, true, association.startedAt);
        if (fresh == null)
        {
            queued.forEach(ByteBuf::release);
            datagramsDropped += queued.size();
            return;
        }
        fresh.queue.addAll(queued);
    }

    private void fail(final Association association, final String reason)
    {
        if (association.closed)
        {
            return;
        }
        handshakeFailures++;
        lastFailure = association.peer + ": " + reason;
        LOG.debug("DTLS with {} failed: {}", association.peer, reason);
        if (association.engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING)
        {
            // The handshake completed on the engine but the peer failed the identity check: close the association
            // so that the peer, which may believe it established, learns it is not.
            association.engine.closeOutbound();
        }
        // Send the alert the engine has pending, if any, so the peer learns why.
        for (int i = 0; i < 4 && association.engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++)
        {
            final ByteBuf out = ctx.alloc().directBuffer(packetBufferSize(association));
            try
            {
                final SSLEngineResult result = association.engine.wrap(empty,
                    out.internalNioBuffer(0, out.writableBytes()));
                if (result.bytesProduced() == 0)
                {
                    out.release();
                    break;
                }
                out.writerIndex(result.bytesProduced());
                wireBytesOut += result.bytesProduced();
                ctx.writeAndFlush(new DatagramPacket(out, association.peer), ctx.voidPromise());
            }
            catch (final SSLException | RuntimeException ex)
            {
                out.release();
                break;
            }
        }
        discard(association, false);
        holdOff.put(association.peer, clock.getAsLong() + security.failureHoldOffNanos());
    }

    private void discard(final Association association, final boolean closeOutbound)
    {
        if (association.closed)
        {
            return;
        }
        association.closed = true;
        if (association.established)
        {
            established--;
        }
        if (associations.get(association.peer) == association)
        {
            associations.remove(association.peer);
        }
        if (association.timer != null)
        {
            association.timer.cancel(false);
            association.timer = null;
        }
        ByteBuf queued;
        while ((queued = association.queue.pollFirst()) != null)
        {
            queued.release();
            datagramsDropped++;
        }
        if (closeOutbound)
        {
            association.engine.closeOutbound();
        }
    }

    private void closeAll()
    {
        for (final Association association : new ArrayList<>(associations.values()))
        {
            discard(association, true);
        }
        holdOff.clear();
    }

    private boolean heldOff(final InetSocketAddress peer)
    {
        final Long until = holdOff.get(peer);
        if (until == null)
        {
            return false;
        }
        if (clock.getAsLong() - until < 0)
        {
            return true;
        }
        holdOff.remove(peer);
        if (holdOff.size() > MAX_PENDING_HANDSHAKES)
        {
            final long now = clock.getAsLong();
            for (final Iterator<Long> it = holdOff.values().iterator(); it.hasNext(); )
            {
                if (now - it.next() >= 0)
                {
                    it.remove();
                }
            }
        }
        return false;
    }

    private InetSocketAddress localAddress()
    {
        if (local == null && ctx.channel().localAddress() instanceof InetSocketAddress)
        {
            local = (InetSocketAddress)ctx.channel().localAddress();
        }
        return local;
    }

    private int packetBufferSize(final Association association)
    {
        return Math.max(association.engine.getSession().getPacketBufferSize(), security.maximumPacketSize());
    }

    private void drop(final ByteBuf content, final ChannelPromise promise)
    {
        content.release();
        datagramsDropped++;
        complete(promise);
    }

    private static void complete(final ChannelPromise promise)
    {
        if (!promise.isVoid())
        {
            promise.trySuccess();
        }
    }

    /**
     * Orders addresses: IP bytes, then port.
     *
     * @param a one address.
     * @param b another.
     * @return negative, zero or positive.
     */
    static int compare(final InetSocketAddress a, final InetSocketAddress b)
    {
        if (a == null || a.getAddress() == null || b.getAddress() == null)
        {
            return a == null ? -1 : Integer.compare(a.getPort(), b.getPort());
        }
        final byte[] x = a.getAddress().getAddress();
        final byte[] y = b.getAddress().getAddress();
        if (x.length != y.length)
        {
            return Integer.compare(x.length, y.length);
        }
        for (int i = 0; i < x.length; i++)
        {
            final int c = Integer.compare(x[i] & 0xFF, y[i] & 0xFF);
            if (c != 0)
            {
                return c;
            }
        }
        return Integer.compare(a.getPort(), b.getPort());
    }

    /** One neighbour's DTLS association. */
    private static final class Association
    {
        final InetSocketAddress peer;
        final SSLEngine engine;
        final boolean client;
        final long startedAt;
        final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
        long backoffNanos;
        long progress;
        long progressAtTimer;
        int retransmissions;
        boolean established;
        boolean closed;
        ScheduledFuture<?> timer;

        Association(final InetSocketAddress peer, final SSLEngine engine, final boolean client, final long startedAt,
            final long backoffNanos)
        {
            this.peer = peer;
            this.engine = engine;
            this.client = client;
            this.startedAt = startedAt;
            this.backoffNanos = backoffNanos;
        }
    }
}
