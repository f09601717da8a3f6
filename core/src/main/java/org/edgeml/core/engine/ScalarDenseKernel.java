package org.edgeml.core.engine;

import org.edgeml.core.model.QuantizedDense;

/**
 * The reference int8 dense kernel, written as the TFLite int8 spec states the arithmetic (see
 * {@link QuantizedDense}): int32 accumulation of {@code weight * (x - inputZeroPoint)} on top of the
 * bias, requantization with {@link FixedPoint#multiplyByQuantizedMultiplier}, zero point, clamp, and
 * the lookup table for non-clamp activations; a maxout unit takes the largest of its pieces before the
 * table. Plain and scalar on purpose: faster kernels are checked
 * against it bit for bit.
 */
public final class ScalarDenseKernel implements DenseKernel {
    private final int inputs;
    private final int outputs;
    private final int pieces;
    private final byte[] weights;
    private final int[] bias;
    private final int inputZeroPoint;
    private final Requantizer requantizer;

    public ScalarDenseKernel(QuantizedDense layer) {
        inputs = layer.inputs();
        outputs = layer.outputs();
        pieces = layer.pieces();
        weights = layer.weights().clone();
        bias = layer.bias().clone();
        inputZeroPoint = layer.inputZeroPoint();
        requantizer = new Requantizer(layer.requantization());
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void apply(byte[] input, byte[] output) {
        for (int o = 0; o < outputs; o++) {
            // A maxout unit is the largest of its pieces' clamped values; a plain output has one piece.
            int best = Integer.MIN_VALUE;
            for (int row = o * pieces; row < (o + 1) * pieces; row++) {
                int acc = bias[row];
                int w = row * inputs;
                for (int i = 0; i < inputs; i++) {
                    acc += weights[w + i] * (input[i] - inputZeroPoint);
                }
                best = Math.max(best, requantizer.clamped(acc, row));
            }
            output[o] = requantizer.activate(best);
        }
    }
}
