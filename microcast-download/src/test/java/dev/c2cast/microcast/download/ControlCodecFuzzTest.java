package dev.c2cast.microcast.download;

import com.code_intelligence.jazzer.junit.FuzzTest;

class ControlCodecFuzzTest
{
    @FuzzTest(maxDuration = "10s")
    void decodeEitherReturnsAMessageOrThrowsTheModuleException(final byte[] input)
    {
        try
        {
            final ControlMessage message = ControlCodec.decode(input, 0, input.length);
            if (message.deviceId() < 0)
            {
                throw new AssertionError("negative device id decoded");
            }
            // Whatever decodes must re-encode and decode to the same message.
            final byte[] again = ControlCodec.encode(message);
            if (!ControlCodec.decode(again, 0, again.length).equals(message))
            {
                throw new AssertionError("round trip changed " + message);
            }
        }
        catch (final MicroDownloadException expected)
        {
            // malformed input is rejected with the module's typed exception
        }
    }
}
