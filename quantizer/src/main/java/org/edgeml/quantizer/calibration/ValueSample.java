package org.edgeml.quantizer.calibration;

import java.util.Arrays;
import java.util.Random;

/**
 * The values one activation took during calibration, kept in bounded memory: all of them up to
 * {@code capacity}, beyond that a uniform random sample of {@code capacity} (reservoir sampling), always
 * with the exact smallest and largest value seen. A convolution's output has tens of thousands of values
 * per image, so keeping all of them for hundreds of images would take gigabytes; a few million are plenty
 * for a percentile of 1e-4 or a mean squared error, and minmax sees the exact extremes.
 */
final class ValueSample {
    private final float[] values;
    private final Random random;
    private long seen;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;

    ValueSample(int capacity, long seed) {
        values = new float[capacity];
        random = new Random(seed);
    }

    void add(float[] batch) {
        for (float v : batch) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (seen < values.length) {
                values[(int) seen] = v;
            } else {
                long j = (long) (random.nextDouble() * (seen + 1));
                if (j < values.length) {
                    values[(int) j] = v;
                }
            }
            seen++;
        }
    }

    /** The range {@code method} chooses for the values seen. */
    Range choose(CalibrationMethod method) {
        if (seen <= values.length) {
            return method.choose(values, (int) seen);
        }
        // The sample plus the exact extremes, so minmax (and mse's widest candidate) see the true range.
        float[] withExtremes = Arrays.copyOf(values, values.length + 2);
        withExtremes[values.length] = min;
        withExtremes[values.length + 1] = max;
        return method.choose(withExtremes, withExtremes.length);
    }
}
