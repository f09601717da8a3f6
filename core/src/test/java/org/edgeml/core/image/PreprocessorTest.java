package org.edgeml.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.edgeml.core.EdgemlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessorTest {

    @Test
    void sameSizeIsIdentityAndInversionFlips() {
        byte[] img = new byte[28 * 28];
        for (int i = 0; i < img.length; i++) {
            img[i] = (byte) i;
        }
        byte[] out = new byte[784];
        new Preprocessor(28, 28, false).process(img, 0, 28, 28, 28, out);
        assertArrayEquals(img, out);
        new Preprocessor(28, 28, true).process(img, 0, 28, 28, 28, out);
        for (int i = 0; i < img.length; i++) {
            assertEquals(255 - (img[i] & 0xFF), out[i] & 0xFF);
        }
    }

    @Test
    void integerDownscaleAveragesBlocks() {
        // 4x4 -> 2x2: each output is the mean of a 2x2 block, rounded half up.
        byte[] img = {0, 2, 10, 10, 4, 5, 10, 10, 100, 100, (byte) 255, (byte) 255, 100, 101, (byte) 255, (byte) 254};
        byte[] out = new byte[4];
        new Preprocessor(2, 2, false).process(img, 0, 4, 4, 4, out);
        assertArrayEquals(new int[] {3, 10, 100, 255}, unsigned(out)); // 11/4=2.75->3, 401/4=100.25->100, 1019/4=254.75->255
    }

    @Test
    void fractionalAreasAreWeightedByOverlap() {
        // 3x3 -> 2x2: output (0,0) covers source [0,1.5)^2: weights 1,0.5 per axis.
        byte[] img = {90, 30, 0, 30, 0, 0, 0, 0, 0};
        byte[] out = new byte[4];
        new Preprocessor(2, 2, false).process(img, 0, 3, 3, 3, out);
        // (90*1 + 30*0.5 + 30*0.5 + 0*0.25) / 2.25 = 120/2.25 = 53.33 -> 53
        assertEquals(53, out[0] & 0xFF);
        assertEquals(30 * 0.5 * 1 / 2.25, 6.67, 0.01);
        assertEquals(7, out[1] & 0xFF); // (30*0.5*1 + 0...)/2.25 = 6.67 -> 7
    }

    @Test
    void centreCropHonoursStrideAndOffset() {
        // A 6x2 plane (width 6, height 2) padded to stride 8, starting at offset 3: the centre 2x2 is columns 2..3.
        int stride = 8;
        byte[] plane = new byte[3 + 2 * stride];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 6; x++) {
                plane[3 + y * stride + x] = (byte) (x == 2 || x == 3 ? 200 : 9);
            }
            plane[3 + y * stride + 6] = (byte) 255; // padding, must be ignored
            plane[3 + y * stride + 7] = (byte) 255;
        }
        byte[] out = new byte[1];
        new Preprocessor(1, 1, false).process(plane, 3, 6, 2, stride, out);
        assertEquals(200, out[0] & 0xFF);
    }

    @Test
    void upscalesSmallImagesByReplication() {
        byte[] out = new byte[4];
        new Preprocessor(2, 2, false).process(new byte[] {77}, 0, 1, 1, 1, out);
        assertArrayEquals(new int[] {77, 77, 77, 77}, unsigned(out));
    }

    @Test
    void rejectsPlanesThatDoNotFit() {
        Preprocessor p = new Preprocessor(2, 2, false);
        assertThrows(IllegalArgumentException.class, () -> p.process(new byte[10], 0, 4, 4, 4, new byte[4]));
        assertThrows(IllegalArgumentException.class, () -> p.process(new byte[16], 0, 4, 4, 3, new byte[4]));
    }

    @Test
    void decodesPngAndJpegToGrayAndRejectsOtherFiles(@TempDir Path dir) throws Exception {
        BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xFF0000);
        rgb.setRGB(1, 0, 0x00FF00);
        rgb.setRGB(2, 0, 0x0000FF);
        rgb.setRGB(0, 1, 0xFFFFFF);
        Path png = dir.resolve("a.png");
        ImageIO.write(rgb, "png", png.toFile());
        GrayImage gray = Preprocessor.decode(png);
        assertEquals(3, gray.width());
        assertEquals(2, gray.height());
        assertArrayEquals(new int[] {76, 150, 29, 255, 0, 0}, unsigned(gray.pixels()));
        Path jpg = dir.resolve("b.jpg");
        ImageIO.write(rgb, "jpg", jpg.toFile());
        assertEquals(3, Preprocessor.decode(jpg).width());

        Path junk = Files.writeString(dir.resolve("c.png"), "not an image");
        EdgemlException e = assertThrows(EdgemlException.class, () -> Preprocessor.decode(junk));
        assertTrue(e.getMessage().startsWith(junk.toString()) && e.getMessage().contains("PNG or JPEG"), e.getMessage());
        assertThrows(EdgemlException.class, () -> Preprocessor.decode(dir.resolve("missing.png")));
    }

    private static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "1, 1, png", "1, 1000, png", "1000, 1, png", "3, 5, bmp", "641, 479, gif", "28, 28, jpg", "2, 3000, bmp"})
    void imagesOfOddSizesAndFormatsBecomeModelInputs(int width, int height, String format, @TempDir Path dir) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 7 + y * 13) % 256 * 0x010101);
            }
        }
        Path file = dir.resolve("odd." + format);
        assertTrue(ImageIO.write(image, format, file.toFile()), format);
        GrayImage gray = Preprocessor.decode(file);
        assertEquals(width, gray.width());
        assertEquals(height, gray.height());
        byte[] out = new Preprocessor(28, 28, false).process(gray);
        assertEquals(784, out.length);
    }

    @Test
    void sixteenBitAndTransparentPngsAreRead(@TempDir Path dir) throws Exception {
        BufferedImage deep = new BufferedImage(30, 20, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(5, 5, 0, 65535);
        Path deepFile = dir.resolve("deep.png");
        ImageIO.write(deep, "png", deepFile.toFile());
        assertEquals(255, Preprocessor.decode(deepFile).pixels()[5 * 30 + 5] & 0xFF);
        BufferedImage alpha = new BufferedImage(10, 10, BufferedImage.TYPE_INT_ARGB);
        alpha.setRGB(1, 1, 0x80FFFFFF);
        Path alphaFile = dir.resolve("alpha.png");
        ImageIO.write(alpha, "png", alphaFile.toFile());
        assertEquals(255, Preprocessor.decode(alphaFile).pixels()[11] & 0xFF, "transparency is ignored");
    }
}
