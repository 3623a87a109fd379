package dev.c2cast.pseudobroadcast;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link MediumObserver} that serialises every event into bytes, so two runs can be compared byte for byte, and
 * keeps the transmissions for assertions on their timing.
 */
final class EventLog implements MediumObserver
{
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);
    final List<long[]> transmissions = new ArrayList<>();
    long deliveries;
    long overheard;
    long losses;
    long queueDrops;
    long competing;

    byte[] toByteArray()
    {
        return bytes.toByteArray();
    }

    @Override
    public void onTransmission(
        final long startNanos, final long endNanos, final long source, final long destination, final int sequence,
        final int frameLength, final int attempts, final boolean acknowledged)
    {
        transmissions.add(new long[] {startNanos, endNanos, source, destination, attempts, acknowledged ? 1 : 0});
        write('T', startNanos, endNanos, source, destination, sequence, frameLength, attempts, acknowledged ? 1 : 0);
    }

    @Override
    public void onDelivery(final long timeNanos, final long source, final long receiver, final boolean overheard)
    {
        deliveries++;
        if (overheard)
        {
            this.overheard++;
        }
        write('D', timeNanos, source, receiver, overheard ? 1 : 0);
    }

    @Override
    public void onLoss(final long timeNanos, final long source, final long receiver)
    {
        losses++;
        write('L', timeNanos, source, receiver);
    }

    @Override
    public void onQueueDrop(final long timeNanos, final long source)
    {
        queueDrops++;
        write('Q', timeNanos, source);
    }

    @Override
    public void onCompetingTransmission(final long startNanos, final long endNanos)
    {
        competing++;
        transmissions.add(new long[] {startNanos, endNanos, -1, -1, 1, 0});
        write('C', startNanos, endNanos);
    }

    private void write(final char kind, final long... fields)
    {
        try
        {
            out.writeByte(kind);
            for (final long field : fields)
            {
                out.writeLong(field);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
