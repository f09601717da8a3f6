package org.edgeml.core.model;

/**
 * The shape of one image-like activation: {@code height x width x channels}, stored in NHWC order
 * (batch 1), so the value at row {@code y}, column {@code x}, channel {@code c} is at index
 * {@code (y * width + x) * channels + c}. Flattening keeps this order.
 */
public record Shape(int height, int width, int channels) {
    public static final int MAX_SIDE = 4096;
    public static final int MAX_CHANNELS = 1 << 16;
    /** At most this many values per activation (64 MiB of int8). */
    public static final int MAX_VALUES = 1 << 26;

    public Shape {
        String shape = describe(height, width, channels);
        if (height < 1 || width < 1 || height > MAX_SIDE || width > MAX_SIDE) {
            throw new IllegalArgumentException("shape " + shape + " is impossible: height and width must be 1.." + MAX_SIDE);
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("shape " + shape + " is impossible: channels must be 1.." + MAX_CHANNELS);
        }
        if ((long) height * width * channels > MAX_VALUES) {
            throw new IllegalArgumentException("shape " + shape + " holds more than " + MAX_VALUES + " values");
        }
    }

    /** The number of values, {@code height * width * channels}. */
    public int size() {
        return height * width * channels;
    }

    @Override
    public String toString() {
        return describe(height, width, channels);
    }

    private static String describe(int height, int width, int channels) {
        return Integer.toUnsignedString(height) + "x" + Integer.toUnsignedString(width) + "x" + Integer.toUnsignedString(channels);
    }
}
