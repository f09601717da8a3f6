package org.edgeml.host.floatmodel;

import org.edgeml.core.model.Shape;

/**
 * What a model expects as input and how raw pixels become its float input.
 *
 * <p>The input is {@code height x width x channels}, with 1 channel (grey) or 3 (RGB), raw bytes in HWC
 * order. A raw value {@code p} in 0..255 (after the optional inversion {@code p -> 255 - p}, used when
 * the training images show a dark object on a light ground) becomes {@code x = p * scale + offset}, the
 * same for every channel. Fashion-MNIST uses {@code scale = 1/255, offset = 0}.
 */
public record InputSpec(int height, int width, int channels, boolean invert, double scale, double offset) {
    public static final int MAX_SIDE = 4096;

    public InputSpec {
        if (height <= 0 || width <= 0 || height > MAX_SIDE || width > MAX_SIDE || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("input must be HxWx1 (grey) or HxWx3 (RGB) with sides 1.." + MAX_SIDE
                    + ", got " + height + "x" + width + "x" + channels);
        }
        if (!(scale > 0) || !Double.isFinite(scale) || !Double.isFinite(offset)) {
            throw new IllegalArgumentException("input normalization needs scale > 0, got scale " + scale + " offset " + offset);
        }
    }

    public static InputSpec grayscale28() {
        return new InputSpec(28, 28, 1, false, 1.0 / 255.0, 0.0);
    }

    public int size() {
        return height * width * channels;
    }

    /** The input as an activation shape. */
    public Shape shape() {
        return new Shape(height, width, channels);
    }

    /** The float input value for a raw pixel 0..255. */
    public double normalize(int rawPixel) {
        int p = invert ? 255 - rawPixel : rawPixel;
        return p * scale + offset;
    }
}
