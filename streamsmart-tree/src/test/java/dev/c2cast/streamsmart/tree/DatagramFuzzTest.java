package dev.c2cast.streamsmart.tree;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;

import dev.c2cast.streamsmart.tree.internal.RtpView;
import dev.c2cast.streamsmart.tree.internal.TreeFrame;
import dev.c2cast.streamsmart.tree.wire.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Arbitrary datagrams against every parser a clone applies to network input: the frame type, the media header,
 * the RTP keyframe view, the control envelope, and a member state machine fed whatever envelope decodes; and
 * arbitrary bytes as join tokens. Nothing may throw except the protobuf parse exception, and no token but a
 * genuine one may verify.
 */
class DatagramFuzzTest
{
    private static final StreamToken TOKENS = new StreamToken(TreeSimulation.KEY);

    @FuzzTest(maxDuration = "10s")
    void anyDatagramIsHandledOrDropped(final byte[] input)
    {
        final ByteBuf buffer = Unpooled.wrappedBuffer(input);
        if (TreeFrame.isMedia(buffer))
        {
            TreeFrame.sequence(buffer);
            TreeFrame.sender(buffer);
            TreeFrame.keyframe(buffer);
            RtpView.sequence(buffer, TreeFrame.MEDIA_HEADER_LENGTH);
            RtpView.startsKeyframe(buffer, TreeFrame.MEDIA_HEADER_LENGTH, input.length - TreeFrame.MEDIA_HEADER_LENGTH);
        }
        RtpView.startsKeyframe(buffer, 0, input.length);
        if (TreeFrame.isControl(buffer))
        {
            try
            {
                final Envelope envelope = Envelope.parseFrom(buffer.nioBuffer(1, input.length - 1));
                final TreeSimulation sim = new TreeSimulation(TreeConfig.defaults(), 1, java.util.Set.of(1L), 1, 0,
                    20, 25);
                sim.addMember(1, owner -> Intent.WATCH, false);
                sim.radix().onMessage(envelope.getFrom(), envelope);
                sim.node(1).engine.onMessage(envelope.getFrom(), envelope);
                sim.runFor(200);
            }
            catch (final InvalidProtocolBufferException expected)
            {
                // malformed control datagrams are dropped
            }
        }
        if (TOKENS.verify(input, TreeSimulation.STREAM, 1, 0) == null)
        {
            throw new AssertionError("arbitrary bytes verified as a token");
        }
    }
}
