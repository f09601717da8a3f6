package org.edgeml.host.floatmodel;

import java.util.Objects;
import org.edgeml.core.model.Activation;

/**
 * A fully connected layer: {@code y[o] = activation(bias[o] + sum_i weights[o*inputs + i] * x[i])}.
 * Weights are stored output-major (one row of {@code inputs} values per output channel), which is
 * the order per-channel quantization works in.
 */
public record DenseLayer(int inputs, int outputs, Activation activation, float[] weights, float[] bias) {
    public DenseLayer {
        Objects.requireNonNull(activation, "activation");
        if (inputs <= 0 || outputs <= 0) {
            throw new IllegalArgumentException("layer shape must be positive, got " + inputs + "->" + outputs);
        }
        if (weights.length != (long) inputs * outputs) {
            throw new IllegalArgumentException("weights hold " + weights.length + " values, expected "
                    + inputs + "x" + outputs);
        }
        if (bias.length != outputs) {
            throw new IllegalArgumentException("bias holds " + bias.length + " values, expected " + outputs);
        }
    }

    public float weight(int output, int input) {
        return weights[output * inputs + input];
    }
}
