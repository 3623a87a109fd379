package dev.c2cast.microcast.nc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class CodedPacketFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void parserRejectsWithTypedErrorsOnly(final byte @NotNull [] data)
    {
        final ByteBuf buf = Unpooled.wrappedBuffer(data);
        final CodedPacket view = new CodedPacket();
        try
        {
            view.wrap(buf);
        }
        catch (final CodedPacketException expected)
        {
            return;
        }
        // Accepted: every accessor is consistent with the bytes.
        assertEquals(data.length, view.length());
        final int g = view.generationSize();
        final byte[] coefs = new byte[g];
        view.copyCoefficients(coefs, 0);
        boolean nonZero = false;
        for (final byte c : coefs)
        {
            nonZero |= c != 0;
        }
        assertTrue(nonZero, "an accepted packet has a non-zero coefficient vector");
        assertTrue((long)view.segmentLength() <= (long)g * view.symbolSize());
        final byte[] payload = new byte[view.symbolSize()];
        view.copyPayload(payload, 0);
        assertEquals(data.length, view.payloadIndex() + view.symbolSize());
    }
}
