package org.edgeml.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.QuantizedDense;
import org.edgeml.core.model.QuantizedMultiplier;
import org.junit.jupiter.api.Test;

/**
 * The vector requantization against the reference arithmetic ({@link FixedPoint}), on accumulators
 * across the whole int range and every shift the model format allows: rounding ties, negative
 * values, the largest left shifts (which wrap, as the reference's do) and zero multipliers.
 */
class VectorRequantizerTest {

    @Test
    void matchesTheReferenceOnEveryShiftAndExtremeAccumulators() {
        Random rnd = new Random(42);
        int[] widths = {1, 4, 7, 8, 15, 16, 17, 33, 64, 100};
        for (int trial = 0; trial < 400; trial++) {
            int outputs = widths[trial % widths.length];
            int[] multiplier = new int[outputs];
            int[] shift = new int[outputs];
            for (int o = 0; o < outputs; o++) {
                multiplier[o] = switch (rnd.nextInt(5)) {
                    case 0 -> 0;
                    case 1 -> 1 << 30;
                    case 2 -> Integer.MAX_VALUE;
                    default -> (1 << 30) + rnd.nextInt(1 << 30);
                };
                shift[o] = multiplier[o] == 0 ? 0 : QuantizedMultiplier.MIN_SHIFT
                        + rnd.nextInt(QuantizedMultiplier.MAX_SHIFT - QuantizedMultiplier.MIN_SHIFT + 1);
            }
            boolean table = trial % 3 == 0;
            QuantizedDense layer = layer(rnd, outputs, multiplier, shift, table);
            int[] bias = new int[outputs];
            int[] acc = new int[VectorRequantizer.paddedLength(outputs)];
            java.util.Arrays.fill(acc, 0x5a5a5a5a); // the padding must not matter
            for (int o = 0; o < outputs; o++) {
                bias[o] = rnd.nextInt();
                acc[o] = switch (rnd.nextInt(6)) {
                    case 0 -> Integer.MIN_VALUE - bias[o];
                    case 1 -> Integer.MAX_VALUE - bias[o];
                    // A remainder of exactly one half after the right shift: a rounding tie.
                    case 2 -> (rnd.nextInt(1 << 12) << Math.max(-shift[o], 1)) + (1 << Math.max(-shift[o] - 1, 0)) - bias[o];
                    case 3 -> rnd.nextInt(2001) - 1000 - bias[o];
                    default -> rnd.nextInt();
                };
            }
            byte[] expected = new byte[outputs];
            for (int o = 0; o < outputs; o++) {
                int v = FixedPoint.multiplyByQuantizedMultiplier(acc[o] + bias[o], multiplier[o], shift[o])
                        + layer.preActivationZeroPoint();
                v = Math.max(layer.clampMin(), Math.min(layer.clampMax(), v));
                expected[o] = table ? layer.lookupTable()[v + 128] : (byte) v;
            }
            byte[] actual = new byte[outputs];
            new VectorRequantizer(layer, bias).apply(acc, actual);
            assertArrayEquals(expected, actual, "trial " + trial);
        }
    }

    private static QuantizedDense layer(Random rnd, int outputs, int[] multiplier, int[] shift, boolean table) {
        float[] scales = new float[outputs];
        java.util.Arrays.fill(scales, 0.01f);
        int zp = rnd.nextInt(256) - 128;
        byte[] lookup = null;
        if (table) {
            lookup = new byte[256];
            rnd.nextBytes(lookup);
        }
        Activation activation = table ? Activation.TANH : Activation.RELU;
        int clampMin = table ? -128 : zp;
        float preScale = table ? 0.05f : 0.1f;
        return new QuantizedDense(1, outputs, activation, new byte[outputs], scales, new int[outputs],
                multiplier, shift, 0.02f, 0, preScale, zp, 0.1f, table ? 0 : zp, clampMin, 127, lookup);
    }
}
