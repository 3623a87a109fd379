package dev.c2cast.pseudobroadcast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import dev.c2cast.testkit.Hex;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Transport} implementation shares (JCTools' one-contract-per-implementation pattern):
 * subclasses provide a {@link Group} of nodes on their substrate, on a lossless medium.
 */
abstract class TransportContractTest
{
    /** An application frame type the harness records besides {@link FrameType#DATA}. */
    static final int APP_TYPE = FrameType.FIRST_APPLICATION_TYPE;
    /** A type nobody listens to. */
    static final int UNHANDLED_TYPE = FrameType.FIRST_APPLICATION_TYPE + 1;
    /** The group id the harness opens its transports with. */
    static final int GROUP_ID = 0x7E570001;
    /** Outcome of {@link Group#send}: queued. */
    static final int SENT = 1;
    /** Outcome of {@link Group#send}: rejected (false). */
    static final int REJECTED = 0;
    /** Outcome of {@link Group#send}: IllegalArgumentException. */
    static final int ILLEGAL = -1;

    /**
     * A frame a node's listener recorded.
     *
     * @param type        frame type.
     * @param source      sender.
     * @param destination intended receiver.
     * @param overheard   overheard flag.
     * @param payload     payload copy.
     */
    record Received(int type, long source, long destination, boolean overheard, byte[] payload)
    {
    }

    /**
     * Nodes 0..n-1 with node ids 1..n on one substrate, each recording frames of {@link FrameType#DATA} and
     * {@link #APP_TYPE}.
     */
    interface Group
    {
        /**
         * Sends a frame from a node.
         *
         * @return {@link #SENT}, {@link #REJECTED} or {@link #ILLEGAL}.
         */
        int send(int from, int type, long destination, byte[] payload);

        List<Received> received(int node);

        PeerCounters counters(int node, long peer);

        /** Malformed, oversized, other-group and unhandled drop counters, broadcast frames and rejected sends. */
        long[] drops(int node);

        /** Hands raw bytes to a node's receive path as the substrate would (other nodes may get them too). */
        void injectRaw(int node, byte[] frame) throws Exception;

        /** Runs the substrate until the condition holds or a bound passes. */
        boolean await(BooleanSupplier condition) throws Exception;

        int maxPayloadLength();

        void closeNode(int node) throws Exception;

        void close() throws Exception;
    }

    private Group group;

    /**
     * Creates the group under test.
     *
     * @param nodes number of nodes.
     * @return the group.
     * @throws Exception if the substrate cannot be set up.
     */
    abstract Group createGroup(int nodes) throws Exception;

    private Group group(final int nodes) throws Exception
    {
        group = createGroup(nodes);
        return group;
    }

    @AfterEach
    void closeGroup() throws Exception
    {
        if (group != null)
        {
            group.close();
        }
    }

    static long id(final int node)
    {
        return node + 1;
    }

    @Test
    void unicastReachesItsDestinationAndIsOverheardByEveryOtherNode() throws Exception
    {
        final Group g = group(4);
        for (int i = 0; i < 20; i++)
        {
            assertEquals(SENT, g.send(0, FrameType.DATA, id(1), new byte[] {(byte)i, 42}));
        }
        assertTrue(g.await(() -> g.received(1).size() == 20 && g.received(2).size() == 20 && g.received(3).size() == 20),
            "every node hears every frame on a lossless medium");
        for (int node = 1; node < 4; node++)
        {
            for (int i = 0; i < 20; i++)
            {
                final Received r = g.received(node).get(i);
                assertEquals(FrameType.DATA, r.type());
                assertEquals(id(0), r.source());
                assertEquals(id(1), r.destination());
                assertEquals(node != 1, r.overheard(), "only the destination gets it as not overheard");
                assertArrayEquals(new byte[] {(byte)i, 42}, r.payload());
            }
        }
        assertTrue(g.received(0).isEmpty(), "a node does not hear itself");
    }

    @Test
    void broadcastReachesEveryOtherNodeAndIsNotOverheard() throws Exception
    {
        final Group g = group(3);
        assertEquals(SENT, g.send(2, FrameType.DATA, NodeId.BROADCAST_VALUE, new byte[] {1, 2, 3}));
        assertTrue(g.await(() -> g.received(0).size() == 1 && g.received(1).size() == 1));
        for (int node = 0; node < 2; node++)
        {
            final Received r = g.received(node).get(0);
            assertEquals(id(2), r.source());
            assertEquals(NodeId.BROADCAST_VALUE, r.destination());
            assertEquals(false, r.overheard());
        }
        assertEquals(1, g.drops(2)[4], "counted as broadcast");
    }

    @Test
    void countersCountFramesAndPayloadBytesPerPeer() throws Exception
    {
        final Group g = group(3);
        for (int i = 0; i < 5; i++)
        {
            g.send(0, FrameType.DATA, id(1), new byte[10]);
        }
        g.send(1, FrameType.DATA, id(0), new byte[7]);
        assertTrue(g.await(() -> g.received(2).size() == 6 && g.received(0).size() == 1));
        assertEquals(new PeerCounters(5, 50, 1, 7, 0, 0), g.counters(0, id(1)));
        assertEquals(new PeerCounters(1, 7, 5, 50, 0, 0), g.counters(1, id(0)));
        assertEquals(new PeerCounters(0, 0, 0, 0, 5, 50), g.counters(2, id(0)));
        assertEquals(new PeerCounters(0, 0, 0, 0, 1, 7), g.counters(2, id(1)));
        assertEquals(PeerCounters.NONE, g.counters(2, 99));
    }

    @Test
    void framesAreDispatchedByTypeAndUnhandledTypesCounted() throws Exception
    {
        final Group g = group(2);
        g.send(0, APP_TYPE, id(1), new byte[] {5});
        g.send(0, UNHANDLED_TYPE, id(1), new byte[] {6});
        g.send(0, FrameType.DATA, id(1), new byte[] {7});
        assertTrue(g.await(() -> g.received(1).size() == 2 && g.drops(1)[3] == 1));
        assertEquals(APP_TYPE, g.received(1).get(0).type());
        assertEquals(FrameType.DATA, g.received(1).get(1).type());
        assertEquals(new PeerCounters(0, 0, 3, 3, 0, 0), g.counters(1, id(0)), "unhandled frames still count as received");
    }

    @Test
    void payloadsOfEverySizeArriveIntact() throws Exception
    {
        final Group g = group(2);
        final SplittableRandom random = new SplittableRandom(11);
        final int max = g.maxPayloadLength();
        final int[] sizes = {0, 1, 2, max / 2, max - 1, max};
        final byte[][] sent = new byte[sizes.length][];
        for (int i = 0; i < sizes.length; i++)
        {
            sent[i] = new byte[sizes[i]];
            random.nextBytes(sent[i]);
            assertEquals(SENT, g.send(0, FrameType.DATA, id(1), sent[i]));
        }
        assertTrue(g.await(() -> g.received(1).size() == sizes.length));
        for (int i = 0; i < sizes.length; i++)
        {
            assertArrayEquals(sent[i], g.received(1).get(i).payload());
        }
    }

    @Test
    void illegalSendsThrowAndClosedTransportsRefuse() throws Exception
    {
        final Group g = group(2);
        assertEquals(ILLEGAL, g.send(0, FrameType.DATA, id(1), new byte[g.maxPayloadLength() + 1]));
        assertEquals(ILLEGAL, g.send(0, FrameType.DATA, id(0), new byte[1]));
        assertEquals(ILLEGAL, g.send(0, 0, id(1), new byte[1]));
        assertEquals(ILLEGAL, g.send(0, 256, id(1), new byte[1]));
        g.closeNode(0);
        assertEquals(REJECTED, g.send(0, FrameType.DATA, id(1), new byte[1]));
        assertEquals(1, g.drops(0)[5]);
    }

    @Test
    void malformedOversizedAndForeignFramesAreDroppedAndCounted() throws Exception
    {
        final Group g = group(2);
        final String header = "01 01 0000 | %s | 0000000000000005 | 0000000000000001 | 00000000 | %s 0000";
        g.injectRaw(0, Hex.decode(String.format(header, Integer.toHexString(GROUP_ID), "0001") + "AA"));
        g.injectRaw(0, Hex.decode(String.format(header, "0BADBEEF", "0001") + "AA"));
        g.injectRaw(0, Hex.decode("01 01 00"));
        g.injectRaw(0, Hex.decode(String.format(header, Integer.toHexString(GROUP_ID), "0002") + "AA"));
        final byte[] oversized = new byte[FrameHeader.HEADER_LENGTH + g.maxPayloadLength() + 1];
        System.arraycopy(Hex.decode(String.format(header, Integer.toHexString(GROUP_ID), "0000")), 0, oversized, 0,
            FrameHeader.HEADER_LENGTH);
        g.injectRaw(0, oversized);
        assertTrue(g.await(() -> g.drops(0)[0] == 2 && g.drops(0)[1] == 1 && g.drops(0)[2] == 1 &&
            g.received(0).size() == 1), () -> java.util.Arrays.toString(g.drops(0)));
        final Received r = g.received(0).get(0);
        assertEquals(5, r.source());
        assertEquals(id(0), r.destination());
        assertArrayEquals(new byte[] {(byte)0xAA}, r.payload());
    }
}
