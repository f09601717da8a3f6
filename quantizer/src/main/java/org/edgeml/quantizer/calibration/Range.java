package org.edgeml.quantizer.calibration;

/** A closed interval of real values an activation is quantized to cover. */
public record Range(double min, double max) {
    public Range {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("invalid range [" + min + ", " + max + "]");
        }
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "[%.3g, %.3g]", min, max);
    }
}
