package org.edgeml.core.model;

/**
 * A real multiplier as a Q31 fixed-point {@code multiplier} and a power-of-two {@code shift}:
 * {@code real ~= multiplier * 2^(shift - 31)}, with {@code multiplier} in {@code [2^30, 2^31)}, or
 * {@code (0, 0)} for zero. Made by {@code engine.FixedPoint.quantizeMultiplier}.
 */
public record QuantizedMultiplier(int multiplier, int shift) {
    /** The largest shift: a left shift of 31 would overflow 32 bits. */
    public static final int MAX_SHIFT = 30;
    /** The smallest shift: smaller multipliers flush to zero. */
    public static final int MIN_SHIFT = -31;
    public static final QuantizedMultiplier ZERO = new QuantizedMultiplier(0, 0);

    public QuantizedMultiplier {
        String problem = problem(multiplier, shift);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Why {@code (multiplier, shift)} is not a valid pair, or null when it is. */
    static String problem(int multiplier, int shift) {
        if (multiplier == 0 ? shift != 0 : multiplier < (1 << 30)) {
            return "multiplier must be 0 (with shift 0) or in [2^30, 2^31), got " + multiplier + " with shift " + shift;
        }
        if (shift < MIN_SHIFT || shift > MAX_SHIFT) {
            return "shift must be in [" + MIN_SHIFT + ", " + MAX_SHIFT + "], got " + shift;
        }
        return null;
    }

    /** The real number this multiplier stands for. */
    public double toDouble() {
        return Math.scalb((double) multiplier, shift - 31);
    }
}
