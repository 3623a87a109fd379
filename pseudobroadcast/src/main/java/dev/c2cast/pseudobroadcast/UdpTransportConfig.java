package dev.c2cast.pseudobroadcast;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.Objects;

/**
 * Parameters of a {@link UdpTransport}, validated when built.
 *
 * @param mode             how frames reach the group.
 * @param groupAddress     {@link Mode#MULTICAST}: the IPv4 multicast group and port every member joins;
 *                         {@link Mode#BROADCAST} and {@link Mode#UNICAST}: the broadcast address (subnet or
 *                         255.255.255.255) and the port every member binds, used for frames to everyone.
 * @param networkInterface the interface to join the group on and send multicast through; null lets the kernel
 *                         choose (multicast needs one on hosts without a default route, such as loopback tests).
 * @param bindAddress      local address to bind; null binds the wildcard address (required to receive multicast
 *                         and broadcast).
 * @param ttl              IP multicast time-to-live (1 keeps frames on the local link).
 * @param loopback         whether this host's own multicast frames are looped back (needed when several nodes
 *                         share one host; a node ignores its own frames either way).
 * @param groupId          the pseudo-broadcast group id in every frame header.
 * @param maxPayloadLength largest payload, so that header plus payload fit the path MTU.
 */
public record UdpTransportConfig(
    Mode mode,
    InetSocketAddress groupAddress,
    NetworkInterface networkInterface,
    InetAddress bindAddress,
    int ttl,
    boolean loopback,
    int groupId,
    int maxPayloadLength)
{
    /** Default multicast TTL: link-local. */
    public static final int TTL_DEFAULT = 1;
    /** Default group id (the simulated medium's default, so the two interoperate in captures). */
    public static final int GROUP_ID_DEFAULT = MediumConfig.GROUP_ID_DEFAULT;
    /** Default maximum payload: 1400 bytes, which fits a 1500-byte MTU with IP, UDP and the frame header. */
    public static final int MAX_PAYLOAD_LENGTH_DEFAULT = MediumConfig.MAX_PAYLOAD_LENGTH_DEFAULT;
    /** Largest payload a UDP datagram can carry after the frame header. */
    public static final int MAX_UDP_PAYLOAD_LENGTH = 65_507 - FrameHeader.HEADER_LENGTH;

    /**
     * Validates the parameters.
     *
     * @param mode             see the record description.
     * @param groupAddress     see the record description.
     * @param networkInterface see the record description.
     * @param bindAddress      see the record description.
     * @param ttl              see the record description.
     * @param loopback         see the record description.
     * @param groupId          see the record description.
     * @param maxPayloadLength see the record description.
     */
    public UdpTransportConfig
    {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(groupAddress, "groupAddress");
        if (groupAddress.isUnresolved() || !(groupAddress.getAddress() instanceof Inet4Address))
        {
            throw new IllegalArgumentException("groupAddress must be a resolved IPv4 address: " + groupAddress);
        }
        if (mode == Mode.MULTICAST && !groupAddress.getAddress().isMulticastAddress())
        {
            throw new IllegalArgumentException("MULTICAST mode needs a multicast group: " + groupAddress);
        }
        if (mode != Mode.MULTICAST && groupAddress.getAddress().isMulticastAddress())
        {
            throw new IllegalArgumentException(mode + " mode needs a broadcast address, not a group: " + groupAddress);
        }
        if (ttl < 0 || ttl > 255)
        {
            throw new IllegalArgumentException("ttl must be in 0..255: " + ttl);
        }
        if (maxPayloadLength < 1 || maxPayloadLength > MAX_UDP_PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException("maxPayloadLength must be in 1.." + MAX_UDP_PAYLOAD_LENGTH);
        }
    }

    /**
     * A multicast configuration with the defaults.
     *
     * @param group            the multicast group and port.
     * @param networkInterface interface to use, or null.
     * @return the configuration.
     */
    public static UdpTransportConfig multicast(final InetSocketAddress group, final NetworkInterface networkInterface)
    {
        return new UdpTransportConfig(Mode.MULTICAST, group, networkInterface, null, TTL_DEFAULT, true,
            GROUP_ID_DEFAULT, MAX_PAYLOAD_LENGTH_DEFAULT);
    }

    /**
     * A copy with another group id.
     *
     * @param value the group id.
     * @return the new configuration.
     */
    public UdpTransportConfig withGroupId(final int value)
    {
        return new UdpTransportConfig(mode, groupAddress, networkInterface, bindAddress, ttl, loopback, value,
            maxPayloadLength);
    }

    /**
     * A copy with another maximum payload.
     *
     * @param value bytes.
     * @return the new configuration.
     */
    public UdpTransportConfig withMaxPayloadLength(final int value)
    {
        return new UdpTransportConfig(mode, groupAddress, networkInterface, bindAddress, ttl, loopback, groupId,
            value);
    }

    /**
     * How frames reach the group.
     */
    public enum Mode
    {
        /** Every frame goes to the IP multicast group; every member hears every frame. */
        MULTICAST,
        /** Every frame goes to the broadcast address; every member hears every frame. */
        BROADCAST,
        /**
         * A frame to one peer goes by unicast to the address that peer's frames come from (true unicast, with the
         * link layer's rate and retries); the others overhear it only where the host delivers frames for other
         * hosts to the socket, such as the nftables rule in docs/pseudobroadcast/OVERHEARING.md. Frames to
         * everyone, and frames to peers not heard yet, go to the broadcast address.
         */
        UNICAST
    }
}
