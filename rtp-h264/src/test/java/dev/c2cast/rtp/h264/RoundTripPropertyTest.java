package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Packetizer to depacketizer, clean and with seeded loss. */
class RoundTripPropertyTest
{
    private static final class Stream
    {
        final List<List<byte[]>> expected = new ArrayList<>();
        final List<Boolean> idr = new ArrayList<>();
        final List<byte[]> packets = new ArrayList<>();
        final List<Integer> auOfPacket = new ArrayList<>();
    }

    private static Stream stream(final Gen gen, final PacketizerConfig config)
    {
        final Stream s = new Stream();
        final H264Packetizer p = new H264Packetizer(config);
        p.parameterSets(TestStreams.SPS_320X240, TestStreams.PPS);
        final boolean inBand = gen.bool();
        final int maxSlice = config.packetizationMode() == 0 ? config.maxPayloadSize() / 2 : gen.pick(List.of(200, 3000, 20000));
        final int gop = gen.intBetween(3, 12);
        final int count = gen.intBetween(10, 60);
        for (int k = 0; k < count; k++)
        {
            final boolean idr = k % gop == 0;
            final List<byte[]> au = TestStreams.accessUnit(gen, idr, true, maxSlice);
            final List<byte[]> sent = new ArrayList<>(au);
            if (!inBand)
            {
                sent.removeIf(n -> NalUnitType.of(n[0]) == NalUnitType.SPS || NalUnitType.of(n[0]) == NalUnitType.PPS);
            }
            s.expected.add(au);
            s.idr.add(idr);
            final ByteBuf buf = TestStreams.concat(sent);
            for (final byte[] packet : TestStreams.packetize(p, buf, 3000L * k + 0xFFFF_0000L))
            {
                s.packets.add(packet);
                s.auOfPacket.add(k);
            }
        }
        return s;
    }

    private static PacketizerConfig config(final Gen gen)
    {
        final int mode = gen.chance(0.2) ? 0 : 1;
        return new PacketizerConfig(mode, gen.pick(mode == 0 ? List.of(500, 1200, 1400) : List.of(60, 500, 1200, 1400)), 96, gen.intBetween(0, 1 << 30), gen.intBetween(0, 65535),
            mode == 1 && gen.bool());
    }

    @Property(seeds = 80)
    void cleanStreamComesBackByteForByte(final Gen gen)
    {
        final Stream s = stream(gen, config(gen));
        final List<List<byte[]>> out = new ArrayList<>();
        final H264Depacketizer d = new H264Depacketizer((au, ts, key, complete) ->
        {
            assertTrue(complete);
            out.add(TestStreams.nals(PacketizerTest.bytes(au)));
        });
        s.packets.forEach(p -> d.onPacket(Unpooled.wrappedBuffer(p)));
        assertEquals(s.expected.size(), out.size());
        for (int k = 0; k < out.size(); k++)
        {
            assertNals(s.expected.get(k), out.get(k), "AU " + k);
        }
        assertEquals(0, d.lossBursts());
    }

    @Property(seeds = 80)
    void lossNeverEmitsADamagedNalAndRecoversAtTheNextIntactIdr(final Gen gen)
    {
        final Stream s = stream(gen, config(gen));
        final double loss = gen.pick(List.of(0.01, 0.05, 0.2));
        final boolean[] dropped = new boolean[s.packets.size()];
        final Map<Long, List<byte[]>> emitted = new HashMap<>();
        final int[] requests = {0};
        final H264Depacketizer d = new H264Depacketizer(new AccessUnitListener()
        {
            @Override
            public void onAccessUnit(final ByteBuf au, final long ts, final boolean key, final boolean complete)
            {
                emitted.put(ts, TestStreams.nals(PacketizerTest.bytes(au)));
            }

            @Override
            public void onKeyframeRequest()
            {
                requests[0]++;
            }
        });
        d.expectSequenceNumber(new RtpHeader().wrap(Unpooled.wrappedBuffer(s.packets.get(0))).sequenceNumber());
        int bursts = 0;
        boolean inBurst = false;
        boolean receivedAny = true;
        for (int i = 0; i < s.packets.size(); i++)
        {
            dropped[i] = gen.chance(loss);
            if (dropped[i])
            {
                inBurst = true;
                continue;
            }
            if (inBurst && receivedAny)
            {
                bursts++;
            }
            inBurst = false;
            receivedAny = true;
            d.onPacket(Unpooled.wrappedBuffer(s.packets.get(i)));
        }
        d.flush();
        assertEquals(bursts, requests[0], "one keyframe request per loss burst");
        for (final Map.Entry<Long, List<byte[]>> e : emitted.entrySet())
        {
            final int k = index(e.getKey());
            assertWholePicture(s.expected.get(k), e.getValue(), "emitted AU " + k);
        }
        boolean decodable = false;
        for (int k = 0; k < s.expected.size(); k++)
        {
            final boolean clean = clean(s, dropped, k);
            if (s.idr.get(k) && clean)
            {
                decodable = true;
            }
            if (!clean)
            {
                decodable = false;
            }
            if (decodable)
            {
                assertNotNull(emitted.get((3000L * k + 0xFFFF_0000L) & 0xFFFF_FFFFL), "AU " + k + " after an intact IDR with no loss since");
            }
        }
    }

    @Property(seeds = 50)
    void passIntactPolicyEmitsOnlyWholeNalUnits(final Gen gen)
    {
        final Stream s = stream(gen, config(gen));
        final List<Long> keys = new ArrayList<>();
        final List<List<byte[]>> outs = new ArrayList<>();
        final H264Depacketizer d = new H264Depacketizer((au, ts, key, complete) ->
        {
            keys.add(ts);
            outs.add(TestStreams.nals(PacketizerTest.bytes(au)));
        }, H264Depacketizer.LossPolicy.PASS_INTACT_NAL_UNITS);
        for (int i = 0; i < s.packets.size(); i++)
        {
            if (!gen.chance(0.05))
            {
                d.onPacket(Unpooled.wrappedBuffer(s.packets.get(i)));
            }
        }
        d.flush();
        for (int j = 0; j < outs.size(); j++)
        {
            final List<byte[]> expected = s.expected.get(index(keys.get(j)));
            for (final byte[] nal : outs.get(j))
            {
                assertTrue(expected.stream().anyMatch(e -> java.util.Arrays.equals(e, nal)), "emitted NAL is one that was sent, whole");
            }
        }
    }

    private static int index(final long timestamp)
    {
        return (int)(((timestamp - 0xFFFF_0000L) & 0xFFFF_FFFFL) / 3000);
    }

    private static boolean clean(final Stream s, final boolean[] dropped, final int k)
    {
        int first = s.auOfPacket.indexOf(k);
        final int last = s.auOfPacket.lastIndexOf(k);
        first = Math.max(0, first - 1);
        for (int i = first; i <= last; i++)
        {
            if (dropped[i])
            {
                return false;
            }
        }
        return true;
    }

    /** Every slice present and unchanged, in order; other NAL units whole (lost ones may be missing). */
    private static void assertWholePicture(final List<byte[]> expected, final List<byte[]> actual, final String what)
    {
        final List<byte[]> expectedSlices = new ArrayList<>();
        final List<byte[]> actualSlices = new ArrayList<>();
        expected.stream().filter(n -> NalUnitType.isPicture(NalUnitType.of(n[0]))).forEach(expectedSlices::add);
        actual.stream().filter(n -> NalUnitType.isPicture(NalUnitType.of(n[0]))).forEach(actualSlices::add);
        assertNals(expectedSlices, actualSlices, what + " slices");
        for (final byte[] nal : actual)
        {
            assertTrue(expected.stream().anyMatch(e -> java.util.Arrays.equals(e, nal)), what + ": NAL of type " + NalUnitType.of(nal[0]) + " whole");
        }
    }

    private static void assertNals(final List<byte[]> expected, final List<byte[]> actual, final String what)
    {
        assertEquals(expected.size(), actual.size(), what + " NAL count");
        for (int i = 0; i < expected.size(); i++)
        {
            assertArrayEquals(expected.get(i), actual.get(i), what + " NAL " + i);
        }
    }
}
