package dev.c2cast.streamsmart.tree;

/**
 * Why the radix refused a join: every refusal carries one of these, so a clone can tell its user what went wrong.
 */
public enum RefusalReason
{
    /** The join carried no token. */
    NO_TOKEN,
    /** The token is not a well-formed StreamSmart token. */
    MALFORMED_TOKEN,
    /** The token's HMAC does not verify under the owner's key. */
    BAD_SIGNATURE,
    /** The token was issued for another stream. */
    WRONG_STREAM,
    /** The token was issued to another member. */
    WRONG_MEMBER,
    /** The token's expiry has passed. */
    EXPIRED,
    /** The member is not on the stream's access list. */
    NOT_AUTHORIZED,
    /** The member does not view the stream and the stream's policy does not relay through non-viewers. */
    NOT_A_VIEWER,
    /** No slot is left within the depth limit and the fan-out ceiling. */
    NO_CAPACITY,
    /** The stream has ended. */
    STREAM_ENDED;

    private static final RefusalReason[] VALUES = values();

    /**
     * The reason with a given wire code.
     *
     * @param code the ordinal carried on the wire.
     * @return the reason, or {@link #MALFORMED_TOKEN} for an unknown code.
     */
    public static RefusalReason fromCode(final int code)
    {
        return code >= 0 && code < VALUES.length ? VALUES[code] : MALFORMED_TOKEN;
    }
}
