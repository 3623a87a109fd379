package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The sender's NACK history: reference-counted ring across the 16-bit wrap, and {@link SenderFeedback} acting on RTCP. */
class RetransmissionHistoryTest
{
    private static ByteBuf packet(final int seq)
    {
        final ByteBuf b = Unpooled.buffer(13);
        RtpHeader.writeFixedHeader(b, false, 96, seq, 0, 0xABC);
        b.writeByte(seq & 0xFF);
        return b;
    }

    @Test
    void keepsTheLastCapacityPacketsAcrossTheWrapAndReleasesWhatItDisplaces()
    {
        final List<ByteBuf> sent = new ArrayList<>();
        try (RetransmissionHistory history = new RetransmissionHistory(8))
        {
            for (int i = 0; i < 20; i++)
            {
                final ByteBuf p = packet((65_530 + i) & 0xFFFF);
                history.store(p);
                p.release();
                sent.add(p);
            }
            for (int i = 0; i < 20; i++)
            {
                final int seq = (65_530 + i) & 0xFFFF;
                if (i < 12)
                {
                    assertNull(history.find(seq), "displaced: " + seq);
                    assertEquals(0, sent.get(i).refCnt(), "released when displaced: " + seq);
                }
                else
                {
                    assertSame(sent.get(i), history.find(seq), "kept: " + seq);
                    assertEquals(1, sent.get(i).refCnt());
                }
            }
            assertNull(history.find((65_530 + 20) & 0xFFFF), "never sent");
        }
        for (final ByteBuf p : sent)
        {
            assertEquals(0, p.refCnt(), "close releases everything");
        }
        assertThrows(IllegalArgumentException.class, () -> new RetransmissionHistory(12));
        assertThrows(RtpH264Exception.class, () -> new RetransmissionHistory(4).store(Unpooled.buffer(4).writeInt(0)));
    }

    @Test
    void senderFeedbackResendsNackedPacketsAndCallsTheEncoderOnPli()
    {
        try (RetransmissionHistory history = new RetransmissionHistory(64))
        {
            for (int seq = 100; seq < 140; seq++)
            {
                final ByteBuf p = packet(seq);
                history.store(p);
                p.release();
            }
            final List<Integer> resent = new ArrayList<>();
            final int[] keyframes = {0};
            final SenderFeedback feedback = new SenderFeedback(history, 0xABC,
                p -> resent.add(p.getUnsignedShort(p.readerIndex() + RtpHeader.SEQUENCE_OFFSET)), () -> keyframes[0]++);
            final ByteBuf rtcp = Unpooled.buffer();
            Rtcp.writeNackRange(rtcp, 7, 0xABC, 110, 20);
            Rtcp.writeNack(rtcp, 7, 0xDEF, 120, 0);
            Rtcp.writeNack(rtcp, 7, 0xABC, 5, 0);
            Rtcp.writePictureLossIndication(rtcp, 7, 0xABC);
            Rtcp.writePictureLossIndication(rtcp, 7, 0xDEF);
            Rtcp.parse(rtcp, 0, rtcp.readableBytes(), feedback);
            final List<Integer> expected = new ArrayList<>();
            for (int seq = 110; seq < 130; seq++)
            {
                expected.add(seq);
            }
            assertEquals(expected, resent, "the 20 named in two FCIs, none for another SSRC");
            assertEquals(20, feedback.retransmissions());
            assertEquals(1, feedback.unanswerable());
            assertEquals(1, keyframes[0]);
            assertEquals(1, feedback.keyframeRequests());
        }
    }
}
