package org.edgeml.core.model;

/**
 * The affine map between real numbers and int8: {@code real = scale * (q - zeroPoint)}.
 */
public record QuantParams(float scale, int zeroPoint) {
    public QuantParams {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("a quantization scale must be finite and > 0, got " + scale);
        }
        if (zeroPoint < -128 || zeroPoint > 127) {
            throw new IllegalArgumentException("an int8 zero point must be in [-128, 127], got " + zeroPoint);
        }
    }

    /**
     * The parameters that cover {@code [min, max]} with the 256 int8 values, widened to contain 0 so
     * that 0 is exact (as the TFLite spec requires).
     */
    public static QuantParams fromRange(double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("invalid activation range [" + min + ", " + max + "]");
        }
        double lo = Math.min(min, 0);
        double hi = Math.max(max, 0);
        float scale = (float) ((hi - lo) / 255.0);
        if (!(scale > 0)) {
            scale = Float.MIN_NORMAL; // an all-zero range: any positive scale represents it exactly
        }
        long zeroPoint = -128 - round(lo / scale);
        return new QuantParams(scale, (int) Math.max(-128, Math.min(127, zeroPoint)));
    }

    /** {@code clamp(round(real / scale) + zeroPoint, -128, 127)}, rounding ties away from zero. */
    public int quantize(double real) {
        long q = round(real / scale) + zeroPoint;
        return (int) Math.max(-128, Math.min(127, q));
    }

    public double dequantize(int q) {
        return (double) scale * (q - zeroPoint);
    }

    /**
     * Rounds to the nearest integer with ties away from zero (C's {@code round}, as TFLite's
     * quantizer uses), saturating at the long range.
     */
    public static long round(double x) {
        return (long) (x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5));
    }
}
