package org.edgeml.host.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.edgeml.core.data.LabeledImages;
import org.junit.jupiter.api.Test;

class ImageGridTest {
    /**
     * Luma by hand: (299*200 + 587*10 + 114*20 + 500) / 1000 = 68 (68.45 rounded down after +0.5),
     * (299*5 + 587*6 + 114*250 + 500) / 1000 = 34; white 255, black 0.
     */
    @Test
    void colourImagesBecomeTheirBt601Luma() {
        byte[] rgb = {(byte) 200, 10, 20, 5, 6, (byte) 250, (byte) 255, (byte) 255, (byte) 255, 0, 0, 0};
        LabeledImages colour = new LabeledImages(2, 2, 3, rgb, new int[] {0});
        assertArrayEquals(new int[] {68, 34, 255, 0}, ImageGrid.greyPixels(colour, 0));
        LabeledImages grey = new LabeledImages(1, 3, new byte[] {1, 2, 3, 7, 8, (byte) 200}, new int[] {0, 1});
        assertArrayEquals(new int[] {7, 8, 200}, ImageGrid.greyPixels(grey, 1));
    }
}
