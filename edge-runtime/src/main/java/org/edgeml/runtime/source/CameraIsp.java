package org.edgeml.runtime.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The image signal processor that fills rpicam-vid's buffers, which decides their row stride (see {@link I420Layout}). */
public enum CameraIsp {
    /** Pi 0 to 4 (BCM2835..BCM2711). */
    VC4,
    /** Pi 5 and its kin (BCM2712). */
    PISP;

    /** Where Linux exposes the board's device-tree {@code compatible} strings (NUL-separated). */
    public static final Path DEVICE_TREE_COMPATIBLE = Path.of("/proc/device-tree/compatible");

    /** The ISP of this board: PiSP when the device tree names a BCM2712, else (also off a Pi) the VC4's. */
    public static CameraIsp ofThisBoard() {
        return of(DEVICE_TREE_COMPATIBLE);
    }

    static CameraIsp of(Path compatible) {
        try {
            String names = new String(Files.readAllBytes(compatible), StandardCharsets.US_ASCII);
            for (String name : names.split("\0")) {
                if (name.equals("brcm,bcm2712")) {
                    return PISP;
                }
            }
        } catch (IOException e) {
            // no device tree: not a Pi; the VC4 rule is as good a guess as any, and the stream is checked anyway
        }
        return VC4;
    }

    public I420Layout layout(int width, int height) {
        return this == PISP ? I420Layout.pisp(width, height) : I420Layout.rpicam(width, height);
    }
}
