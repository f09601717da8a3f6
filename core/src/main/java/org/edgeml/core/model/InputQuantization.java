package org.edgeml.core.model;

/**
 * How a raw image of {@code height x width x channels} bytes (grey: 1 channel; colour: 3, R G B, in HWC
 * order: value {@code (y, x, c)} at {@code (y*width + x)*channels + c}) becomes the model's int8 input.
 * A raw value {@code p} (0..255, replaced by {@code 255 - p} when {@code invert}) becomes the float
 * {@code x = p * normScale + normOffset} the float model was trained on, and then the int8
 * {@code q = clamp(round(x / scale) + zeroPoint, -128, 127)} (ties away from zero, computed in double).
 * Every channel is normalized alike. As there are only 256 raw values, the engine applies all of this
 * through {@link #lookupTable()}.
 */
public record InputQuantization(int height, int width, int channels, boolean invert, double normScale, double normOffset,
                                float scale, int zeroPoint) {
    public static final int MAX_SIDE = 4096;
    public static final int GREY = 1;
    public static final int COLOUR = 3;

    public InputQuantization {
        if (height <= 0 || width <= 0 || height > MAX_SIDE || width > MAX_SIDE) {
            throw new IllegalArgumentException("input size must be 1.." + MAX_SIDE + " per side, got " + height + "x" + width);
        }
        if (channels != GREY && channels != COLOUR) {
            throw new IllegalArgumentException("input channels must be 1 (grey) or 3 (colour, RGB), got " + channels);
        }
        if (!Double.isFinite(normScale) || normScale == 0 || !Double.isFinite(normOffset)) {
            throw new IllegalArgumentException("input normalization needs a finite non-zero scale and finite offset, got scale "
                    + normScale + " offset " + normOffset);
        }
        new QuantParams(scale, zeroPoint); // validates
    }

    /** A grey input ({@code height x width x 1}). */
    public InputQuantization(int height, int width, boolean invert, double normScale, double normOffset,
                             float scale, int zeroPoint) {
        this(height, width, GREY, invert, normScale, normOffset, scale, zeroPoint);
    }

    /**
     * The input quantization whose int8 range covers exactly the floats raw pixels can give, so no
     * calibration is needed for the input (Fashion-MNIST's {@code [0, 1]} gives scale 1/255, zero point -128).
     */
    public static InputQuantization covering(int height, int width, int channels, boolean invert, double normScale,
                                             double normOffset) {
        double a = normOffset;
        double b = 255 * normScale + normOffset;
        QuantParams q = QuantParams.fromRange(Math.min(a, b), Math.max(a, b));
        return new InputQuantization(height, width, channels, invert, normScale, normOffset, q.scale(), q.zeroPoint());
    }

    /** {@link #covering(int, int, int, boolean, double, double)} for a grey input. */
    public static InputQuantization covering(int height, int width, boolean invert, double normScale, double normOffset) {
        return covering(height, width, GREY, invert, normScale, normOffset);
    }

    /** Values per image, {@code height*width*channels} (the first layer's input count). */
    public int size() {
        return height * width * channels;
    }

    public boolean isColour() {
        return channels == COLOUR;
    }

    /** The shape of the input image, {@code height x width x channels}. */
    public Shape shape() {
        return new Shape(height, width, channels);
    }

    public QuantParams quantParams() {
        return new QuantParams(scale, zeroPoint);
    }

    /** The float input the model sees for raw pixel {@code p} (0..255). */
    public double normalize(int rawPixel) {
        int p = invert ? 255 - rawPixel : rawPixel;
        return p * normScale + normOffset;
    }

    /** A new 256-entry table: entry {@code p} is the int8 input for raw pixel {@code p}. */
    public byte[] lookupTable() {
        QuantParams q = quantParams();
        byte[] table = new byte[256];
        for (int p = 0; p < 256; p++) {
            table[p] = (byte) q.quantize(normalize(p));
        }
        return table;
    }
}
