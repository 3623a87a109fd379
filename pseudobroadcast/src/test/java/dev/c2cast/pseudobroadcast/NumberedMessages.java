package dev.c2cast.pseudobroadcast;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Feeds numbered messages to one peer as fast as a messenger's window takes them: message n is its 4-byte index
 * followed by {@code n % padding} zero bytes, so a receiver can check both order and length. Run it once to start
 * and again from {@link ReliableListener#onWindowAvailable(long)}.
 */
final class NumberedMessages implements Runnable
{
    private final NodeId destination;
    private final int count;
    private final int padding;
    private final ByteBuf message;
    private ReliableMessenger messenger;
    private int next;

    NumberedMessages(final NodeId destination, final int count, final int padding)
    {
        this.destination = destination;
        this.count = count;
        this.padding = padding;
        this.message = Unpooled.buffer(4 + padding);
    }

    /** The messenger to send with (created after this, as its listener calls {@link #run()}). */
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
}
