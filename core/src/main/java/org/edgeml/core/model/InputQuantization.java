package org.edgeml.core.model;

/**
 * How a raw grayscale image becomes the model's int8 input. A raw pixel {@code p} (0..255, replaced by
 * {@code 255 - p} when {@code invert}) becomes the float {@code x = p * normScale + normOffset} the
 * float model was trained on, and then the int8 {@code q = clamp(round(x / scale) + zeroPoint, -128, 127)}
 * (ties away from zero, computed in double). As there are only 256 raw values, the engine applies all
 * of this through {@link #lookupTable()}.
 */
public record InputQuantization(int height, int width, boolean invert, double normScale, double normOffset,
                                float scale, int zeroPoint) {
    public static final int MAX_SIDE = 4096;

    public InputQuantization {
        if (height <= 0 || width <= 0 || height > MAX_SIDE || width > MAX_SIDE) {
            throw new IllegalArgumentException("input size must be 1.." + MAX_SIDE + " per side, got " + height + "x" + width);
        }
        if (!Double.isFinite(normScale) || normScale == 0 || !Double.isFinite(normOffset)) {
            throw new IllegalArgumentException("input normalization needs a finite non-zero scale and finite offset, got scale "
                    + normScale + " offset " + normOffset);
        }
        new QuantParams(scale, zeroPoint); // validates
    }

    /**
     * The input quantization whose int8 range covers exactly the floats raw pixels can give, so no
     * calibration is needed for the input (Fashion-MNIST's {@code [0, 1]} gives scale 1/255, zero point -128).
     */
    public static InputQuantization covering(int height, int width, boolean invert, double normScale, double normOffset) {
        double a = normOffset;
        double b = 255 * normScale + normOffset;
        QuantParams q = QuantParams.fromRange(Math.min(a, b), Math.max(a, b));
        return new InputQuantization(height, width, invert, normScale, normOffset, q.scale(), q.zeroPoint());
    }

    /** Pixels per image (the first layer's input count). */
    public int size() {
        return height * width;
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
