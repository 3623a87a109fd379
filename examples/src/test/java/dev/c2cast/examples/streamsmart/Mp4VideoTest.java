package dev.c2cast.examples.streamsmart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.List;

import org.junit.jupiter.api.Test;

class Mp4VideoTest
{
    private static byte[] resource(final String name) throws Exception
    {
        try (InputStream in = Mp4VideoTest.class.getResourceAsStream("/dev/c2cast/examples/media/" + name))
        {
            return in.readAllBytes();
        }
    }

    private static List<String> slices(final byte[] annexB)
    {
        return Media.nalUnits(annexB).stream().filter(nal -> nal.startsWith("type 1,") || nal.startsWith("type 5,")).toList();
    }

    @Test
    void bundledMp4YieldsTheSameSlicesAsTheBundledAnnexBClip() throws Exception
    {
        final Mp4Video video = Mp4Video.parse(resource("clip.mp4"));
        assertEquals(300, video.samples());
        assertEquals(30.0, video.framesPerSecond(), 0.01);
        final AccessUnits units = AccessUnits.parse(video.annexB());
        assertEquals(300, units.size());
        assertEquals(10, units.units().stream().filter(AccessUnits.AccessUnit::keyframe).count());
        assertEquals(slices(AccessUnitsTest.clip()), slices(video.annexB()));
    }

    @Test
    void videoWithAudioTrackPicksTheVideo() throws Exception
    {
        final Mp4Video video = Mp4Video.parse(resource("video.mp4"));
        assertEquals(600, video.samples());
        assertTrue(AccessUnits.parse(video.annexB()).size() == 600);
    }

    @Test
    void garbageIsATypedError()
    {
        assertThrows(Mp4Video.Mp4Exception.class, () -> Mp4Video.parse(new byte[] {0, 0, 0, 8, 'f', 'r', 'e', 'e', 0, 0, 0, 64, 'm', 'o'}));
        assertThrows(Mp4Video.Mp4Exception.class, () -> Mp4Video.parse(AccessUnitsTest.clip()));
    }
}
