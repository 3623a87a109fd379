package dev.c2cast.microcast.nc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The decoder and recoder fed arbitrary packets: only {@link CodedPacketException}, rank never above g, and no
 * growth (all storage is fixed at construction, so the decoder's footprint cannot depend on the input).
 */
class DecoderFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void decoderTakesArbitraryPackets(final FuzzedDataProvider input)
    {
        final int g = input.consumeInt(1, 8);
        final int s = input.consumeInt(1, 80);
        final long id = input.consumeInt(0, 3);
        final CodingParameters p = new CodingParameters(g, s);
        final Decoder decoder = new Decoder(p, id);
        final Recoder recoder = new Recoder(p, id, input.consumeLong());
        final CodedPacket view = new CodedPacket();
        final ByteBuf out = Unpooled.buffer(CodedPacket.maxLength(p));
        for (int round = 0; round < 64 && input.remainingBytes() > 0; round++)
        {
            final ByteBuf buf;
            if (input.consumeBoolean())
            {
                // Mostly well-formed: a real header with fuzzed fields, block and payload.
                final CoefficientEncoding enc = CoefficientEncoding.values()[input.consumeInt(0, 2)];
                final int pg = input.consumeBoolean() ? g : input.consumeInt(1, 256);
                final int ps = input.consumeBoolean() ? s : input.consumeInt(1, 100);
                buf = Unpooled.buffer();
                CodedPacket.writeHeader(buf, 0, enc, pg, ps, input.consumeBoolean() ? id : input.consumeInt(0, 3),
                    input.consumeInt(0, pg * ps));
                buf.writerIndex(CodedPacket.HEADER_LENGTH);
                buf.writeBytes(input.consumeBytes(enc.blockLength(pg) + ps));
            }
            else
            {
                buf = Unpooled.wrappedBuffer(input.consumeBytes(input.consumeInt(0, 300)));
            }
            try
            {
                view.wrap(buf);
                decoder.receive(view);
                recoder.receive(view);
            }
            catch (final CodedPacketException expected)
            {
                continue;
            }
            assertTrue(decoder.rank() <= g);
            assertTrue(decoder.decodedCount() <= decoder.rank());
            if (recoder.rank() > 0)
            {
                out.clear();
                recoder.writePacket(out);
                // A recoded packet is always valid and belongs to the generation.
                decoder.receive(view.wrap(out));
            }
        }
    }
}
