package org.edgeml.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.QuantizedDense;
import org.junit.jupiter.api.Test;

/** Maxout dense layers (k pieces per unit) on the scalar reference, by hand, and on the Vector API kernel, bit for bit. */
class MaxoutKernelTest {
    private static final int ONE = 1 << 30; // with shift 1: multiplier exactly 1; with shift 0: exactly 0.5

    /**
     * Input zero point 0, x = (3, -2); two units of two pieces each:
     * unit 0: row 0 (1, 2) + 0 = -1 times 1, row 1 (2, 0) + 2 = 8 times 0.5 = 4; the largest, 4, plus the
     * output zero point 10 is 14.
     * unit 1: row 2 (-1, 1) + 0 = -5 times 1, row 3 (0, 3) - 4 = -10 times 0.5 = -5; -5 + 10 = 5.
     */
    private static QuantizedDense handLayer(Activation activation, byte[] table) {
        byte[] weights = {1, 2, 2, 0, -1, 1, 0, 3};
        int[] bias = {0, 2, 0, -4};
        int[] multiplier = {ONE, ONE, ONE, ONE};
        int[] shift = {1, 0, 1, 0};
        float[] scales = {1, 1, 1, 1};
        float preScale = table == null ? 0.1f : 0.05f;
        return new QuantizedDense(2, 2, activation, weights, scales, bias, multiplier, shift, 0.1f, 0,
                preScale, 10, 0.1f, 10, -128, 127, table, 2);
    }

    @Test
    void eachUnitIsItsLargestRequantizedPiece() {
        byte[] x = {3, -2};
        assertOutputs(handLayer(Activation.IDENTITY, null), x, new byte[] {14, 5});
    }

    @Test
    void theLookupTableTakesTheLargestPieceNotTheLargestEntry() {
        // A decreasing table tells the orders apart: table(max) = 127 - (14 + 128) = -15 and 127 - (5 + 128) = -6,
        // where max(table(piece)) would give 127 - (9 + 128) = -10 for unit 0.
        byte[] table = new byte[256];
        for (int i = 0; i < 256; i++) {
            table[i] = (byte) (127 - i);
        }
        assertOutputs(handLayer(Activation.TANH, table), new byte[] {3, -2}, new byte[] {-15, -6});
    }

    @Test
    void theVectorKernelMatchesTheReferenceOnRandomMaxoutLayers() {
        Random rnd = new Random(20261130);
        int[] inputs = {1, 3, 16, 17, 33, 64, 100, 129};
        int[] outputs = {1, 2, 3, 5, 8, 13, 17, 33};
        int[] pieces = {2, 3, 4, 5, 16};
        for (int trial = 0; trial < 300; trial++) {
            QuantizedDense layer = random(rnd, inputs[trial % inputs.length], outputs[rnd.nextInt(outputs.length)],
                    pieces[rnd.nextInt(pieces.length)], Activation.values()[rnd.nextInt(3)]);
            for (int n = 0; n < 4; n++) {
                byte[] x = new byte[layer.inputs()];
                rnd.nextBytes(x);
                byte[] expected = new byte[layer.outputs()];
                byte[] actual = new byte[layer.outputs()];
                new ScalarDenseKernel(layer).apply(x, expected);
                DenseKernels.vector().factory().apply(layer).apply(x, actual);
                assertArrayEquals(expected, actual, "trial " + trial + " " + layer);
            }
        }
    }

    private static void assertOutputs(QuantizedDense layer, byte[] x, byte[] expected) {
        byte[] scalar = new byte[layer.outputs()];
        new ScalarDenseKernel(layer).apply(x, scalar);
        assertArrayEquals(expected, scalar, "scalar");
        byte[] vector = new byte[layer.outputs()];
        DenseKernels.vector().factory().apply(layer).apply(x, vector);
        assertArrayEquals(expected, vector, "vector");
    }

    private static QuantizedDense random(Random rnd, int inputs, int outputs, int pieces, Activation activation) {
        int rows = outputs * pieces;
        byte[] weights = new byte[inputs * rows];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (rnd.nextInt(255) - 127);
        }
        int[] bias = new int[rows];
        int[] multiplier = new int[rows];
        int[] shift = new int[rows];
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            bias[r] = rnd.nextInt(200_001) - 100_000;
            multiplier[r] = ONE + rnd.nextInt(ONE);
            shift[r] = -rnd.nextInt(20);
            scales[r] = 0.01f;
        }
        int outZp = rnd.nextInt(256) - 128;
        byte[] table = null;
        int clampMin = activation == Activation.RELU ? outZp : -128;
        if (activation.needsLookupTable()) {
            table = new byte[256];
            rnd.nextBytes(table);
        }
        int preZp = table != null ? rnd.nextInt(256) - 128 : outZp;
        float preScale = table != null ? 0.05f : 0.1f;
        return new QuantizedDense(inputs, outputs, activation, weights, scales, bias, multiplier, shift, 0.02f,
                rnd.nextInt(256) - 128, preScale, preZp, 0.1f, outZp, clampMin, 127, table, pieces);
    }
}
