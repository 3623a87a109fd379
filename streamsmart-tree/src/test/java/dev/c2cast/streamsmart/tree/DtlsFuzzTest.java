package dev.c2cast.streamsmart.tree;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.c2cast.streamsmart.tree.internal.DtlsHandler;
import dev.c2cast.streamsmart.tree.internal.DtlsRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;

/**
 * Arbitrary datagrams against the secure transport: the DTLS record-header walk, and a clone's DTLS layer on both
 * sides of a handshake (answering a stranger as server; opening to a neighbour as client and reading whatever
 * comes back). Nothing may throw, no byte may reach the overlay (nothing decrypts without a completed handshake
 * with a trusted certificate), every buffer is released, and the counters must add up.
 */
class DtlsFuzzTest
{
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40_000);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40_001);
    private static final CloneSecurity SECURITY = security();

    private static CloneSecurity security()
    {
        try
        {
            final Path dir = Files.createTempDirectory("dtls-fuzz");
            dir.toFile().deleteOnExit();
            final TestPki pki = TestPki.create(dir, "fuzz-ca");
            return CloneSecurity.fromStores(pki.keysFor(1), pki.trust());
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("test PKI", ex);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void anyDatagramsAreDroppedOrRefused(final byte[] input)
    {
        final ByteBuf whole = Unpooled.wrappedBuffer(input);
        final int records = DtlsRecord.applicationRecords(whole);
        if (records >= 0)
        {
            if (records > input.length / DtlsRecord.HEADER_LENGTH)
            {
                throw new AssertionError("more records than headers fit: " + records);
            }
            DtlsRecord.isClientHello(whole);
            DtlsRecord.contentType(whole);
            DtlsRecord.epoch(whole);
            DtlsRecord.sequence(whole);
        }
        final boolean asClient = input.length > 0 && (input[0] & 1) == 1;
        final Map<Long, InetSocketAddress> members = Map.of(1L, LOCAL, 2L, PEER);
        final DtlsHandler handler = new DtlsHandler(SECURITY, members::get, System::nanoTime);
        final EmbeddedChannel channel = new EmbeddedChannel(handler);
        try
        {
            if (asClient)
            {
                channel.writeOutbound(new DatagramPacket(Unpooled.copiedBuffer(new byte[] {'C', 1, 2, 3}), PEER));
            }
            // The input split into datagrams at every 0xFF byte.
            int start = Math.min(1, input.length);
            for (int i = start; i <= input.length; i++)
            {
                if (i == input.length || input[i] == (byte)0xFF)
                {
                    final ByteBuf datagram = Unpooled.copiedBuffer(input, start, i - start);
                    channel.writeInbound(new DatagramPacket(datagram, LOCAL, PEER));
                    start = i + 1;
                }
            }
            channel.runPendingTasks();
            final Object read = channel.readInbound();
            if (read != null)
            {
                throw new AssertionError("plaintext reached the overlay without a handshake: " + read);
            }
            final SecurityStats stats = handler.stats();
            if (stats.handshakesCompleted() != 0 || stats.applicationBytesIn() != 0 || stats.associations() != 0)
            {
                throw new AssertionError("association from arbitrary bytes: " + stats);
            }
            Object sent;
            while ((sent = channel.readOutbound()) != null)
            {
                final ByteBuf bytes = ((DatagramPacket)sent).content();
                if (DtlsRecord.applicationRecords(bytes) < 0 || DtlsRecord.applicationRecords(bytes) > 0)
                {
                    throw new AssertionError("sent something other than handshake records");
                }
                bytes.release();
            }
        }
        finally
        {
            channel.finishAndReleaseAll();
        }
    }
}
