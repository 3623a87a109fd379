package dev.c2cast.microcast.download;

/**
 * Reliable, in-order delivery of encoded control messages to one device of the group (the pseudobroadcast
 * reliable messaging in a deployment, a queue in tests).
 */
@FunctionalInterface
public interface ControlTransport
{
    /**
     * Sends an encoded message; the transport owns the array afterwards.
     *
     * @param deviceId the destination device.
     * @param message  protobuf bytes from {@link ControlCodec}.
     */
    void send(int deviceId, byte[] message);
}
