package dev.c2cast.streamsmart.tree;

import java.security.cert.X509Certificate;

/**
 * Which member a peer's certificate names. In secure mode a clone accepts a DTLS association only once the peer's
 * certificate chain verifies against the owner's trust store <em>and</em> the member the certificate names lives,
 * according to the {@link Directory}, at the address the association runs with: a clone holding a valid
 * certificate cannot speak for another member.
 */
@FunctionalInterface
public interface PeerIdentity
{
    /** Prefix of the subject common name that {@link #COMMON_NAME} expects before the decimal member id. */
    String COMMON_NAME_PREFIX = "clone-";

    /**
     * The default binding: the leaf certificate's subject common name is {@code clone-<member id>}, the id in
     * decimal (for example {@code CN=clone-42,O=owner}).
     */
    PeerIdentity COMMON_NAME = PeerIdentity::fromCommonName;

    /**
     * The member a verified leaf certificate names.
     *
     * @param leaf the peer's leaf certificate, already verified against the trust store.
     * @return the member id, or {@link Topology#NONE} if the certificate names no member (the peer is refused).
     */
    long memberOf(X509Certificate leaf);

    /**
     * Parses {@code CN=clone-<id>} out of the leaf certificate's subject (RFC 2253 form).
     *
     * @param leaf the certificate.
     * @return the member id, or {@link Topology#NONE} if there is no such common name.
     */
    static long fromCommonName(final X509Certificate leaf)
    {
        final String subject = leaf.getSubjectX500Principal().getName();
        final String key = "CN=" + COMMON_NAME_PREFIX;
        int start = 0;
        while (start < subject.length())
        {
            int end = start;
            while (end < subject.length() && subject.charAt(end) != ',')
            {
                end += subject.charAt(end) == '\\' ? 2 : 1;
            }
            end = Math.min(end, subject.length());
            if (subject.regionMatches(true, start, key, 0, key.length()))
            {
                return parseId(subject, start + key.length(), end);
            }
            start = end + 1;
        }
        return Topology.NONE;
    }

    private static long parseId(final String text, final int from, final int to)
    {
        if (from >= to || to - from > 19)
        {
            return Topology.NONE;
        }
        long id = 0;
        for (int i = from; i < to; i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return Topology.NONE;
            }
            id = id * 10 + (c - '0');
            if (id < 0)
            {
                return Topology.NONE;
            }
        }
        return id;
    }
}
