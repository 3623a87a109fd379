package dev.c2cast.streamsmart.tree;

/**
 * A snapshot of one clone's secure transport (DTLS between clones, see {@link CloneSecurity}). All counters are
 * zero and {@code secure} is false for a clone in the default plain-UDP mode.
 *
 * @param secure               whether the clone runs DTLS.
 * @param associations         DTLS associations established and open now (one per neighbour).
 * @param handshakesCompleted  handshakes that completed and passed the identity check.
 * @param handshakeFailures    handshakes that failed: untrusted or missing certificate, identity mismatch, alert
 *                             from the peer, timeout.
 * @param lastFailure          the peer and reason of the latest failure, or null.
 * @param wireDatagramsIn      datagrams that reached the socket, whatever they held.
 * @param wireBytesIn          bytes of those datagrams.
 * @param applicationRecordsIn DTLS application-data records that reached the socket (counted from the record
 *                             headers, before decryption): zero for a clone that never completed a handshake.
 * @param applicationBytesIn   plaintext bytes decrypted and handed to the overlay.
 * @param applicationRecordsOut application-data records sent.
 * @param wireBytesOut         bytes sent on the socket (handshake and application records).
 * @param datagramsDropped     datagrams dropped: not DTLS (plaintext overlay frames included), from a peer with no
 *                             association or in failure hold-off, too large for one record, or over the queue limit
 *                             while a handshake ran.
 * @param handshakeRestarts    handshakes restarted from a new ClientHello after two unanswered retransmissions
 *                             (the peer finished but both copies of its last flight were lost).
 */
public record SecurityStats(
    boolean secure,
    int associations,
    long handshakesCompleted,
    long handshakeFailures,
    String lastFailure,
    long wireDatagramsIn,
    long wireBytesIn,
    long applicationRecordsIn,
    long applicationBytesIn,
    long applicationRecordsOut,
    long wireBytesOut,
    long datagramsDropped,
    long handshakeRestarts)
{
    /** The statistics of a clone in plain mode. */
    public static final SecurityStats PLAIN = new SecurityStats(false, 0, 0, 0, null, 0, 0, 0, 0, 0, 0, 0, 0);
}
