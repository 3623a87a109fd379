package dev.c2cast.rtp.h264;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The H.264 video media description of an SDP (RFC 8866 with the RFC 6184 section 8.2 parameters): payload type,
 * {@code packetization-mode}, {@code profile-level-id} and the {@code sprop-parameter-sets}.
 * {@link #toSdp(String, String, int)} writes a complete session description that FFmpeg and GStreamer accept;
 * {@link #parse(String)} reads the first H.264 video media of any SDP.
 *
 * @param payloadType       the dynamic RTP payload type.
 * @param packetizationMode 0 or 1.
 * @param profileLevelId    six hex digits, or null if absent.
 * @param parameterSets     the decoded {@code sprop-parameter-sets} NAL units (SPS first by convention); the list
 *                          and arrays are not copied, do not modify them.
 * @param control           the {@code a=control} attribute of the media, or null.
 */
public record H264MediaDescription(
    int payloadType,
    int packetizationMode,
    String profileLevelId,
    List<byte[]> parameterSets,
    String control)
{
    /**
     * Validates the fields.
     *
     * @param payloadType       0 to 127.
     * @param packetizationMode 0, 1 or 2.
     * @param profileLevelId    null or six hex digits.
     * @param parameterSets     not null.
     * @param control           may be null.
     */
    public H264MediaDescription
    {
        if (payloadType < 0 || payloadType > 127)
        {
            throw bad("payload type " + payloadType);
        }
        if (packetizationMode < 0 || packetizationMode > 2)
        {
            throw bad("packetization-mode " + packetizationMode);
        }
        if (profileLevelId != null && !profileLevelId.matches("[0-9A-Fa-f]{6}"))
        {
            throw bad("profile-level-id " + profileLevelId);
        }
        parameterSets = List.copyOf(parameterSets);
    }

    /**
     * A description built from the stream's own parameter sets; {@code profile-level-id} comes from the SPS.
     *
     * @param payloadType       the payload type.
     * @param packetizationMode 0 or 1.
     * @param sps               the SPS NAL unit.
     * @param pps               the PPS NAL unit.
     * @param control           the media control attribute, or null.
     * @return the description.
     */
    public static H264MediaDescription of(
        final int payloadType, final int packetizationMode, final byte[] sps, final byte[] pps, final String control)
    {
        final String pli = SequenceParameterSet.parse(sps).profileLevelId();
        return new H264MediaDescription(payloadType, packetizationMode, pli, List.of(sps.clone(), pps.clone()), control);
    }

    /**
     * The first SPS among the parameter sets.
     *
     * @return the NAL unit, or null.
     */
    public byte[] sequenceParameterSet()
    {
        return firstOfType(NalUnitType.SPS);
    }

    /**
     * The first PPS among the parameter sets.
     *
     * @return the NAL unit, or null.
     */
    public byte[] pictureParameterSet()
    {
        return firstOfType(NalUnitType.PPS);
    }

    private byte[] firstOfType(final int type)
    {
        for (final byte[] nal : parameterSets)
        {
            if (nal.length > 0 && NalUnitType.of(nal[0]) == type)
            {
                return nal;
            }
        }
        return null;
    }

    /**
     * The {@code a=fmtp} value (without the payload type).
     *
     * @return such as {@code packetization-mode=1;profile-level-id=42c01e;sprop-parameter-sets=Z0LA...,aM4...}.
     */
    public String fmtp()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("packetization-mode=").append(packetizationMode);
        if (profileLevelId != null)
        {
            sb.append(";profile-level-id=").append(profileLevelId.toLowerCase(Locale.ROOT));
        }
        if (!parameterSets.isEmpty())
        {
            sb.append(";sprop-parameter-sets=");
            for (int i = 0; i < parameterSets.size(); i++)
            {
                if (i > 0)
                {
                    sb.append(',');
                }
                sb.append(Base64.getEncoder().encodeToString(parameterSets.get(i)));
            }
        }
        return sb.toString();
    }

    /**
     * The media section: {@code m=}, {@code a=rtpmap}, {@code a=fmtp} and, if set, {@code a=control}, with CRLF line
     * ends.
     *
     * @param port the media port ({@code 0} under RTSP).
     * @return the lines.
     */
    public String mediaSection(final int port)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("m=video ").append(port).append(" RTP/AVP ").append(payloadType).append("\r\n");
        sb.append("a=rtpmap:").append(payloadType).append(" H264/").append(RtpTimestamps.VIDEO_CLOCK_RATE).append("\r\n");
        sb.append("a=fmtp:").append(payloadType).append(' ').append(fmtp()).append("\r\n");
        if (control != null)
        {
            sb.append("a=control:").append(control).append("\r\n");
        }
        return sb.toString();
    }

    /**
     * A whole session description with this one medium.
     *
     * @param sessionName the {@code s=} line (may be empty).
     * @param address     the IPv4 address for {@code o=} and {@code c=}.
     * @param port        the media port.
     * @return the SDP text with CRLF line ends.
     */
    public String toSdp(final String sessionName, final String address, final int port)
    {
        return "v=0\r\n"
            + "o=- 0 0 IN IP4 " + address + "\r\n"
            + "s=" + sessionName + "\r\n"
            + "c=IN IP4 " + address + "\r\n"
            + "t=0 0\r\n"
            + mediaSection(port);
    }

    /**
     * Reads the first {@code m=video} media whose {@code rtpmap} names H264.
     *
     * @param sdp the session description (LF or CRLF line ends).
     * @return the description.
     * @throws RtpH264Exception with {@link RtpH264Exception.Reason#BAD_DESCRIPTION} if there is no such media or a
     *                          parameter is invalid.
     */
    public static H264MediaDescription parse(final String sdp)
    {
        final String[] lines = sdp.split("\r?\n");
        boolean inVideo = false;
        List<Integer> formats = new ArrayList<>();
        int payloadType = -1;
        String fmtp = null;
        String control = null;
        final List<String> videoLines = new ArrayList<>();
        for (final String raw : lines)
        {
            final String line = raw.trim();
            if (line.startsWith("m="))
            {
                if (payloadType >= 0)
                {
                    break;
                }
                inVideo = line.startsWith("m=video ");
                formats = new ArrayList<>();
                videoLines.clear();
                control = null;
                if (inVideo)
                {
                    final String[] parts = line.substring(2).split(" +");
                    for (int i = 3; i < parts.length; i++)
                    {
                        formats.add(parseInt(parts[i], "format"));
                    }
                }
                continue;
            }
            if (!inVideo)
            {
                continue;
            }
            videoLines.add(line);
            if (line.startsWith("a=rtpmap:"))
            {
                final String value = line.substring("a=rtpmap:".length());
                final int space = value.indexOf(' ');
                if (space > 0 && value.substring(space + 1).trim().toUpperCase(Locale.ROOT).startsWith("H264/"))
                {
                    final int pt = parseInt(value.substring(0, space), "rtpmap payload type");
                    if (formats.contains(pt) && payloadType < 0)
                    {
                        payloadType = pt;
                    }
                }
            }
            else if (line.startsWith("a=control:"))
            {
                control = line.substring("a=control:".length());
            }
        }
        if (payloadType < 0)
        {
            throw bad("no H264 video media");
        }
        for (final String line : videoLines)
        {
            final String prefix = "a=fmtp:" + payloadType + " ";
            if (line.startsWith(prefix))
            {
                fmtp = line.substring(prefix.length());
            }
        }
        int mode = 0;
        String pli = null;
        final List<byte[]> sets = new ArrayList<>();
        if (fmtp != null)
        {
            for (final String parameter : fmtp.split(";"))
            {
                final String p = parameter.trim();
                final int eq = p.indexOf('=');
                if (eq <= 0)
                {
                    continue;
                }
                final String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                final String value = p.substring(eq + 1).trim();
                switch (key)
                {
                    case "packetization-mode":
                        mode = parseInt(value, key);
                        break;
                    case "profile-level-id":
                        pli = value;
                        break;
                    case "sprop-parameter-sets":
                        for (final String b64 : value.split(","))
                        {
                            if (!b64.isEmpty())
                            {
                                try
                                {
                                    sets.add(Base64.getDecoder().decode(b64.getBytes(StandardCharsets.US_ASCII)));
                                }
                                catch (final IllegalArgumentException ex)
                                {
                                    throw bad("sprop-parameter-sets: " + ex.getMessage());
                                }
                            }
                        }
                        break;
                    default:
                        break;
                }
            }
        }
        return new H264MediaDescription(payloadType, mode, pli, sets, control);
    }

    private static int parseInt(final String text, final String what)
    {
        try
        {
            return Integer.parseInt(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw bad(what + " '" + text + "'");
        }
    }

    private static RtpH264Exception bad(final String message)
    {
        return new RtpH264Exception(RtpH264Exception.Reason.BAD_DESCRIPTION, message);
    }
}
