package org.edgeml.core.data;

import java.util.Objects;

/**
 * Images of one size with their class labels, stored flat: image {@code i} is
 * {@code pixels[i*imageSize() .. (i+1)*imageSize())}, {@code rows x cols x channels} unsigned bytes (0..255)
 * in HWC order: value {@code (row, col, c)} at {@code (row*cols + col)*channels + c}. Grey images have one
 * channel (so they are plain row-major pixels), colour images three (R, G, B).
 */
public record LabeledImages(int rows, int cols, int channels, byte[] pixels, int[] labels) {

    public LabeledImages {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + rows + "x" + cols);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images have 1 (grey) or 3 (colour) channels, got " + channels);
        }
        if ((long) rows * cols * channels * labels.length != pixels.length) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " bytes, expected "
                    + labels.length + " images of " + rows + "x" + cols + (channels == 1 ? "" : "x" + channels));
        }
    }

    /** Grey images. */
    public LabeledImages(int rows, int cols, byte[] pixels, int[] labels) {
        this(rows, cols, 1, pixels, labels);
    }

    public int count() {
        return labels.length;
    }

    /** Bytes per image, {@code rows*cols*channels}. */
    public int imageSize() {
        return rows * cols * channels;
    }

    public int label(int image) {
        return labels[image];
    }

    /** The value 0..255 of a grey image's pixel (of a colour image's first channel, red). */
    public int pixel(int image, int row, int col) {
        return pixel(image, row, col, 0);
    }

    /** The value 0..255 of channel {@code channel} of a pixel. */
    public int pixel(int image, int row, int col, int channel) {
        return pixels[image * imageSize() + (row * cols + col) * channels + channel] & 0xFF;
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
        return new LabeledImages(rows, cols, channels, p, l);
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
        return new LabeledImages(rows, cols, channels, p, l);
    }
}
