package dev.c2cast.streamsmart.tree;

import java.security.GeneralSecurityException;
import java.util.Objects;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Opt-in secure mode for clone-to-clone traffic: DTLS 1.2 (RFC 6347) on the overlay's UDP datagrams, one
 * association per neighbour, with mutual certificate authentication. Every clone presents a certificate issued
 * under the stream owner's CA and accepts a peer only if the peer's chain verifies against the owner's trust store
 * and the certificate names the member ({@link PeerIdentity}) that lives at the peer's address. A clone without
 * such a certificate never completes a handshake, so it sends no control message that is read and receives no
 * media byte; the refusal is counted in {@link SecurityStats#handshakeFailures()}.
 * <p>
 * Give it to a clone with {@link CloneConfig#withSecurity(CloneSecurity)}; without it the clone speaks plain UDP,
 * unchanged. Instances are immutable and may be shared by clones: every association gets its own
 * {@link javax.net.ssl.SSLEngine} from the one {@link SSLContext}.
 * <p>
 * Design and reasons: {@code docs/streamsmart-tree/SECURITY.md}.
 */
public final class CloneSecurity
{
    /** Default largest datagram the DTLS layer emits: an Ethernet MTU less the IPv4 and UDP headers. */
    public static final int DEFAULT_MAXIMUM_PACKET_SIZE = 1472;
    /** Default bound on a handshake, retransmissions included. */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_NANOS = 10_000_000_000L;
    /** Default first retransmission timeout of a handshake flight (doubled on each retransmission, up to 2 s). */
    public static final long DEFAULT_RETRANSMIT_NANOS = 250_000_000L;
    /** Default time a peer whose handshake failed is ignored (its datagrams dropped, none sent to it). */
    public static final long DEFAULT_FAILURE_HOLD_OFF_NANOS = 1_000_000_000L;
    /** Default bound on datagrams held for one neighbour while its handshake runs. */
    public static final int DEFAULT_QUEUE_LIMIT = 2048;

    private final SSLContext context;
    private final PeerIdentity identity;
    private final int maximumPacketSize;
    private final long handshakeTimeoutNanos;
    private final long retransmitNanos;
    private final long failureHoldOffNanos;
    private final int queueLimit;

    private CloneSecurity(
        final SSLContext context, final PeerIdentity identity, final int maximumPacketSize,
        final long handshakeTimeoutNanos, final long retransmitNanos, final long failureHoldOffNanos,
        final int queueLimit)
    {
        this.context = Objects.requireNonNull(context, "context");
        this.identity = identity;
        if (maximumPacketSize < 256 || maximumPacketSize > 65_507)
        {
            throw new IllegalArgumentException("maximum packet size out of [256, 65507]: " + maximumPacketSize);
        }
        if (handshakeTimeoutNanos <= 0 || retransmitNanos <= 0 || failureHoldOffNanos < 0)
        {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (queueLimit < 1)
        {
            throw new IllegalArgumentException("queue limit must be positive: " + queueLimit);
        }
        if (!context.getProtocol().startsWith("DTLS"))
        {
            throw new IllegalArgumentException("not a DTLS context: " + context.getProtocol());
        }
        this.maximumPacketSize = maximumPacketSize;
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
        this.retransmitNanos = retransmitNanos;
        this.failureHoldOffNanos = failureHoldOffNanos;
        this.queueLimit = queueLimit;
    }

    /**
     * Secure mode with an initialized DTLS context (from {@code SSLContext.getInstance("DTLSv1.2")} or
     * {@code "DTLS"}), the {@link PeerIdentity#COMMON_NAME} binding and default limits.
     *
     * @param context the DTLS context: its key managers give this clone's certificate, its trust managers hold the
     *                owner's CA.
     * @return the configuration.
     * @throws IllegalArgumentException if the context is not a DTLS context.
     */
    public static CloneSecurity of(final SSLContext context)
    {
        return new CloneSecurity(context, PeerIdentity.COMMON_NAME, DEFAULT_MAXIMUM_PACKET_SIZE,
            DEFAULT_HANDSHAKE_TIMEOUT_NANOS, DEFAULT_RETRANSMIT_NANOS, DEFAULT_FAILURE_HOLD_OFF_NANOS,
            DEFAULT_QUEUE_LIMIT);
    }

    /**
     * Secure mode from key and trust material: a DTLS 1.2 context initialized with this clone's keys and the
     * owner's trust store.
     *
     * @param keys   this clone's private key and certificate chain; null for a clone without a certificate (it
     *               cannot pass any peer's client authentication, which is what tests of refusal need).
     * @param trusts trust managers holding the stream owner's CA.
     * @return the configuration.
     * @throws GeneralSecurityException if the JDK provides no DTLS 1.2 or the material is unusable.
     */
    public static CloneSecurity fromStores(final KeyManagerFactory keys, final TrustManagerFactory trusts)
        throws GeneralSecurityException
    {
        Objects.requireNonNull(trusts, "trusts");
        final SSLContext context = SSLContext.getInstance("DTLSv1.2");
        context.init(keys == null ? null : keys.getKeyManagers(), trusts.getTrustManagers(), null);
        return of(context);
    }

    /**
     * The same configuration with another identity binding.
     *
     * @param identity maps a verified certificate to a member id; null accepts any certificate that verifies
     *                 against the trust store, for any member (weaker: one compromised clone key then speaks for
     *                 any member whose address it can use).
     * @return the configuration.
     */
    public CloneSecurity withIdentity(final PeerIdentity identity)
    {
        return new CloneSecurity(context, identity, maximumPacketSize, handshakeTimeoutNanos, retransmitNanos,
            failureHoldOffNanos, queueLimit);
    }

    /**
     * The same configuration with another largest datagram. An overlay frame that does not fit one record under
     * it is dropped and counted; the DTLS overhead with AES-GCM is 37 bytes, the overlay's media header 28.
     *
     * @param bytes largest datagram, in [256, 65507].
     * @return the configuration.
     */
    public CloneSecurity withMaximumPacketSize(final int bytes)
    {
        return new CloneSecurity(context, identity, bytes, handshakeTimeoutNanos, retransmitNanos,
            failureHoldOffNanos, queueLimit);
    }

    /**
     * The same configuration with other handshake timings.
     *
     * @param timeoutNanos       bound on one handshake.
     * @param retransmitNanos    first retransmission timeout (doubled each time, capped at 2 s).
     * @param failureHoldOffNanos how long a peer whose handshake failed is ignored.
     * @return the configuration.
     */
    public CloneSecurity withTimings(final long timeoutNanos, final long retransmitNanos,
        final long failureHoldOffNanos)
    {
        return new CloneSecurity(context, identity, maximumPacketSize, timeoutNanos, retransmitNanos,
            failureHoldOffNanos, queueLimit);
    }

    /**
     * The same configuration with another bound on datagrams queued per neighbour during its handshake.
     *
     * @param datagrams the bound; should cover a ring replay to a newly attached child.
     * @return the configuration.
     */
    public CloneSecurity withQueueLimit(final int datagrams)
    {
        return new CloneSecurity(context, identity, maximumPacketSize, handshakeTimeoutNanos, retransmitNanos,
            failureHoldOffNanos, datagrams);
    }

    /**
     * The DTLS context.
     *
     * @return the context.
     */
    public SSLContext context()
    {
        return context;
    }

    /**
     * The identity binding.
     *
     * @return the binding, or null if any trusted certificate is accepted for any member.
     */
    public PeerIdentity identity()
    {
        return identity;
    }

    /**
     * The largest datagram emitted.
     *
     * @return bytes.
     */
    public int maximumPacketSize()
    {
        return maximumPacketSize;
    }

    /**
     * The bound on one handshake.
     *
     * @return nanoseconds.
     */
    public long handshakeTimeoutNanos()
    {
        return handshakeTimeoutNanos;
    }

    /**
     * The first retransmission timeout.
     *
     * @return nanoseconds.
     */
    public long retransmitNanos()
    {
        return retransmitNanos;
    }

    /**
     * How long a peer whose handshake failed is ignored.
     *
     * @return nanoseconds.
     */
    public long failureHoldOffNanos()
    {
        return failureHoldOffNanos;
    }

    /**
     * The bound on datagrams queued per neighbour during its handshake.
     *
     * @return datagrams.
     */
    public int queueLimit()
    {
        return queueLimit;
    }
}
