package dev.c2cast.microcast.download;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

class ControlCodecPropertyTest
{
    @Property
    void everyMessageRoundTrips(final Gen gen)
    {
        final int device = gen.intBetween(0, Integer.MAX_VALUE);
        final int index = gen.intBetween(0, Integer.MAX_VALUE);
        final ControlMessage message;
        final long lease = gen.longBetween(1, Long.MAX_VALUE - 1);
        switch (gen.nextInt(5))
        {
            case 0:
                message = new ControlMessage.Assignment(device,
                    new SegmentRange(index, gen.longBetween(0, Long.MAX_VALUE - 1), gen.intBetween(1, Integer.MAX_VALUE)),
                    lease, gen.bool());
                break;
            case 1:
                message = new ControlMessage.Revocation(device, index, lease);
                break;
            case 2:
                message = new ControlMessage.Join(device);
                break;
            case 3:
                message = new ControlMessage.Leave(device);
                break;
            default:
                final ControlMessage.Outcome outcome = gen.pick(java.util.List.of(ControlMessage.Outcome.values()));
                message = new ControlMessage.Report(device, index, lease, outcome,
                    outcome == ControlMessage.Outcome.FAILED ? "HTTP 503 after 3 tries" : "");
                break;
        }
        final byte[] bytes = ControlCodec.encode(message);
        final byte[] framed = new byte[bytes.length + 3];
        System.arraycopy(bytes, 0, framed, 2, bytes.length);
        assertEquals(message, ControlCodec.decode(framed, 2, bytes.length));
    }
}
