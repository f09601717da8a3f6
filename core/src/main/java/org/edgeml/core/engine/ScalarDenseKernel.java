package org.edgeml.core.engine;

import org.edgeml.core.model.QuantizedDense;

/**
 * The reference int8 dense kernel, written as the TFLite int8 spec states the arithmetic (see
 * {@link QuantizedDense}): int32 accumulation of {@code weight * (x - inputZeroPoint)} on top of the
 * bias, requantization with {@link FixedPoint#multiplyByQuantizedMultiplier}, zero point, clamp, and
 * the lookup table for non-clamp activations. Plain and scalar on purpose: faster kernels are checked
 * against it bit for bit.
 */
public final class ScalarDenseKernel implements DenseKernel {
    private final int inputs;
    private final int outputs;
    private final byte[] weights;
    private final int[] bias;
    private final int inputZeroPoint;
    private final Requantizer requantizer;

    public ScalarDenseKernel(QuantizedDense layer) {
        inputs = layer.inputs();
        outputs = layer.outputs();
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
            int acc = bias[o];
            int row = o * inputs;
            for (int i = 0; i < inputs; i++) {
                acc += weights[row + i] * (input[i] - inputZeroPoint);
            }
            output[o] = requantizer.apply(acc, o);
        }
    }
}
