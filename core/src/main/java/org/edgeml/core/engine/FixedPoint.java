package org.edgeml.core.engine;

import org.edgeml.core.model.QuantizedMultiplier;

/**
 * The fixed-point primitives of the TFLite int8 specification, bit-exact with gemmlowp and TFLite's
 * reference kernels (and with the C code {@code export-c} generates). {@code docs/quantization.md}
 * derives them with worked examples.
 */
public final class FixedPoint {
    private FixedPoint() {}

    /**
     * {@code round(a * b / 2^31)} with ties toward positive infinity, saturating the single overflow
     * case {@code a == b == Integer.MIN_VALUE} to {@code Integer.MAX_VALUE}.
     */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        long ab = (long) a * b;
        long nudge = ab >= 0 ? (1L << 30) : (1L - (1L << 30));
        // Java's long division truncates toward zero, as gemmlowp's does.
        return (int) ((ab + nudge) / (1L << 31));
    }

    /** {@code round(x / 2^exponent)} with ties away from zero, for exponent 0..31. */
    public static int roundingDivideByPOT(int x, int exponent) {
        if (exponent < 0 || exponent > 31) {
            throw new IllegalArgumentException("exponent must be 0..31, got " + exponent);
        }
        int mask = (int) ((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /**
     * {@code x * multiplier * 2^(shift - 31)}, rounded as TFLite's reference kernels do: the left part
     * of the shift is applied before the high multiply, the right part after it. A left shift that
     * overflows 32 bits wraps; {@link #quantizeMultiplier} and the model format keep shifts at most
     * {@link QuantizedMultiplier#MAX_SHIFT} and requantization inputs are accumulators, so this never happens there.
     */
    public static int multiplyByQuantizedMultiplier(int x, int multiplier, int shift) {
        int leftShift = Math.max(shift, 0);
        int rightShift = Math.max(-shift, 0);
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier), rightShift);
    }

    /**
     * The Q31 multiplier and shift with {@code realMultiplier ~= multiplier * 2^(shift - 31)}, where
     * {@code multiplier} is in {@code [2^30, 2^31)} (or 0 for a zero multiplier or one below
     * {@code 2^-32}, which flushes to zero).
     *
     * @throws IllegalArgumentException for NaN, negative values and values that round to {@code 2^30} or more
     */
    public static QuantizedMultiplier quantizeMultiplier(double realMultiplier) {
        if (!(realMultiplier >= 0) || realMultiplier == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("a requantization multiplier must be finite and >= 0, got " + realMultiplier);
        }
        if (realMultiplier == 0) {
            return QuantizedMultiplier.ZERO;
        }
        // frexp: realMultiplier = fraction * 2^exponent with fraction in [0.5, 1).
        int exponent = Math.getExponent(realMultiplier) + 1;
        if (exponent < QuantizedMultiplier.MIN_SHIFT) {
            return QuantizedMultiplier.ZERO;
        }
        double fraction = Math.scalb(realMultiplier, -exponent);
        long q = Math.round(fraction * (1L << 31));
        if (q == (1L << 31)) {
            q /= 2;
            exponent++;
        }
        if (exponent > QuantizedMultiplier.MAX_SHIFT) {
            throw new IllegalArgumentException("requantization multiplier " + realMultiplier
                    + " is too large (must be below 2^30)");
        }
        return new QuantizedMultiplier((int) q, exponent);
    }
}
