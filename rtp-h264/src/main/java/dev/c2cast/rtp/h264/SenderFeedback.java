package dev.c2cast.rtp.h264;

import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;

/**
 * Acts on the RTCP feedback that reaches an RTP sender (RFC 4585): a generic NACK is answered by resending the named
 * packets from a {@link RetransmissionHistory} (the original packets, same SSRC and sequence numbers; RFC 4588 "rtx"
 * is not used), and a picture loss indication calls the keyframe-request callback toward the encoder. Pass it to
 * {@link Rtcp#parse(ByteBuf, int, int, RtcpListener)} for each RTCP packet from a receiver.
 * <p>
 * Feedback for another media SSRC is ignored (0 is accepted, as some receivers send it). Not thread-safe: confine to
 * the sender's event loop.
 */
public final class SenderFeedback implements RtcpListener
{
    private final RetransmissionHistory history;
    private final int mediaSsrc;
    private final Consumer<ByteBuf> resend;
    private final Runnable keyframeRequest;
    private long retransmissions;
    private long unanswerable;
    private long keyframeRequests;

    /**
     * Creates a responder.
     *
     * @param history         the packets sent recently.
     * @param mediaSsrc       the sender's SSRC.
     * @param resend          sends one packet again (borrowed: retain or copy it to keep it past the call).
     * @param keyframeRequest asks the encoder for an IDR picture.
     */
    public SenderFeedback(final RetransmissionHistory history, final int mediaSsrc, final Consumer<ByteBuf> resend, final Runnable keyframeRequest)
    {
        this.history = history;
        this.mediaSsrc = mediaSsrc;
        this.resend = resend;
        this.keyframeRequest = keyframeRequest;
    }

    @Override
    public void onNack(final int senderSsrc, final int mediaSsrc, final int sequenceNumber)
    {
        if (mediaSsrc != this.mediaSsrc && mediaSsrc != 0)
        {
            return;
        }
        final ByteBuf packet = history.find(sequenceNumber);
        if (packet == null)
        {
            unanswerable++;
            return;
        }
        retransmissions++;
        resend.accept(packet);
    }

    @Override
    public void onPictureLossIndication(final int senderSsrc, final int mediaSsrc)
    {
        if (mediaSsrc != this.mediaSsrc && mediaSsrc != 0)
        {
            return;
        }
        keyframeRequests++;
        keyframeRequest.run();
    }

    /**
     * Packets resent so far.
     *
     * @return the count.
     */
    public long retransmissions()
    {
        return retransmissions;
    }

    /**
     * NACKed packets no longer (or never) in the history.
     *
     * @return the count.
     */
    public long unanswerable()
    {
        return unanswerable;
    }

    /**
     * PLIs acted upon so far.
     *
     * @return the count.
     */
    public long keyframeRequests()
    {
        return keyframeRequests;
    }
}
