package dev.c2cast.pseudobroadcast;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Feeds numbered messages to one peer as fast as a messenger's window takes them: message n is its 4-byte index
 * followed by {@code n % padding} zero bytes, so a receiver can check both order and length. It is the sending
 * messenger's listener: run it once to start, and it goes on whenever the window opens.
 */
final class NumberedMessages implements Runnable, ReliableListener
{
    private final NodeId destination;
    private final int count;
    private final int padding;
    private final ByteBuf message;
    private ReliableMessenger messenger;
    private int next;
    private int failures;

    NumberedMessages(final NodeId destination, final int count, final int padding)
    {
        this.destination = destination;
        this.count = count;
        this.padding = padding;
        this.message = Unpooled.buffer(4 + padding);
    }

    /** The messenger to send with (created with this as its listener). */
    void messenger(final ReliableMessenger messenger)
    {
        this.messenger = messenger;
    }

    /** Messages accepted so far. */
    int accepted()
    {
        return next;
    }

    @Override
    public void run()
    {
        while (next < count)
        {
            message.clear().writeInt(next).writeZero(next % padding);
            if (!messenger.send(destination, message))
            {
                return;
            }
            next++;
        }
    }

    /** Times the destination was declared unreachable. */
    int failures()
    {
        return failures;
    }

    @Override
    public void onMessage(final long source, final ByteBuf buffer, final int offset, final int length)
    {
    }

    @Override
    public void onPeerUnreachable(final long peer, final int undelivered)
    {
        failures++;
    }

    @Override
    public void onWindowAvailable(final long peer)
    {
        run();
    }
}
