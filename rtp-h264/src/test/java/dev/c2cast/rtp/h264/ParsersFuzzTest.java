package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Every parser either accepts its input or fails with the module's one exception type, and stays in bounds. */
class ParsersFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void rtpHeader(final byte[] data)
    {
        final ByteBuf buf = Unpooled.wrappedBuffer(data);
        try
        {
            final RtpHeader h = new RtpHeader().wrap(buf);
            assertTrue(h.payloadIndex() + h.payloadLength() <= data.length);
            assertTrue(h.payloadLength() >= 0);
            for (int i = 0; i < h.csrcCount(); i++)
            {
                h.csrc(i);
            }
            h.extensionDataLength();
        }
        catch (final RtpH264Exception expected)
        {
            // malformed input is reported with the typed exception
        }
    }

    @FuzzTest(maxDuration = "60s")
    void rtcp(final byte[] data)
    {
        try
        {
            Rtcp.parse(Unpooled.wrappedBuffer(data), 0, data.length, new RtcpListener() { });
        }
        catch (final RtpH264Exception expected)
        {
            // malformed input is reported with the typed exception
        }
    }

    @FuzzTest(maxDuration = "60s")
    void depacketizerStateMachine(final FuzzedDataProvider data)
    {
        final long[] emitted = {0};
        final H264Depacketizer d = new H264Depacketizer(
            (au, ts, key, complete) ->
            {
                emitted[0]++;
                // fuzzed payloads are not escaped, so only the first NAL unit's position is known for sure
                assertTrue(au.readableBytes() > 4 && au.getInt(au.readerIndex()) == 1, "starts with a 4-byte start code");
                assertTrue((au.getByte(au.readerIndex() + 4) & 0x80) == 0, "forbidden_zero_bit clear");
            },
            data.consumeBoolean() ? H264Depacketizer.LossPolicy.DROP_UNTIL_KEYFRAME : H264Depacketizer.LossPolicy.PASS_INTACT_NAL_UNITS);
        int seq = data.consumeInt(0, 65535);
        long ts = 0;
        while (data.remainingBytes() > 4)
        {
            final ByteBuf p = Unpooled.buffer();
            seq = (seq + data.consumeInt(-2, 3)) & 0xFFFF;
            if (data.consumeBoolean())
            {
                ts += 3000;
            }
            RtpHeader.writeFixedHeader(p, data.consumeBoolean(), 96, seq, ts, 1);
            p.writeBytes(data.consumeBytes(data.consumeInt(0, 1400)));
            d.onPacket(p);
        }
        d.flush();
        assertTrue(emitted[0] == d.accessUnits());
    }

    /**
     * The receive path of a pushed stream (jitter buffer, NACK of what is missing, depacketizer) and the GOP cache's
     * IDR detection on arbitrary packets: releases stay in order, every NACK written parses back to the same range.
     */
    @FuzzTest(maxDuration = "60s")
    void receivePipelineAndNackRange(final FuzzedDataProvider data)
    {
        final dev.c2cast.testkit.FakeClock clock = new dev.c2cast.testkit.FakeClock();
        final H264Depacketizer depacketizer = new H264Depacketizer((au, ts, key, complete) -> assertTrue(au.readableBytes() > 4));
        final long[] last = {-1};
        final ByteBuf nack = Unpooled.buffer();
        final JitterBuffer jitter = new JitterBuffer(64, 20_000_000L, clock, new JitterBufferListener()
        {
            @Override
            public void onPacket(final ByteBuf packet, final long extendedSequence)
            {
                assertTrue(extendedSequence > last[0], "released in order");
                last[0] = extendedSequence;
                depacketizer.onPacket(packet);
                packet.release();
            }

            @Override
            public void onLoss(final long firstExtendedSequence, final long count)
            {
                assertTrue(count >= 1);
                depacketizer.onLoss();
            }

            @Override
            public void onMissing(final long firstExtendedSequence, final long count)
            {
                final int n = (int)Math.min(count, Rtcp.NACK_RANGE_MAX);
                nack.clear();
                Rtcp.writeNackRange(nack, 1, 2, (int)(firstExtendedSequence & 0xFFFF), n);
                final List<Integer> named = new java.util.ArrayList<>();
                Rtcp.parse(nack, 0, nack.readableBytes(), new RtcpListener()
                {
                    @Override
                    public void onNack(final int senderSsrc, final int mediaSsrc, final int sequenceNumber)
                    {
                        named.add(sequenceNumber);
                    }
                });
                assertEquals(n, named.size());
                for (int i = 0; i < n; i++)
                {
                    assertEquals((int)((firstExtendedSequence + i) & 0xFFFF), named.get(i));
                }
            }
        });
        int seq = data.consumeInt(0, 65535);
        while (data.remainingBytes() > 4)
        {
            final ByteBuf p = Unpooled.buffer();
            seq = (seq + data.consumeInt(-40, 200)) & 0xFFFF;
            RtpHeader.writeFixedHeader(p, data.consumeBoolean(), 96, seq, 3000L * (seq / 7), 1);
            p.writeBytes(data.consumeBytes(data.consumeInt(0, 300)));
            LiveStream.carriesIdrSlice(p);
            jitter.offer(p);
            clock.advanceNanos(data.consumeLong(0, 40_000_000L));
            jitter.poll();
        }
        jitter.flush();
        assertEquals(0, jitter.held());
        depacketizer.flush();
    }

    @FuzzTest(maxDuration = "60s")
    void sdp(final byte[] data)
    {
        try
        {
            final H264MediaDescription d = H264MediaDescription.parse(new String(data, StandardCharsets.ISO_8859_1));
            H264MediaDescription.parse(d.toSdp("", "127.0.0.1", 0));
        }
        catch (final RtpH264Exception expected)
        {
            // malformed input is reported with the typed exception
        }
    }

    @FuzzTest(maxDuration = "60s")
    void annexBAndSps(final byte[] data)
    {
        AnnexB.forEachNalUnit(Unpooled.wrappedBuffer(data), (b, i, l) ->
        {
            assertTrue(l > 0 && b.getByte(i + l - 1) != 0);
            if (NalUnitType.of(b.getByte(i)) == NalUnitType.SPS)
            {
                final byte[] nal = new byte[l];
                b.getBytes(i, nal);
                try
                {
                    SequenceParameterSet.parse(nal);
                }
                catch (final RtpH264Exception expected)
                {
                    // malformed SPS
                }
            }
        });
    }

    @FuzzTest(maxDuration = "60s")
    void rtspFramingAndTransport(final FuzzedDataProvider data)
    {
        try
        {
            RtspTransport.parse(data.consumeString(200));
        }
        catch (final RtpH264Exception expected)
        {
            // malformed input is reported with the typed exception
        }
        final io.netty.channel.embedded.EmbeddedChannel channel = new io.netty.channel.embedded.EmbeddedChannel(
            new RtspFramer(), new io.netty.handler.codec.rtsp.RtspDecoder(), new io.netty.handler.codec.http.HttpObjectAggregator(65536));
        try
        {
            channel.writeInbound(Unpooled.wrappedBuffer(data.consumeRemainingAsBytes()));
            for (Object message = channel.readInbound(); message != null; message = channel.readInbound())
            {
                io.netty.util.ReferenceCountUtil.release(message);
            }
            channel.finishAndReleaseAll();
        }
        catch (final io.netty.handler.codec.DecoderException | RtpH264Exception expected)
        {
            // malformed input is reported with a typed exception; the server closes such a connection
            channel.releaseInbound();
        }
    }
}
