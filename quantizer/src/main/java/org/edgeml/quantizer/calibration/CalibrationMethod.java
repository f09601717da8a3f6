package org.edgeml.quantizer.calibration;

import java.util.Arrays;
import java.util.Locale;
import org.edgeml.core.model.QuantParams;

/**
 * How an activation's observed values become the range its int8 values cover.
 * <ul>
 *   <li>{@code minmax}: the smallest and largest value seen (nothing is clipped);</li>
 *   <li>{@code percentile}: the 0.01th and 99.99th percentiles (rare outliers are clipped for a finer step);</li>
 *   <li>{@code mse}: the range, among shrunken versions of min..max, whose quantize-dequantize round trip
 *       has the smallest mean squared error on the observed values.</li>
 * </ul>
 */
public enum CalibrationMethod {
    MINMAX, PERCENTILE, MSE;

    static final double PERCENTILE_TAIL = 1e-4;
    private static final int MSE_SAMPLE = 20_000;
    private static final int MSE_STEPS = 64;

    public static CalibrationMethod parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new org.edgeml.core.EdgemlException("unknown calibration method '" + name + "': use minmax, percentile or mse");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The command-line name, which is what picocli shows in --help and completion. */
    @Override
    public String toString() {
        return cliName();
    }

    /** The range for these observed values ({@code values} may be reordered). */
    public Range choose(float[] values, int count) {
        if (count == 0) {
            return new Range(0, 0);
        }
        float[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        double min = sorted[0];
        double max = sorted[count - 1];
        return switch (this) {
            case MINMAX -> new Range(min, max);
            case PERCENTILE -> new Range(percentile(sorted, PERCENTILE_TAIL), percentile(sorted, 1 - PERCENTILE_TAIL));
            case MSE -> bestMse(sorted, min, max);
        };
    }

    private static double percentile(float[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int lo = (int) Math.floor(position);
        int hi = Math.min(sorted.length - 1, lo + 1);
        double t = position - lo;
        return sorted[lo] * (1 - t) + sorted[hi] * t;
    }

    private static Range bestMse(float[] sorted, double min, double max) {
        float[] sample = sample(sorted);
        Range best = new Range(min, max);
        double bestError = error(sample, best);
        for (int step = 1; step < MSE_STEPS; step++) {
            double shrink = 1 - step * 0.7 / MSE_STEPS;
            Range candidate = new Range(min * shrink, max * shrink);
            double e = error(sample, candidate);
            if (e < bestError) {
                bestError = e;
                best = candidate;
            }
        }
        return best;
    }

    /** An evenly spaced subsample of the sorted values: enough to compare ranges, cheap to score. */
    private static float[] sample(float[] sorted) {
        if (sorted.length <= MSE_SAMPLE) {
            return sorted;
        }
        float[] s = new float[MSE_SAMPLE];
        for (int i = 0; i < MSE_SAMPLE; i++) {
            s[i] = sorted[(int) ((long) i * (sorted.length - 1) / (MSE_SAMPLE - 1))];
        }
        return s;
    }

    private static double error(float[] values, Range range) {
        QuantParams q = QuantParams.fromRange(range.min(), range.max());
        double sum = 0;
        for (float v : values) {
            double d = q.dequantize(q.quantize(v)) - v;
            sum += d * d;
        }
        return sum / values.length;
    }
}
