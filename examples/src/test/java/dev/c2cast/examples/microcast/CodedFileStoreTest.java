package dev.c2cast.examples.microcast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import dev.c2cast.microcast.nc.CodingParameters;
import dev.c2cast.microcast.nc.p2.SegmentStore;
import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class CodedFileStoreTest
{
    private static final CodingParameters PARAMETERS = new CodingParameters(16, 64);

    private static CodedFileStore source(final byte[] file, final long seed)
    {
        final CodedFileStore store = new CodedFileStore(PARAMETERS, file.length, seed);
        for (int segment = 0; segment < store.segmentCount(); segment++)
        {
            final int from = segment * PARAMETERS.capacity();
            final byte[] bytes = java.util.Arrays.copyOfRange(file, from, from + store.segmentLength(segment));
            store.offer(segment, bytes);
            store.loadSource(segment);
        }
        return store;
    }

    @Property(seeds = 30)
    void codedPacketsFromASourceAndARelayDecodeEverySegment(final Gen gen)
    {
        final byte[] file = gen.bytes(1, 5 * PARAMETERS.capacity());
        final CodedFileStore source = source(file, gen.longBetween(0, 1L << 40));
        final CodedFileStore relay = new CodedFileStore(PARAMETERS, file.length, 7);
        final CodedFileStore sink = new CodedFileStore(PARAMETERS, file.length, 9);
        final SplittableRandom random = gen.random();
        final ByteBuf packet = Unpooled.buffer(source.codedPacketLength());
        for (int segment = 0; segment < source.segmentCount(); segment++)
        {
            // The relay gets half the rank; the sink combines the relay's recoded packets with the source's.
            for (int i = 0; i < PARAMETERS.generationSize() / 2; i++)
            {
                packet.clear();
                source.writeCoded(segment, packet, random);
                assertTrue(packet.readableBytes() <= source.codedPacketLength());
                relay.absorb(segment, 1, packet, packet.readerIndex(), packet.readableBytes());
            }
            for (int i = 0; i < 8 * PARAMETERS.generationSize() && !sink.isDecoded(segment); i++)
            {
                packet.clear();
                if (i % 2 == 0 && relay.rank(segment) > 0)
                {
                    relay.writeCoded(segment, packet, random);
                }
                else
                {
                    source.writeCoded(segment, packet, random);
                }
                assertTrue(sink.absorb(segment, 2, packet, packet.readerIndex(), packet.readableBytes()) != SegmentStore.ABSORB_REJECTED);
            }
            assertTrue(sink.isDecoded(segment), "segment " + segment + " decoded");
            assertEquals(PARAMETERS.generationSize(), sink.rank(segment));
            assertArrayEquals(source.bytes(segment), sink.bytes(segment));
        }
    }

    @Test
    void plainPacketsCarryTheirIndexAndRebuildTheShortLastSegment()
    {
        final byte[] file = new Gen(5).bytes(PARAMETERS.capacity() + 100);
        final CodedFileStore source = source(file, 1);
        final CodedFileStore sink = new CodedFileStore(PARAMETERS, file.length, 2);
        final ByteBuf packet = Unpooled.buffer(source.plainPacketLength());
        for (int index = PARAMETERS.generationSize() - 1; index >= 0; index--)
        {
            packet.clear();
            source.writePlain(1, index, packet);
            assertEquals(source.plainPacketLength(), packet.readableBytes());
            assertEquals(index, sink.plainIndex(packet, 0, packet.readableBytes()));
            final int result = sink.absorb(1, 3, packet, 0, packet.readableBytes());
            assertEquals(index == 0 ? SegmentStore.ABSORB_DECODED : SegmentStore.ABSORB_INNOVATIVE, result);
        }
        assertArrayEquals(source.bytes(1), sink.bytes(1));
        assertEquals(100, sink.bytes(1).length);
        packet.clear();
        source.writePlain(1, 0, packet);
        assertEquals(SegmentStore.ABSORB_REDUNDANT, sink.absorb(1, 3, packet, 0, packet.readableBytes()));
    }

    @Test
    void rejectsPacketsOfAnotherSegmentOrGarbage()
    {
        final byte[] file = new Gen(6).bytes(2 * PARAMETERS.capacity());
        final CodedFileStore source = source(file, 1);
        final CodedFileStore sink = new CodedFileStore(PARAMETERS, file.length, 2);
        final ByteBuf packet = Unpooled.buffer();
        source.writeCoded(0, packet, new SplittableRandom(1));
        assertEquals(SegmentStore.ABSORB_REJECTED, sink.absorb(1, 3, packet, 0, packet.readableBytes()));
        assertEquals(SegmentStore.ABSORB_REJECTED, sink.absorb(0, 3, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), 0, 3));
        assertEquals(-1, sink.plainIndex(packet, 0, packet.readableBytes()));
        assertFalse(sink.isDecoded(0));
        assertEquals(0, sink.rank(1));
    }
}
