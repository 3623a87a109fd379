package dev.c2cast.microcast.nc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.c2cast.microcast.nc.CodedPacketException.Reason;
import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class CodingPropertyTest
{
    private static CodingParameters parameters(final Gen gen)
    {
        final int g = gen.chance(0.1) ? gen.size(1, 256) : gen.size(1, 40);
        final int s = gen.chance(0.1) ? gen.size(1, 9000) : gen.size(1, 300);
        return new CodingParameters(g, s);
    }

    private static byte[] segment(final Gen gen, final CodingParameters p)
    {
        return gen.bytes(gen.chance(0.5) ? p.capacity() : gen.size(0, p.capacity()));
    }

    /** Feeds a packet, checking the decoder's invariants and that released symbols are right. */
    private static boolean feed(final Decoder decoder, final ByteBuf packet, final byte[] data,
        final CodingParameters p)
    {
        final int before = decoder.rank();
        final boolean innovative = decoder.receive(new CodedPacket().wrap(packet));
        assertEquals(before + (innovative ? 1 : 0), decoder.rank());
        assertTrue(decoder.rank() <= p.generationSize());
        checkReleased(decoder, data, p);
        return innovative;
    }

    /** Symbols already compared with the source, per decoder: each released symbol is checked once. */
    private static final java.util.Map<Decoder, boolean[]> VERIFIED = new java.util.IdentityHashMap<>();

    private static void checkReleased(final Decoder decoder, final byte[] data, final CodingParameters p)
    {
        final int s = p.symbolSize();
        final byte[] symbol = new byte[s];
        final boolean[] verified = VERIFIED.computeIfAbsent(decoder, d -> new boolean[p.generationSize()]);
        int decodedCount = 0;
        for (int i = 0; i < p.generationSize(); i++)
        {
            if (decoder.isDecoded(i))
            {
                decodedCount++;
                if (verified[i])
                {
                    continue;
                }
                verified[i] = true;
                decoder.copySymbol(i, symbol, 0);
                final byte[] expected = new byte[s];
                if (i * s < data.length)
                {
                    System.arraycopy(data, i * s, expected, 0, Math.min(s, data.length - i * s));
                }
                assertArrayEquals(expected, symbol, "released symbol " + i);
            }
            else
            {
                assertFalse(verified[i], "a released symbol stays decoded");
                if (decoder.rank() == 0 || i == 0)
                {
                    final int index = i;
                    assertThrows(IllegalStateException.class, () -> decoder.copySymbol(index, symbol, 0));
                }
            }
        }
        assertEquals(decodedCount, decoder.decodedCount());
        assertTrue(decoder.decodedCount() <= decoder.rank());
    }

    @org.junit.jupiter.api.AfterEach
    void forgetDecoders()
    {
        VERIFIED.clear();
    }

    private static void assertDecoded(final Decoder decoder, final byte[] data)
    {
        assertTrue(decoder.isComplete());
        assertEquals(decoder.parameters().generationSize(), decoder.decodedCount());
        assertEquals(decoder.parameters().generationSize(), decoder.decodedPrefix());
        final byte[] out = new byte[data.length + 2];
        assertEquals(data.length, decoder.copySegment(out, 1));
        assertArrayEquals(data, Arrays.copyOfRange(out, 1, 1 + data.length));
    }

    @Property(seeds = 150)
    void decodesWhatWasEncoded(final Gen gen)
    {
        final CodingParameters p = parameters(gen);
        final byte[] data = segment(gen, p);
        final long id = gen.longBetween(0, 0xFFFF_FFFFL);
        final CoefficientEncoding encoding = gen.bool() ? CoefficientEncoding.FULL : CoefficientEncoding.SEED;
        final boolean systematic = gen.bool();
        final Encoder encoder = new Encoder(Generation.copyOf(p, data), id, encoding, systematic, gen.nextLong());
        final Decoder decoder = new Decoder(p, id);
        final List<ByteBuf> sent = new ArrayList<>();
        int packets = 0;
        while (!decoder.isComplete())
        {
            assertTrue(packets++ < p.generationSize() + 200, "decoding must not take unbounded packets");
            final ByteBuf buf = Unpooled.buffer(encoder.maxPacketLength());
            final int length = encoder.writePacket(buf);
            assertEquals(length, buf.readableBytes());
            sent.add(buf);
            if (gen.chance(0.2))
            {
                continue; // lost
            }
            feed(decoder, buf, data, p);
            if (gen.chance(0.1) && !sent.isEmpty())
            {
                final long nonInnovative = decoder.nonInnovativeCount();
                assertFalse(feed(decoder, gen.pick(sent).duplicate(), data, p) && false);
                assertTrue(decoder.nonInnovativeCount() >= nonInnovative);
            }
        }
        assertDecoded(decoder, data);
        // Once complete, nothing is innovative.
        final ByteBuf extra = Unpooled.buffer();
        encoder.writePacket(extra);
        assertFalse(decoder.receive(new CodedPacket().wrap(extra)));
    }

    @Property(seeds = 100)
    void duplicatesAreReportedAndNotStored(final Gen gen)
    {
        final CodingParameters p = parameters(gen);
        final byte[] data = segment(gen, p);
        final Encoder encoder = new Encoder(Generation.copyOf(p, data), 7, CoefficientEncoding.FULL, gen.bool(),
            gen.nextLong());
        final Decoder decoder = new Decoder(p, 7);
        final ByteBuf first = Unpooled.buffer();
        encoder.writePacket(first);
        assertTrue(feed(decoder, first, data, p));
        assertFalse(feed(decoder, first.duplicate(), data, p), "a duplicate is not innovative");
        assertEquals(1, decoder.nonInnovativeCount());
        assertEquals(1, decoder.rank());
        // A scaled copy (coefficients and payload times c) is not innovative either.
        final CodedPacket view = new CodedPacket().wrap(first);
        final int c = gen.intBetween(2, 255);
        final byte[] coefs = new byte[p.generationSize()];
        final byte[] payload = new byte[p.symbolSize()];
        view.copyCoefficients(coefs, 0);
        view.copyPayload(payload, 0);
        Gf256.mul(coefs, 0, coefs.length, c);
        Gf256.mul(payload, 0, payload.length, c);
        assertFalse(decoder.receive(coefs, 0, payload, 0));
        assertFalse(decoder.receive(new byte[p.generationSize()], 0, payload, 0), "zero vector");
        assertEquals(3, decoder.nonInnovativeCount());
        assertEquals(1, decoder.rank());
    }

    @Property(seeds = 100)
    void exactlyGInnovativePacketsDecode(final Gen gen)
    {
        final CodingParameters p = parameters(gen);
        final int g = p.generationSize();
        final byte[] data = segment(gen, p);
        final Encoder encoder = new Encoder(Generation.copyOf(p, data), 1, CoefficientEncoding.SEED, false,
            gen.nextLong());
        final Decoder decoder = new Decoder(p, 1);
        int innovative = 0;
        int sent = 0;
        while (innovative < g)
        {
            assertFalse(decoder.isComplete());
            final ByteBuf buf = Unpooled.buffer();
            encoder.writePacket(buf);
            sent++;
            if (feed(decoder, buf, data, p))
            {
                innovative++;
            }
            assertEquals(innovative, decoder.rank());
        }
        assertTrue(decoder.isComplete(), "g innovative packets decode");
        assertDecoded(decoder, data);
        assertEquals(sent - g, decoder.nonInnovativeCount());
        // Random vectors over GF(2^8) are rarely dependent: a handful of extra packets at most.
        assertTrue(sent - g <= 3 + g / 16, "too many dependent packets: " + (sent - g));
    }

    @Property(seeds = 100)
    void decodesRecodedAndMixedPackets(final Gen gen)
    {
        final CodingParameters p = parameters(gen);
        final int g = p.generationSize();
        final byte[] data = segment(gen, p);
        final long id = gen.longBetween(0, 1000);
        final Encoder encoder = new Encoder(Generation.copyOf(p, data), id,
            gen.bool() ? CoefficientEncoding.FULL : CoefficientEncoding.SEED, true, gen.nextLong());
        // Two relays in a chain, each holding part of what the source sent.
        final Recoder relay1 = new Recoder(p, id, gen.nextLong());
        final Recoder relay2 = new Recoder(p, id, gen.nextLong());
        final Decoder sink = new Decoder(p, id);
        final ByteBuf[] burst = new ByteBuf[gen.intBetween(1, 12)];
        int rounds = 0;
        while (!sink.isComplete())
        {
            assertTrue(rounds++ < 20 * g + 200, "must converge");
            for (int i = 0; i < burst.length; i++)
            {
                burst[i] = Unpooled.buffer();
            }
            encoder.writePackets(burst, 0, burst.length);
            for (final ByteBuf packet : burst)
            {
                final double roll = gen.doubleBetween(0, 1);
                if (roll < 0.3)
                {
                    feed(sink, packet, data, p); // direct: systematic or coded
                }
                else if (roll < 0.8)
                {
                    relay1.receive(new CodedPacket().wrap(packet));
                }
            }
            if (relay1.rank() > 0)
            {
                final ByteBuf[] recoded = new ByteBuf[gen.intBetween(1, 10)];
                for (int i = 0; i < recoded.length; i++)
                {
                    recoded[i] = Unpooled.buffer(relay1.packetLength());
                }
                relay1.writePackets(recoded, 0, recoded.length);
                for (final ByteBuf packet : recoded)
                {
                    final CodedPacket view = new CodedPacket().wrap(packet);
                    assertEquals(CoefficientEncoding.FULL, view.coefficientEncoding());
                    if (gen.bool())
                    {
                        feed(sink, packet, data, p);
                    }
                    else
                    {
                        relay2.receive(view);
                    }
                }
            }
            if (relay2.rank() > 0 && gen.bool())
            {
                final ByteBuf twice = Unpooled.buffer();
                relay2.writePacket(twice);
                feed(sink, twice, data, p);
            }
            assertTrue(relay2.rank() <= relay1.rank(), "a relay fed only by another cannot know more");
        }
        assertDecoded(sink, data);
    }

    @Property(seeds = 60)
    void recodedPacketsCarryCorrectCoefficients(final Gen gen)
    {
        final CodingParameters p = parameters(gen);
        final int g = p.generationSize();
        final int s = p.symbolSize();
        final byte[] data = segment(gen, p);
        final Generation generation = Generation.copyOf(p, data);
        final Encoder encoder = new Encoder(generation, 3, CoefficientEncoding.FULL, gen.bool(), gen.nextLong());
        final Recoder relay = new Recoder(p, 3, gen.nextLong());
        for (int i = gen.intBetween(1, g + 2); i > 0; i--)
        {
            final ByteBuf buf = Unpooled.buffer();
            encoder.writePacket(buf);
            relay.receive(new CodedPacket().wrap(buf));
        }
        final ByteBuf recoded = Unpooled.buffer();
        relay.writePacket(recoded);
        final CodedPacket view = new CodedPacket().wrap(recoded);
        final byte[] coefs = new byte[g];
        view.copyCoefficients(coefs, 0);
        final byte[] expected = new byte[encoder.paddedSymbolSize()];
        encoder.encode(coefs, 0, 1, expected, 0, expected.length);
        final byte[] payload = new byte[s];
        view.copyPayload(payload, 0);
        assertArrayEquals(Arrays.copyOf(expected, s), payload, "payload = coefficients x sources");
        assertEquals(data.length, view.segmentLength());
    }

    @Test
    void rejectsPacketsOfAnotherGeneration()
    {
        final CodingParameters p = new CodingParameters(4, 10);
        final Encoder encoder = new Encoder(Generation.copyOf(p, new byte[40]), 5, CoefficientEncoding.FULL, false, 1);
        final ByteBuf buf = Unpooled.buffer();
        encoder.writePacket(buf);
        final CodedPacket view = new CodedPacket().wrap(buf);
        assertEquals(Reason.GENERATION_MISMATCH,
            assertThrows(CodedPacketException.class, () -> new Decoder(p, 6).receive(view)).reason());
        assertEquals(Reason.PARAMETERS_MISMATCH, assertThrows(CodedPacketException.class,
            () -> new Decoder(new CodingParameters(5, 10), 5).receive(view)).reason());
        assertEquals(Reason.PARAMETERS_MISMATCH, assertThrows(CodedPacketException.class,
            () -> new Decoder(new CodingParameters(4, 11), 5).receive(view)).reason());
        final Decoder decoder = new Decoder(p, 5);
        decoder.receive(view);
        final Encoder other = new Encoder(Generation.copyOf(p, new byte[39]), 5, CoefficientEncoding.FULL, false, 2);
        final ByteBuf shorter = Unpooled.buffer();
        other.writePacket(shorter);
        assertEquals(Reason.SEGMENT_LENGTH_MISMATCH, assertThrows(CodedPacketException.class,
            () -> decoder.receive(new CodedPacket().wrap(shorter))).reason());
        assertEquals(1, decoder.rank());
    }

    @Test
    void validatesConstructionArguments()
    {
        final Generation generation = Generation.allocate(new CodingParameters(2, 2));
        assertThrows(IllegalArgumentException.class,
            () -> new Encoder(generation, 1, CoefficientEncoding.SYSTEMATIC, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new Encoder(generation, -1, CoefficientEncoding.FULL,
            true, 0));
        assertThrows(IllegalArgumentException.class, () -> new Decoder(new CodingParameters(2, 2), 1L << 32));
        assertThrows(IllegalArgumentException.class, () -> generation.load(new byte[5], 0, 5));
        assertThrows(IllegalStateException.class, () -> new Recoder(new CodingParameters(2, 2), 0, 0)
            .writePacket(Unpooled.buffer()));
    }

    @Test
    void encoderAndDecoderAreReusableAcrossGenerations()
    {
        final CodingParameters p = new CodingParameters(8, 100);
        final Generation generation = Generation.allocate(p);
        final Encoder encoder = new Encoder(generation, 0, CoefficientEncoding.SEED, true, 9);
        final Decoder decoder = new Decoder(p, 0);
        final ByteBuf buf = Unpooled.buffer();
        for (int id = 0; id < 5; id++)
        {
            final byte[] data = new byte[700 + id];
            Arrays.fill(data, (byte)(id + 1));
            generation.load(data, 0, data.length);
            encoder.reset(id);
            decoder.reset(id);
            while (!decoder.isComplete())
            {
                buf.clear();
                encoder.writePacket(buf);
                decoder.receive(new CodedPacket().wrap(buf));
            }
            assertDecoded(decoder, data);
        }
    }
}
