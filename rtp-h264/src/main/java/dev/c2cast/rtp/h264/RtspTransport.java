package dev.c2cast.rtp.h264;

import java.util.Locale;

/**
 * An RTSP {@code Transport} header (RFC 2326 section 12.39), parsed leniently: parameters in any order, profiles
 * {@code RTP/AVP}, {@code RTP/AVP/UDP} and {@code RTP/AVP/TCP}, ports given as a range or a single number, and
 * alternatives separated by commas (the first usable one is taken).
 *
 * @param tcp           interleaved over the RTSP connection.
 * @param clientRtpPort the client's RTP port, or -1.
 * @param clientRtcpPort the client's RTCP port, or -1.
 * @param rtpChannel    the interleaved RTP channel, or -1 if the client gave none.
 * @param rtcpChannel   the interleaved RTCP channel, or -1.
 * @param record        {@code mode=record}: the client will send media.
 */
public record RtspTransport(boolean tcp, int clientRtpPort, int clientRtcpPort, int rtpChannel, int rtcpChannel, boolean record)
{
    /**
     * Parses a Transport header value.
     *
     * @param value the header value.
     * @return the first usable transport.
     * @throws RtpH264Exception with {@link RtpH264Exception.Reason#BAD_DESCRIPTION} if none is usable.
     */
    public static RtspTransport parse(final String value)
    {
        for (final String alternative : value.split(","))
        {
            final RtspTransport t = parseOne(alternative.trim());
            if (t != null)
            {
                return t;
            }
        }
        throw new RtpH264Exception(RtpH264Exception.Reason.BAD_DESCRIPTION, "no usable transport in '" + value + "'");
    }

    private static RtspTransport parseOne(final String spec)
    {
        final String[] parts = spec.split(";");
        if (parts.length == 0)
        {
            return null;
        }
        final String profile = parts[0].trim().toUpperCase(Locale.ROOT);
        final boolean tcp;
        if (profile.equals("RTP/AVP") || profile.equals("RTP/AVP/UDP"))
        {
            tcp = false;
        }
        else if (profile.equals("RTP/AVP/TCP"))
        {
            tcp = true;
        }
        else
        {
            return null;
        }
        int[] ports = {-1, -1};
        int[] channels = {-1, -1};
        boolean record = false;
        for (int i = 1; i < parts.length; i++)
        {
            final String p = parts[i].trim();
            final int eq = p.indexOf('=');
            final String key = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            final String val = eq < 0 ? "" : p.substring(eq + 1).trim();
            switch (key)
            {
                case "client_port":
                    ports = range(val);
                    break;
                case "interleaved":
                    channels = range(val);
                    break;
                case "mode":
                    record = val.replace("\"", "").equalsIgnoreCase("record");
                    break;
                default:
                    break;
            }
        }
        if (!tcp && ports[0] < 0)
        {
            return null;
        }
        return new RtspTransport(tcp, ports[0], ports[1], channels[0], channels[1], record);
    }

    private static int[] range(final String value)
    {
        try
        {
            final int dash = value.indexOf('-');
            if (dash < 0)
            {
                final int a = Integer.parseInt(value);
                return new int[] {a, a + 1};
            }
            return new int[] {Integer.parseInt(value.substring(0, dash)), Integer.parseInt(value.substring(dash + 1))};
        }
        catch (final NumberFormatException ex)
        {
            throw new RtpH264Exception(RtpH264Exception.Reason.BAD_DESCRIPTION, "port or channel range '" + value + "'");
        }
    }
}
