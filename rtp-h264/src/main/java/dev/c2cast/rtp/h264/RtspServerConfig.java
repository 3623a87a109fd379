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
 * @param clock                 monotonic nanosecond clock for session liveness and the receive jitter buffers.
 * @param gopCacheBytes         per stream, the most RTP bytes kept since the last IDR access unit so that a player
 *                              joining a live stream starts at that IDR; 0 disables the cache (a joining player then
 *                              starts at the next packet and the stream's source is asked for an IDR picture).
 * @param receiveLatencyNanos   jitter-buffer latency for RTP received from a client pushing with RECORD or from
 *                              {@link RtspServer#receiveRtp(String, H264MediaDescription, int)}.
 * @param retransmissionPackets per stream, how many recent RTP packets are kept to answer RFC 4585 generic NACKs
 *                              (a power of two; 0 disables retransmission).
 */
public record RtspServerConfig(
    String host,
    int port,
    int sessionTimeoutSeconds,
    int packetizationMode,
    int maxPacketSize,
    LongSupplier clock,
    int gopCacheBytes,
    long receiveLatencyNanos,
    int retransmissionPackets)
{
    /** Default session timeout (RFC 2326 section 12.37). */
    public static final int SESSION_TIMEOUT_SECONDS_DEFAULT = 60;
    /** Default GOP cache bound per stream: 4 MiB (a 2 s GOP at 16 Mbit/s). */
    public static final int GOP_CACHE_BYTES_DEFAULT = 4 * 1024 * 1024;
    /** Default jitter-buffer latency for received RTP. */
    public static final long RECEIVE_LATENCY_NANOS_DEFAULT = JitterBuffer.LATENCY_NANOS_DEFAULT;
    /** Default retransmission history per stream, in packets. */
    public static final int RETRANSMISSION_PACKETS_DEFAULT = 1024;

    /**
     * Validates the settings.
     *
     * @param host                  not null.
     * @param port                  0 to 65535.
     * @param sessionTimeoutSeconds at least 1.
     * @param packetizationMode     0 or 1.
     * @param maxPacketSize         see {@link PacketizerConfig}.
     * @param clock                 not null.
     * @param gopCacheBytes         0 or more.
     * @param receiveLatencyNanos   0 or more.
     * @param retransmissionPackets 0 or a power of two.
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
        if (gopCacheBytes < 0 || receiveLatencyNanos < 0)
        {
            throw new IllegalArgumentException("GOP cache " + gopCacheBytes + " or latency " + receiveLatencyNanos + " negative");
        }
        if (retransmissionPackets < 0 || (retransmissionPackets != 0 && Integer.bitCount(retransmissionPackets) != 1))
        {
            throw new IllegalArgumentException("retransmission history must be 0 or a power of two: " + retransmissionPackets);
        }
        new PacketizerConfig(packetizationMode, maxPacketSize, PacketizerConfig.PAYLOAD_TYPE_DEFAULT, 0, 0, false);
    }

    /**
     * Settings with the default GOP cache, receive latency and retransmission history.
     *
     * @param host                  not null.
     * @param port                  0 to 65535.
     * @param sessionTimeoutSeconds at least 1.
     * @param packetizationMode     0 or 1.
     * @param maxPacketSize         see {@link PacketizerConfig}.
     * @param clock                 not null.
     */
    public RtspServerConfig(
        final String host,
        final int port,
        final int sessionTimeoutSeconds,
        final int packetizationMode,
        final int maxPacketSize,
        final LongSupplier clock)
    {
        this(host, port, sessionTimeoutSeconds, packetizationMode, maxPacketSize, clock, GOP_CACHE_BYTES_DEFAULT,
            RECEIVE_LATENCY_NANOS_DEFAULT, RETRANSMISSION_PACKETS_DEFAULT);
    }

    /**
     * Loopback, any port, 60 s sessions, mode 1, 1200-byte packets, {@link System#nanoTime()}, 4 MiB GOP cache, 50 ms
     * receive latency, 1024 packets of retransmission history.
     *
     * @return the settings.
     */
    public static RtspServerConfig defaults()
    {
        return new RtspServerConfig("127.0.0.1", 0, SESSION_TIMEOUT_SECONDS_DEFAULT, 1, PacketizerConfig.MAX_PACKET_SIZE_DEFAULT, System::nanoTime);
    }

    /**
     * A copy with another GOP cache bound.
     *
     * @param bytes 0 to disable.
     * @return the settings.
     */
    public RtspServerConfig withGopCacheBytes(final int bytes)
    {
        return new RtspServerConfig(host, port, sessionTimeoutSeconds, packetizationMode, maxPacketSize, clock, bytes, receiveLatencyNanos,
            retransmissionPackets);
    }

    /**
     * A copy with another session timeout.
     *
     * @param seconds at least 1.
     * @return the settings.
     */
    public RtspServerConfig withSessionTimeoutSeconds(final int seconds)
    {
        return new RtspServerConfig(host, port, seconds, packetizationMode, maxPacketSize, clock, gopCacheBytes, receiveLatencyNanos,
            retransmissionPackets);
    }
}
