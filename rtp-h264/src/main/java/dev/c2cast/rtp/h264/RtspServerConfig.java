package dev.c2cast.rtp.h264;

import java.util.function.LongSupplier;

/**
 * Settings of an {@link RtspServer}, validated when built.
 *
 * @param host                  address to bind (for tests and embedding, {@code 127.0.0.1}).
 * @param port                  RTSP TCP port, 0 for any.
 * @param sessionTimeoutSeconds {@code Session: id;timeout=N}: a session without any RTSP request or RTCP packet for
 *                              this long is dropped (interleaved sessions live as long as their connection).
 * @param packetizationMode     0 or 1 for the streams served.
 * @param maxPacketSize         largest RTP packet sent.
 * @param clock                 monotonic nanosecond clock for session liveness.
 */
public record RtspServerConfig(
    String host,
    int port,
    int sessionTimeoutSeconds,
    int packetizationMode,
    int maxPacketSize,
    LongSupplier clock)
{
    /** Default session timeout (RFC 2326 section 12.37). */
    public static final int SESSION_TIMEOUT_SECONDS_DEFAULT = 60;

    /**
     * Validates the settings.
     *
     * @param host                  not null.
     * @param port                  0 to 65535.
     * @param sessionTimeoutSeconds at least 1.
     * @param packetizationMode     0 or 1.
     * @param maxPacketSize         see {@link PacketizerConfig}.
     * @param clock                 not null.
     */
    public RtspServerConfig
    {
        if (host == null || clock == null)
        {
            throw new IllegalArgumentException("host and clock are required");
        }
        if (port < 0 || port > 65535 || sessionTimeoutSeconds < 1)
        {
            throw new IllegalArgumentException("port " + port + " or timeout " + sessionTimeoutSeconds + " out of range");
        }
        new PacketizerConfig(packetizationMode, maxPacketSize, PacketizerConfig.PAYLOAD_TYPE_DEFAULT, 0, 0, false);
    }

    /**
     * Loopback, any port, 60 s sessions, mode 1, 1200-byte packets, {@link System#nanoTime()}.
     *
     * @return the settings.
     */
    public static RtspServerConfig defaults()
    {
        return new RtspServerConfig("127.0.0.1", 0, SESSION_TIMEOUT_SECONDS_DEFAULT, 1, PacketizerConfig.MAX_PACKET_SIZE_DEFAULT, System::nanoTime);
    }
}
