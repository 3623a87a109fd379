package dev.c2cast.examples.streamsmart;

/** A rendezvous line that breaks {@link RendezvousProtocol}'s rules; the connection that sent it is closed. */
final class RendezvousProtocolException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    RendezvousProtocolException(final String message)
    {
        super(message);
    }
}
