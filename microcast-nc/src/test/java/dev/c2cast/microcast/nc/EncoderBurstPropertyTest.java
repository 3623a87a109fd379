package dev.c2cast.microcast.nc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * {@link Encoder#writePackets} computes payloads straight into the arrays of heap buffers that have room, and
 * through its own buffer and a copy otherwise: whatever the mix of destinations (growable heap buffers, heap buffers
 * of exactly the packet's size, slices at an offset of a shared array, direct buffers, one buffer twice in a
 * burst, buffers that already hold bytes), the packets are byte for byte those of {@link Encoder#writePacket} from
 * an encoder with the same seed.
 */
class EncoderBurstPropertyTest
{
    @Property(seeds = 60)
    void burstsWriteTheSameBytesAsSinglePackets(final Gen gen)
    {
        final int g = gen.chance(0.2) ? gen.size(1, 100) : gen.size(1, 40);
        final int s = gen.chance(0.2) ? gen.size(1, 5000) : gen.size(1, 400);
        final CodingParameters p = new CodingParameters(g, s);
        final byte[] data = gen.bytes(gen.size(0, p.capacity()));
        final CoefficientEncoding encoding = gen.bool() ? CoefficientEncoding.FULL : CoefficientEncoding.SEED;
        final boolean systematic = gen.chance(0.3);
        final long seed = gen.nextLong();
        final Encoder bursts = new Encoder(Generation.copyOf(p, data), 5, encoding, systematic, seed);
        final Encoder single = new Encoder(Generation.copyOf(p, data), 5, encoding, systematic, seed);
        final int length = CodedPacket.length(encoding, g, s);
        final int rounds = gen.intBetween(1, 3);
        for (int round = 0; round < rounds; round++)
        {
            final int count = gen.intBetween(1, 2 * Encoder.BURST + 3);
            final ByteBuf[] outs = new ByteBuf[count];
            final int[] starts = new int[count];
            final byte[] shared = new byte[count * (length + 300) + 64];
            for (int i = 0; i < count; i++)
            {
                switch (gen.intBetween(0, 5))
                {
                    case 0:
                        outs[i] = Unpooled.buffer(gen.intBetween(0, length + 200));
                        break;
                    case 1:
                        outs[i] = Unpooled.buffer(length, length);
                        break;
                    case 2:
                        outs[i] = Unpooled.wrappedBuffer(shared, i * (length + 300) + gen.intBetween(0, 63),
                            length + gen.intBetween(0, 200)).clear();
                        break;
                    case 3:
                        outs[i] = Unpooled.directBuffer(length + gen.intBetween(0, 200));
                        break;
                    case 4:
                        // An earlier growable buffer again (a fixed-size one would rightly overflow).
                        outs[i] = Unpooled.buffer();
                        for (int j = i - 1; j >= 0; j--)
                        {
                            if (outs[j].maxCapacity() == Integer.MAX_VALUE && outs[j].hasArray())
                            {
                                outs[i] = outs[j];
                                break;
                            }
                        }
                        break;
                    default:
                        outs[i] = Unpooled.buffer();
                        outs[i].writeBytes(gen.bytes(gen.intBetween(1, 70)));
                        break;
                }
            }
            for (int i = 0; i < count; i++)
            {
                starts[i] = outs[i].writerIndex();
            }
            final int written = bursts.writePackets(outs, 0, count);
            // Replay with single packets; a buffer used several times holds its packets back to back.
            final int[] cursor = new int[count];
            int total = 0;
            for (int i = 0; i < count; i++)
            {
                int first = i;
                for (int j = 0; j < i; j++)
                {
                    if (outs[j] == outs[i])
                    {
                        first = j;
                        break;
                    }
                }
                final int at = first == i ? starts[i] : cursor[first];
                final ByteBuf expected = Unpooled.buffer();
                final int n = single.writePacket(expected);
                final ByteBuf actual = outs[i].slice(at, n);
                assertEquals(ByteBufUtil.hexDump(expected), ByteBufUtil.hexDump(actual),
                    "packet " + i + " of " + count);
                cursor[first] = at + n;
                total += n;
            }
            assertEquals(total, written);
            for (int i = 0; i < count; i++)
            {
                if (outs[i].isDirect() && outs[i].refCnt() > 0)
                {
                    outs[i].release(); // direct buffers hold native memory: no leak reports from the detector
                }
            }
        }
    }
}
