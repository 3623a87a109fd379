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
        switch (gen.nextInt(3))
        {
            case 0:
                message = new ControlMessage.Assignment(device,
                    new SegmentRange(index, gen.longBetween(0, Long.MAX_VALUE - 1), gen.intBetween(1, Integer.MAX_VALUE)),
                    gen.bool());
                break;
            case 1:
                message = new ControlMessage.Revocation(device, index);
                break;
            default:
                final boolean success = gen.bool();
                message = new ControlMessage.Report(device, index, success, success ? "" : "HTTP 503 after 3 tries");
                break;
        }
        final byte[] bytes = ControlCodec.encode(message);
        final byte[] framed = new byte[bytes.length + 3];
        System.arraycopy(bytes, 0, framed, 2, bytes.length);
        assertEquals(message, ControlCodec.decode(framed, 2, bytes.length));
    }
}
