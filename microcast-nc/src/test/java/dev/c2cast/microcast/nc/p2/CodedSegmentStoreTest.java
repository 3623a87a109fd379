package dev.c2cast.microcast.nc.p2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.c2cast.microcast.nc.CodingParameters;
import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * {@link CodedSegmentStore} as the engines use it, with a digest manifest and with a lengths-only one: coded packets
 * from a source and a partial relay, plain packets, rejection of foreign packets, cellular supply checked against the
 * manifest.
 */
class CodedSegmentStoreTest
{
    private static final CodingParameters PARAMETERS = new CodingParameters(16, 64);

    private static SegmentManifest manifest(final byte[] file, final boolean digests)
    {
        return digests ? SegmentManifest.of(file, PARAMETERS) : SegmentManifest.lengthsOnly(file.length, PARAMETERS);
    }

    private static CodedSegmentStore source(final byte[] file, final SegmentManifest manifest, final long seed)
    {
        final CodedSegmentStore store = new CodedSegmentStore(manifest, seed);
        for (int segment = 0; segment < store.segmentCount(); segment++)
        {
            final int from = segment * PARAMETERS.capacity();
            assertTrue(store.supply(segment, file, from, manifest.segmentLength(segment)));
            store.loadSource(segment);
        }
        return store;
    }

    @Property(seeds = 30)
    void codedPacketsFromASourceAndARelayDecodeEverySegment(final Gen gen)
    {
        final byte[] file = gen.bytes(1, 5 * PARAMETERS.capacity());
        final SegmentManifest manifest = manifest(file, gen.bool());
        final CodedSegmentStore source = source(file, manifest, gen.longBetween(0, 1L << 40));
        final CodedSegmentStore relay = new CodedSegmentStore(manifest, 7);
        final CodedSegmentStore sink = new CodedSegmentStore(manifest, 9);
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
                assertTrue(sink.absorb(segment, 2, packet, packet.readerIndex(), packet.readableBytes()) !=
                    SegmentStore.ABSORB_REJECTED);
            }
            assertTrue(sink.isDecoded(segment), "segment " + segment + " decoded");
            assertEquals(PARAMETERS.generationSize(), sink.rank(segment));
            assertArrayEquals(source.segment(segment), sink.segment(segment));
        }
    }

    @Test
    void plainPacketsCarryTheirIndexAndRebuildTheShortLastSegment()
    {
        final byte[] file = new Gen(5).bytes(PARAMETERS.capacity() + 100);
        final SegmentManifest manifest = manifest(file, true);
        final CodedSegmentStore source = source(file, manifest, 1);
        final CodedSegmentStore sink = new CodedSegmentStore(manifest, 2);
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
        assertArrayEquals(source.segment(1), sink.segment(1));
        assertEquals(100, sink.segment(1).length);
        packet.clear();
        source.writePlain(1, 0, packet);
        assertEquals(SegmentStore.ABSORB_REDUNDANT, sink.absorb(1, 3, packet, 0, packet.readableBytes()));
    }

    @Test
    void rejectsPacketsOfAnotherSegmentOrGarbage()
    {
        final byte[] file = new Gen(6).bytes(2 * PARAMETERS.capacity());
        final SegmentManifest manifest = manifest(file, false);
        final CodedSegmentStore source = source(file, manifest, 1);
        final CodedSegmentStore sink = new CodedSegmentStore(manifest, 2);
        final ByteBuf packet = Unpooled.buffer();
        source.writeCoded(0, packet, new SplittableRandom(1));
        assertEquals(SegmentStore.ABSORB_REJECTED, sink.absorb(1, 3, packet, 0, packet.readableBytes()));
        assertEquals(SegmentStore.ABSORB_REJECTED,
            sink.absorb(0, 3, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), 0, 3));
        assertEquals(-1, sink.plainIndex(packet, 0, packet.readableBytes()));
        assertFalse(sink.isDecoded(0));
        assertEquals(0, sink.rank(1));
    }

    @Test
    void aCellularSegmentIsCheckedAgainstTheManifestAndALengthsOnlyManifestChecksLengths()
    {
        final byte[] file = new Gen(7).bytes(3 * PARAMETERS.capacity() - 10);
        final byte[] wrong = file.clone();
        wrong[5] ^= 1;
        final CodedSegmentStore verified = new CodedSegmentStore(manifest(file, true), 1);
        assertFalse(verified.supply(0, wrong, 0, PARAMETERS.capacity()), "a changed byte fails the digest");
        assertFalse(verified.isDecoded(0));
        assertTrue(verified.supply(0, file, 0, PARAMETERS.capacity()));
        assertTrue(verified.isDecoded(0));

        final SegmentManifest lengths = manifest(file, false);
        assertFalse(lengths.hasDigests());
        assertEquals(3, lengths.segmentCount());
        assertEquals(PARAMETERS.capacity() - 10, lengths.segmentLength(2));
        final CodedSegmentStore trusting = new CodedSegmentStore(lengths, 1);
        assertTrue(trusting.supply(0, wrong, 0, PARAMETERS.capacity()), "only the length is checked");
        assertFalse(trusting.supply(2, file, 2 * PARAMETERS.capacity(), PARAMETERS.capacity() - 11));
        assertArrayEquals(Arrays.copyOf(wrong, PARAMETERS.capacity()), trusting.segment(0));
        assertThrows(IllegalStateException.class, lengths::toBytes);
        assertEquals(SegmentManifest.lengthsOnly(file.length, PARAMETERS), lengths);
    }
}
