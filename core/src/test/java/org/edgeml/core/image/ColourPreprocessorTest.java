package org.edgeml.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expected values are worked out by hand from BT.601 full range (JFIF): R = Y + 1.402 cr,
 * G = Y - 0.344136 cb - 0.714136 cr, B = Y + 1.772 cb (cb = Cb - 128, cr = Cr - 128), rounded and clamped;
 * the cases stay clear of ties, where the fixed point and the exact formula could differ.
 */
class ColourPreprocessorTest {

    private static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    private static int[] rgb(int y, int cb, int cr) {
        int v = ColourPreprocessor.rgb(y, cb, cr);
        return new int[] {v >> 16 & 0xFF, v >> 8 & 0xFF, v & 0xFF};
    }

    @Test
    void convertsFullRangeBt601YCbCrToRgb() {
        assertArrayEquals(new int[] {128, 128, 128}, rgb(128, 128, 128)); // no chroma: grey
        assertArrayEquals(new int[] {0, 0, 0}, rgb(0, 128, 128));
        assertArrayEquals(new int[] {255, 255, 255}, rgb(255, 128, 128));
        // JFIF red: R = 76 + 178.05 = 254.05, G = 76 + 14.80 - 90.70 = 0.10, B = 76 - 76.20 = -0.20 -> 0
        assertArrayEquals(new int[] {254, 0, 0}, rgb(76, 85, 255));
        // R = 200 + 72.90 -> 255, G = 200 + 26.84 - 37.14 = 189.71, B = 200 - 138.22 = 61.78
        assertArrayEquals(new int[] {255, 190, 62}, rgb(200, 50, 180));
        // R = 30 - 39.26 -> 0, G = 30 - 11.01 + 20.00 = 38.98, B = 30 + 56.70 = 86.70
        assertArrayEquals(new int[] {0, 39, 87}, rgb(30, 160, 100));
    }

    /**
     * Every YCbCr triple against the exact formula in double: the fixed point's coefficients are off by at most
     * 1e-5 (times 128), so away from a tie (closer than 0.003 to x.5) both must round alike, and at a tie differ
     * by at most 1.
     */
    @Test
    void everyYCbCrAgreesWithTheExactFormula() {
        int ties = 0;
        for (int y = 0; y < 256; y++) {
            for (int cb = 0; cb < 256; cb++) {
                for (int cr = 0; cr < 256; cr++) {
                    double[] exact = {y + 1.402 * (cr - 128), y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128),
                        y + 1.772 * (cb - 128)};
                    int[] got = rgb(y, cb, cr);
                    for (int c = 0; c < 3; c++) {
                        long rounded = Math.max(0, Math.min(255, Math.round(exact[c])));
                        double fraction = exact[c] - Math.floor(exact[c]);
                        if (Math.abs(fraction - 0.5) > 0.003) {
                            if (rounded != got[c]) {
                                throw new AssertionError("Y " + y + " Cb " + cb + " Cr " + cr + " channel " + c + ": "
                                        + got[c] + ", exact " + exact[c]);
                            }
                        } else {
                            ties++;
                            assertTrue(Math.abs(rounded - got[c]) <= 1);
                        }
                    }
                }
            }
        }
        assertTrue(ties > 0);
    }

    @Test
    void anI420FrameBecomesRgbPixelsHonouringOffsetsStridesAndTheCentreCrop() {
        // A 4x2 frame: the centre 2x2 crop is columns 1..2, whose chroma samples are columns 0 and 1.
        // Y stride 6, chroma stride 3, 5 bytes before the frame; 99 marks bytes that must not be read.
        int lumaStride = 6;
        int chromaStride = 3;
        byte[] frame = new byte[5 + lumaStride * 2 + chromaStride * 2];
        java.util.Arrays.fill(frame, (byte) 99);
        int y0 = 5;
        int cb0 = y0 + lumaStride * 2;
        int cr0 = cb0 + chromaStride;
        frame[y0 + 1] = 76;
        frame[y0 + 2] = (byte) 200;
        frame[y0 + lumaStride + 1] = (byte) 128;
        frame[y0 + lumaStride + 2] = 30;
        frame[cb0] = 85;
        frame[cb0 + 1] = 50;
        frame[cr0] = (byte) 255;
        frame[cr0 + 1] = (byte) 180;
        byte[] out = new byte[12];
        new ColourPreprocessor(2, 2, false).processI420(frame, 5, 4, 2, lumaStride, out);
        assertArrayEquals(new int[] {
            254, 0, 0, /* Y 76, Cb 85, Cr 255 */ 255, 190, 62, /* Y 200, Cb 50, Cr 180 */
            // Y 128 with (85, 255): R 306 -> 255, G 128 + 14.80 - 90.70 = 52.10, B 128 - 76.20 = 51.80
            255, 52, 52,
            // Y 30 with (50, 180): R 30 + 72.90 = 102.90, G 30 + 26.84 - 37.14 = 19.71, B -> 0
            103, 20, 0}, unsigned(out));
    }

    @Test
    void rgbImagesAreAveragedChannelByChannelAndInverted() {
        // 2x2 -> 1x1: (10+11+12+14)/4 = 11.75, (20+21+22+24)/4 = 21.75, (30+31+32+35)/4 = 32
        byte[] rgb = {10, 20, 30, 11, 21, 31, 12, 22, 32, 14, 24, 35};
        byte[] out = new byte[3];
        new ColourPreprocessor(1, 1, false).processRgb(rgb, 0, 2, 2, 6, out);
        assertArrayEquals(new int[] {12, 22, 32}, unsigned(out));
        new ColourPreprocessor(1, 1, true).processRgb(rgb, 0, 2, 2, 6, out);
        assertArrayEquals(new int[] {243, 233, 223}, unsigned(out));
    }

    @Test
    void fractionalAreasAreWeightedByOverlapAsForGrey() {
        // 3x3 -> 2x2, output (0,0) covers source [0,1.5)^2 with weights 1, 0.5 per axis: (90 + 15 + 15) / 2.25 = 53.33
        // in red, the same in blue from 30s, green untouched (0)
        byte[] rgb = new byte[27];
        rgb[0] = 90;
        rgb[3] = 30;
        rgb[9] = 30;
        rgb[2] = 30;
        byte[] out = new byte[12];
        new ColourPreprocessor(2, 2, false).processRgb(rgb, 0, 3, 3, 9, out);
        assertEquals(53, out[0] & 0xFF);
        assertEquals(0, out[1] & 0xFF);
        assertEquals(13, out[2] & 0xFF); // 30 / 2.25 = 13.33
        assertEquals(7, out[3] & 0xFF); // output (0,1): red 30 * 0.5 * 1 / 2.25 = 6.67
    }

    @Test
    void aCameraFrameAndTheSameFrameAsAnRgbImageGiveTheSameBytes() {
        Random rnd = new Random(7);
        int width = 64;
        int height = 48;
        int lumaStride = 64;
        byte[] frame = new byte[lumaStride * height * 3 / 2];
        rnd.nextBytes(frame);
        byte[] rgb = new byte[width * height * 3];
        int chroma = lumaStride / 2;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int cb = frame[lumaStride * height + (y / 2) * chroma + x / 2] & 0xFF;
                int cr = frame[lumaStride * height + chroma * height / 2 + (y / 2) * chroma + x / 2] & 0xFF;
                int v = ColourPreprocessor.rgb(frame[y * lumaStride + x] & 0xFF, cb, cr);
                rgb[3 * (y * width + x)] = (byte) (v >> 16);
                rgb[3 * (y * width + x) + 1] = (byte) (v >> 8);
                rgb[3 * (y * width + x) + 2] = (byte) v;
            }
        }
        ColourPreprocessor p = new ColourPreprocessor(10, 10, false);
        byte[] fromFrame = new byte[300];
        p.processI420(frame, 0, width, height, lumaStride, fromFrame);
        assertArrayEquals(p.process(new RgbImage(width, height, rgb)), fromFrame);
    }

    @Test
    void aGreyFrameGivesTheGreyPreprocessorsValuesInEveryChannel() {
        Random rnd = new Random(3);
        byte[] frame = new byte[40 * 30 * 3 / 2];
        rnd.nextBytes(frame);
        java.util.Arrays.fill(frame, 40 * 30, frame.length, (byte) 128);
        byte[] grey = new byte[49];
        new Preprocessor(7, 7, false).process(frame, 0, 40, 30, 40, grey);
        byte[] colour = new byte[147];
        new ColourPreprocessor(7, 7, false).processI420(frame, 0, 40, 30, 40, colour);
        for (int i = 0; i < 49; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(grey[i], colour[3 * i + c], "pixel " + i + " channel " + c);
            }
        }
    }

    @Test
    void refusesFramesThatDoNotFit() {
        ColourPreprocessor p = new ColourPreprocessor(2, 2, false);
        assertThrows(IllegalArgumentException.class, () -> p.processI420(new byte[4 * 4], 0, 4, 4, 4, new byte[12]));
        assertThrows(IllegalArgumentException.class, () -> p.processRgb(new byte[40], 0, 4, 4, 12, new byte[12]));
        assertThrows(IllegalArgumentException.class, () -> p.processRgb(new byte[48], 0, 4, 4, 11, new byte[12]));
        assertThrows(IllegalArgumentException.class, () -> p.processRgb(new byte[48], 0, 4, 4, 12, new byte[11]));
    }

    @Test
    void decodesColourAndGreyFiles(@TempDir Path dir) throws Exception {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF8000);
        image.setRGB(1, 0, 0x0000FF);
        Path png = dir.resolve("a.png");
        ImageIO.write(image, "png", png.toFile());
        RgbImage rgb = ColourPreprocessor.decode(png);
        assertArrayEquals(new int[] {255, 128, 0, 0, 0, 255}, unsigned(rgb.pixels()));
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 77);
        grey.getRaster().setSample(1, 0, 0, 200);
        Path greyPng = dir.resolve("g.png");
        ImageIO.write(grey, "png", greyPng.toFile());
        assertArrayEquals(new int[] {77, 77, 77, 200, 200, 200}, unsigned(ColourPreprocessor.decode(greyPng).pixels()));
    }

    @Test
    void framesAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        ColourPreprocessor p = new ColourPreprocessor(28, 28, false);
        byte[] frame = new byte[128 * 96 * 3 / 2];
        new Random(1).nextBytes(frame);
        byte[] out = new byte[p.outputSize()];
        for (int i = 0; i < 300; i++) {
            p.processI420(frame, 0, 128, 96, 128, out); // warm up: the JIT may allocate while compiling
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100; i++) {
            p.processI420(frame, 0, 128, 96, 128, out);
        }
        long used = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(used < 1000, "100 frames allocated " + used + " bytes");
    }
}
