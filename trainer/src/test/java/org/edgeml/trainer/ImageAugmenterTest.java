package org.edgeml.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.trainer.ImageAugmenter.Change;
import org.junit.jupiter.api.Test;

/** Each change on small images whose result is worked out by hand. */
class ImageAugmenterTest {
    private static final byte[] THREE_BY_THREE = bytes(1, 2, 3, 4, 5, 6, 7, 8, 9);

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] apply(byte[] src, int rows, int cols, Change change) {
        byte[] dst = new byte[src.length];
        ImageAugmenter.apply(src, rows, cols, change, dst);
        return dst;
    }

    @Test
    void noChangeKeepsTheImage() {
        assertArrayEquals(THREE_BY_THREE, apply(THREE_BY_THREE, 3, 3, Change.IDENTITY));
    }

    @Test
    void aShiftMovesPixelsAndExtendsTheEdge() {
        // one pixel right and one down: the first column and row repeat the image's edge
        byte[] shifted = apply(THREE_BY_THREE, 3, 3, new Change(1, 1, 1, 0, 0, 1, false));
        assertArrayEquals(bytes(1, 1, 2, 1, 1, 2, 4, 4, 5), shifted);
    }

    @Test
    void aQuarterTurnTurnsClockwiseOnScreen() {
        byte[] turned = apply(THREE_BY_THREE, 3, 3, new Change(0, 0, 1, Math.PI / 2, 0, 1, false));
        assertArrayEquals(bytes(7, 4, 1, 8, 5, 2, 9, 6, 3), turned);
    }

    @Test
    void zoomingInSamplesBetweenPixels() {
        // 4x4, zoom 2 about the centre (1.5, 1.5): destination (0, 0) samples source (0.75, 0.75)
        byte[] src = bytes(0, 40, 80, 120, 40, 80, 120, 160, 80, 120, 160, 200, 120, 160, 200, 240);
        byte[] zoomed = apply(src, 4, 4, new Change(0, 0, 2, 0, 0, 1, false));
        // the source is 40 * (x + y), so bilinear sampling gives 40 * (0.75 + 0.75) = 60
        assertEquals(60, zoomed[0] & 0xFF);
        // destination (3, 3) samples (2.25, 2.25): 40 * 4.5 = 180
        assertEquals(180, zoomed[15] & 0xFF);
    }

    @Test
    void mirroringSwapsLeftAndRight() {
        assertArrayEquals(bytes(3, 2, 1, 6, 5, 4, 9, 8, 7), apply(THREE_BY_THREE, 3, 3, new Change(0, 0, 1, 0, 0, 1, true)));
    }

    @Test
    void brightnessAddsAndContrastStretchesAboutTheMean() {
        byte[] src = bytes(0, 100, 200, 250);
        // brightness +10, clamped at 255
        assertArrayEquals(bytes(10, 110, 210, 255), apply(src, 2, 2, new Change(0, 0, 1, 0, 10, 1, false)));
        // mean 137.5; contrast 2: (v - 137.5) * 2 + 137.5 = -137.5 -> 0, 62.5 -> 63 (half up), 262.5 -> 255, 362.5 -> 255
        assertArrayEquals(bytes(0, 63, 255, 255), apply(src, 2, 2, new Change(0, 0, 1, 0, 0, 2, false)));
    }

    @Test
    void imagesAreMirroredOnlyWhenFlipIsAsked() {
        Random rnd = new Random(1);
        ImageAugmenter plain = new ImageAugmenter(Augmentation.DEFAULT);
        ImageAugmenter flipping = new ImageAugmenter(Augmentation.DEFAULT.withFlip());
        int mirrored = 0;
        for (int i = 0; i < 1000; i++) {
            assertFalse(plain.draw(rnd, 28, 28).mirror());
            mirrored += flipping.draw(rnd, 28, 28).mirror() ? 1 : 0;
        }
        assertTrue(mirrored > 400 && mirrored < 600, mirrored + " of 1000 mirrored");
    }

    @Test
    void drawsStayWithinTheLimits() {
        Random rnd = new Random(2);
        ImageAugmenter augmenter = new ImageAugmenter(Augmentation.DEFAULT);
        for (int i = 0; i < 1000; i++) {
            Change c = augmenter.draw(rnd, 28, 28);
            assertTrue(Math.abs(c.dx()) <= 2.8 && Math.abs(c.dy()) <= 2.8, c.toString());
            assertTrue(c.zoom() >= 0.9 && c.zoom() <= 1.1, c.toString());
            assertTrue(Math.abs(c.angle()) <= Math.toRadians(10), c.toString());
            assertTrue(Math.abs(c.brightness()) <= 25.5 && c.contrast() >= 0.8 && c.contrast() <= 1.2, c.toString());
        }
    }

    @Test
    void augmentingKeepsLabelsAndRepeatsWithTheSeed() {
        LabeledImages images = SyntheticData.images(20, 3);
        ImageAugmenter augmenter = new ImageAugmenter(Augmentation.DEFAULT);
        LabeledImages a = augmenter.augment(images, 7);
        assertArrayEquals(images.labels(), a.labels());
        assertEquals(images.pixels().length, a.pixels().length);
        assertArrayEquals(a.pixels(), augmenter.augment(images, 7).pixels());
        assertNotEquals(java.util.Arrays.hashCode(a.pixels()), java.util.Arrays.hashCode(augmenter.augment(images, 8).pixels()));
    }

    @Test
    void limitsOutOfRangeAreRefused() {
        assertThrows(EdgemlException.class, () -> new Augmentation(0.6, 0, 0, 0, 0, false));
        assertThrows(EdgemlException.class, () -> new Augmentation(0, 0, -1, 0, 0, false));
        assertFalse(Augmentation.NONE.enabled());
        assertTrue(Augmentation.DEFAULT.enabled());
    }
}
