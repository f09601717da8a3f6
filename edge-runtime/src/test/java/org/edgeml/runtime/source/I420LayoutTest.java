package org.edgeml.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strides are worked out by hand from the two ISPs' rules: the VC4 driver aligns the YUV420 luma stride to
 * 64 bytes (so both chroma planes start 32-byte aligned); libcamera's PiSP pipeline aligns the chroma stride to
 * 64 bytes and doubles it for the luma.
 */
class I420LayoutTest {
    @TempDir
    Path tmp;

    @Test
    void aPi0To4PadsRowsTo64Bytes() {
        assertEquals(640, I420Layout.rpicam(640, 480).lumaStride());
        assertEquals(320, I420Layout.rpicam(320, 240).lumaStride());
        assertEquals(128, I420Layout.rpicam(100, 56).lumaStride());
        assertEquals(832, I420Layout.rpicam(800, 600).lumaStride());
        assertEquals(832 * 600 + 2 * 416 * 300, I420Layout.rpicam(800, 600).frameBytes());
    }

    @Test
    void aPi5PadsChromaRowsTo64BytesAndLumaRowsToTwiceThat() {
        assertEquals(640, I420Layout.pisp(640, 480).lumaStride());   // 320 is a multiple of 64
        assertEquals(384, I420Layout.pisp(320, 240).lumaStride());   // 160 -> 192
        assertEquals(128, I420Layout.pisp(100, 56).lumaStride());    // 50 -> 64
        assertEquals(896, I420Layout.pisp(800, 600).lumaStride());   // 400 -> 448
        assertEquals(1920, I420Layout.pisp(1920, 1080).lumaStride());
        assertEquals(384 * 240 + 2 * 192 * 120, I420Layout.pisp(320, 240).frameBytes());
    }

    @Test
    void theLayoutIsRecoveredFromAFramesByteCount() {
        assertEquals(Optional.of(new I420Layout(320, 240, 384)), I420Layout.ofFrameBytes(320, 240, 384 * 240 * 3 / 2));
        assertEquals(Optional.of(new I420Layout(320, 240, 320)), I420Layout.ofFrameBytes(320, 240, 320 * 240 * 3 / 2));
        assertEquals(Optional.empty(), I420Layout.ofFrameBytes(320, 240, 384 * 240 * 3 / 2 + 100), "not whole rows");
        assertEquals(Optional.empty(), I420Layout.ofFrameBytes(320, 240, 256 * 240 * 3 / 2), "rows narrower than the image");
        assertEquals(Optional.empty(), I420Layout.ofFrameBytes(320, 240, 321 * 240 * 3 / 2), "an odd stride");
        assertEquals(Optional.empty(), I420Layout.ofFrameBytes(320, 240, 0));
    }

    @Test
    void theIspIsTheBoardsFromItsDeviceTree() throws Exception {
        Path pi5 = Files.write(tmp.resolve("pi5"), "raspberrypi,5-model-b\0brcm,bcm2712\0".getBytes());
        Path pi4 = Files.write(tmp.resolve("pi4"), "raspberrypi,4-model-b\0brcm,bcm2711\0".getBytes());
        assertEquals(CameraIsp.PISP, CameraIsp.of(pi5));
        assertEquals(CameraIsp.VC4, CameraIsp.of(pi4));
        assertEquals(CameraIsp.VC4, CameraIsp.of(tmp.resolve("no-device-tree")));
        assertEquals(384, CameraIsp.PISP.layout(320, 240).lumaStride());
        assertTrue(CameraIsp.VC4.layout(320, 240).lumaStride() == 320);
    }
}
