package org.edgeml.core.data;

import java.util.Objects;

/**
 * Grayscale images of one size with their class labels, stored flat: image {@code i} is
 * {@code pixels[i*rows*cols .. (i+1)*rows*cols)}, row-major, one unsigned byte (0..255) per pixel.
 */
public record LabeledImages(int rows, int cols, byte[] pixels, int[] labels) {

    public LabeledImages {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + rows + "x" + cols);
        }
        if ((long) rows * cols * labels.length != pixels.length) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " bytes, expected "
                    + labels.length + " images of " + rows + "x" + cols);
        }
    }

    public int count() {
        return labels.length;
    }

    public int imageSize() {
        return rows * cols;
    }

    public int label(int image) {
        return labels[image];
    }

    /** The pixel value 0..255. */
    public int pixel(int image, int row, int col) {
        return pixels[image * imageSize() + row * cols + col] & 0xFF;
    }

    /** A copy of one image's pixels. */
    public byte[] image(int image) {
        byte[] out = new byte[imageSize()];
        System.arraycopy(pixels, image * imageSize(), out, 0, out.length);
        return out;
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public LabeledImages slice(int from, int to) {
        Objects.checkFromToIndex(from, to, count());
        byte[] p = new byte[(to - from) * imageSize()];
        System.arraycopy(pixels, from * imageSize(), p, 0, p.length);
        int[] l = new int[to - from];
        System.arraycopy(labels, from, l, 0, l.length);
        return new LabeledImages(rows, cols, p, l);
    }

    /** The images at the given indices, in that order, copied. */
    public LabeledImages select(int[] indices) {
        int size = imageSize();
        byte[] p = new byte[indices.length * size];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * size, p, i * size, size);
            l[i] = labels[indices[i]];
        }
        return new LabeledImages(rows, cols, p, l);
    }
}
