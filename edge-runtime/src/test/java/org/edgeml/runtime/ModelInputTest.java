package org.edgeml.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.image.ColourPreprocessor;
import org.edgeml.core.image.Preprocessor;
import org.edgeml.core.model.InputQuantization;
import org.edgeml.runtime.config.RunConfigParser;
import org.edgeml.runtime.source.DirSource;
import org.edgeml.runtime.source.Frame;
import org.edgeml.runtime.source.FrameSources;
import org.edgeml.runtime.source.I420Layout;
import org.edgeml.runtime.source.RpicamSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames become the model's HxWxC input: luma for grey, RGB for colour. Expected RGB values are worked out by hand
 * from BT.601 full range: Y 76, Cb 85, Cr 255 is (76 + 1.402*127, 76 + 0.344*43 - 0.714*127, 76 - 1.772*43) =
 * (254.05, 0.10, -0.20) -> (254, 0, 0); Y 200, Cb 50, Cr 180 is (272.9, 189.71, 61.78) -> (255, 190, 62).
 */
class ModelInputTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private static InputQuantization input(int height, int width, int channels) {
        return InputQuantization.covering(height, width, channels, false, 1 / 255.0, 0);
    }

    private static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    /**
     * A 64x2 frame in rpicam-vid's layout whose left half is Y 76, Cb 85, Cr 255 and right half Y 200, Cb 50, Cr 180,
     * and a stand-in camera program that writes it over and over.
     */
    private String camera() throws Exception {
        I420Layout layout = I420Layout.rpicam(64, 2);
        byte[] frame = new byte[layout.frameBytes()];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 64; x++) {
                frame[y * layout.lumaStride() + x] = (byte) (x < 32 ? 76 : 200);
            }
        }
        int cb = layout.lumaBytes();
        int cr = cb + layout.chromaStride();
        for (int x = 0; x < 32; x++) {
            frame[cb + x] = (byte) (x < 16 ? 85 : 50);
            frame[cr + x] = (byte) (x < 16 ? 255 : 180);
        }
        Path bytes = Files.write(tmp.resolve("frame.i420"), frame);
        Path program = tmp.resolve("rpicam-vid");
        Files.writeString(program, "#!/bin/sh\nwhile cat '" + bytes + "'; do sleep 0.05; done\n");
        program.toFile().setExecutable(true);
        return program.toString();
    }

    @Test
    void aCameraFrameGivesAColourModelRgbAndAGreyModelLuma() throws Exception {
        String program = camera();
        assertTimeoutPreemptively(LIMIT, () -> {
            try (RpicamSource source = new RpicamSource(new RpicamSource.Settings(program, 64, 2, 10, Duration.ofSeconds(20),
                    Duration.ofMillis(100), Duration.ofMillis(400)))) {
                Frame frame = source.next();
                assertNotNull(frame);
                assertEquals(Frame.Format.I420, frame.format());
                // the centre 2x2 crop is columns 31 (left half) and 32 (right half); at 2x2 each pixel is one output
                ModelInput colour = new ModelInput(input(2, 2, 3), false);
                byte[] rgb = new byte[colour.size()];
                colour.fill(frame, rgb);
                assertArrayEquals(new int[] {254, 0, 0, 255, 190, 62, 254, 0, 0, 255, 190, 62}, unsigned(rgb));
                ModelInput grey = new ModelInput(input(2, 2, 1), false);
                byte[] luma = new byte[grey.size()];
                grey.fill(frame, luma);
                assertArrayEquals(new int[] {76, 200, 76, 200}, unsigned(luma));
                // one pixel: the mean of the four, per channel: (254+255)/2 = 254.5 -> 255, 95, 31
                ModelInput small = new ModelInput(input(1, 1, 3), true);
                byte[] inverted = new byte[3];
                small.fill(frame, inverted);
                assertArrayEquals(new int[] {0, 255 - 95, 255 - 31}, unsigned(inverted));
            }
        });
    }

    @Test
    void aDroppedImageFileGivesAColourModelItsRgb() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        assertTimeoutPreemptively(LIMIT, () -> {
            try (DirSource source = DirSource.colour(in, ColourPreprocessor::decode, Duration.ofMillis(50))) {
                BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
                image.setRGB(0, 0, 0x0A1428);
                image.setRGB(1, 0, 0x1E3C50);
                Path staged = tmp.resolve("staged.png");
                ImageIO.write(image, "png", staged.toFile());
                Files.move(staged, in.resolve("a.png"));
                Frame frame = source.next();
                assertEquals(Frame.Format.RGB, frame.format());
                ModelInput colour = new ModelInput(input(1, 1, 3), false);
                byte[] rgb = new byte[3];
                colour.fill(frame, rgb);
                // the centre 1x1 crop of a 2x1 image is column 0: (10, 20, 40)
                assertArrayEquals(new int[] {10, 20, 40}, unsigned(rgb));
            }
        });
    }

    @Test
    void aGreyFrameCannotFeedAColourModelNorAnRgbFrameAGreyOne() {
        Frame grey = new Frame(new byte[4], 0, 2, 2, 2, 0, "idx#0", 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelInput(input(2, 2, 3), false).fill(grey, new byte[12]));
        assertEquals("a GREY frame cannot feed a colour model", e.getMessage());
        Frame rgb = new Frame(new byte[12], 0, 2, 2, 6, 0, "a.png", -1, 0, Frame.Format.RGB);
        e = assertThrows(IllegalArgumentException.class, () -> new ModelInput(input(2, 2, 1), false).fill(rgb, new byte[4]));
        assertEquals("a RGB frame cannot feed a grey model", e.getMessage());
    }

    @Test
    void aColourModelOnAnIdxSourceIsOneLineNamingTheFix() throws Exception {
        Path model = Files.writeString(tmp.resolve("m.q8"), "x");
        Files.createFile(tmp.resolve("t10k-images-idx3-ubyte"));
        Files.createFile(tmp.resolve("t10k-labels-idx1-ubyte"));
        var config = RunConfigParser.parse("--model", model.toString(), "--source", "idx:" + tmp);
        EdgemlException e = assertThrows(EdgemlException.class, () -> FrameSources.open(config, 3, Preprocessor::decode,
                ColourPreprocessor::decode, (images, labels) -> new LabeledImages(1, 1, new byte[1], new int[1]), null));
        assertEquals("source: idx: test sets are grey but the model takes colour (3-channel) input; give --source rpicam"
                + " or dir:FOLDER of colour images, or run a grey model", e.getMessage());
        assertEquals(EdgemlException.EXIT_BAD_INPUT, e.exitCode());
    }
}
