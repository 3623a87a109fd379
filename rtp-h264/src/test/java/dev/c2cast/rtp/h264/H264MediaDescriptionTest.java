package dev.c2cast.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class H264MediaDescriptionTest
{
    @Test
    void parsesFfmpegSdp()
    {
        final String sdp = "v=0\n"
            + "o=- 0 0 IN IP4 127.0.0.1\n"
            + "s=No Name\n"
            + "c=IN IP4 127.0.0.1\n"
            + "t=0 0\n"
            + "a=tool:libavformat 59.27.100\n"
            + "m=audio 5002 RTP/AVP 97\n"
            + "a=rtpmap:97 MPEG4-GENERIC/48000/2\n"
            + "a=fmtp:97 packetization-mode=9\n"
            + "m=video 5004 RTP/AVP 96\n"
            + "a=rtpmap:96 H264/90000\n"
            + "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z0LADdoFB+wEQAAAAwBAAAAPA8UKqA==,aM4PyA==; profile-level-id=42C00D\n";
        final H264MediaDescription d = H264MediaDescription.parse(sdp);
        assertEquals(96, d.payloadType());
        assertEquals(1, d.packetizationMode());
        assertEquals("42C00D", d.profileLevelId());
        assertArrayEquals(TestStreams.SPS_320X240, d.sequenceParameterSet());
        assertArrayEquals(TestStreams.PPS, d.pictureParameterSet());
        assertNull(d.control());
    }

    @Test
    void roundTripAndDefaults()
    {
        final H264MediaDescription d = H264MediaDescription.of(96, 0, TestStreams.SPS_320X240, TestStreams.PPS, "trackID=0");
        final String sdp = d.toSdp("c2cast", "127.0.0.1", 5004);
        assertTrue(sdp.contains("a=fmtp:96 packetization-mode=0;profile-level-id=42c00d;sprop-parameter-sets=Z0LADdoFB+wEQAAAAwBAAAAPA8UKqA==,aM4PyA==\r\n"), sdp);
        final H264MediaDescription back = H264MediaDescription.parse(sdp);
        assertEquals(0, back.packetizationMode());
        assertEquals("trackID=0", back.control());
        assertArrayEquals(TestStreams.PPS, back.pictureParameterSet());
        final H264MediaDescription bare = H264MediaDescription.parse("v=0\r\nm=video 0 RTP/AVP 97\r\na=rtpmap:97 h264/90000\r\n");
        assertEquals(0, bare.packetizationMode(), "RFC 6184: mode 0 when absent");
        assertTrue(bare.parameterSets().isEmpty());
    }

    @Test
    void rejectsMissingOrBrokenMedia()
    {
        assertEquals(RtpH264Exception.Reason.BAD_DESCRIPTION,
            assertThrows(RtpH264Exception.class, () -> H264MediaDescription.parse("v=0\nm=video 0 RTP/AVP 96\na=rtpmap:96 VP8/90000\n")).reason());
        assertThrows(RtpH264Exception.class,
            () -> H264MediaDescription.parse("m=video 0 RTP/AVP 96\na=rtpmap:96 H264/90000\na=fmtp:96 sprop-parameter-sets=%%%\n"));
        assertThrows(RtpH264Exception.class, () -> H264MediaDescription.parse("m=video 0 RTP/AVP x\n"));
    }
}
