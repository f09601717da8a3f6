package org.edgeml.core.image;

/** A colour image, row-major, three unsigned bytes (R, G, B, 0..255) per pixel: pixel (x, y) starts at {@code (y*width + x)*3}. */
public record RgbImage(int width, int height, byte[] pixels) {
    public RgbImage {
        if (width <= 0 || height <= 0 || 3L * width * height != pixels.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB image needs " + 3L * width * height
                    + " bytes, got " + pixels.length);
        }
    }
}
