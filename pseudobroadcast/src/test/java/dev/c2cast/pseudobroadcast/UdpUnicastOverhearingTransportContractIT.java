package dev.c2cast.pseudobroadcast;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.c2cast.testkit.SlowTest;

/**
 * The transport contract on {@link UdpTransport} in {@link UdpTransportConfig.Mode#UNICAST} mode (true unicast to the peer's address, overheard through the nftables netdev rule of NamespaceHub#overhear), each node a
 * JVM in its own network namespace on a lossless {@link NamespaceHub}. Needs root, ip, nft and tc.
 */
@SlowTest
class UdpUnicastOverhearingTransportContractIT extends TransportContractTest
{
    private static RemoteGroup remote;

    @BeforeAll
    static void startNodes() throws Exception
    {
        NamespaceHub.requireEnvironment();
        remote = RemoteGroup.start(UdpTransportConfig.Mode.UNICAST, "10.77.0.255");
    }

    @AfterAll
    static void stopNodes()
    {
        if (remote != null)
        {
            remote.shutdown();
        }
    }

    @Override
    Group createGroup(final int nodes) throws Exception
    {
        return remote.reset();
    }
}
