package org.edgeml.host.floatmodel;

import java.util.Objects;
import org.edgeml.core.model.Activation;

/**
 * A fully connected layer: {@code y[o] = activation(bias[o] + sum_i weights[o*inputs + i] * x[i])}.
 * Weights are stored output-major (one row of {@code inputs} values per output channel), which is
 * the order per-channel quantization works in.
 *
 * <p>With {@code pieces = k > 1} it is a maxout layer: each of the {@code outputs} units has {@code k}
 * linear pieces, rows {@code o*k .. o*k + k - 1} of the {@code outputs*k x inputs} weights (and entries
 * of the {@code outputs*k} biases), and {@code y[o] = activation(max_j (bias[o*k + j] + row(o*k + j) . x))};
 * the activation of a maxout layer is normally the identity.
 */
public record DenseLayer(int inputs, int outputs, Activation activation, float[] weights, float[] bias, int pieces) {
    public static final int MAX_PIECES = 16;

    public DenseLayer {
        Objects.requireNonNull(activation, "activation");
        if (inputs <= 0 || outputs <= 0) {
            throw new IllegalArgumentException("layer shape must be positive, got " + inputs + "->" + outputs);
        }
        if (pieces < 1 || pieces > MAX_PIECES) {
            throw new IllegalArgumentException("a maxout unit has 1.." + MAX_PIECES + " pieces, got " + pieces);
        }
        if (weights.length != (long) inputs * outputs * pieces) {
            throw new IllegalArgumentException("weights hold " + weights.length + " values, expected "
                    + inputs + "x" + outputs + (pieces > 1 ? "x" + pieces + " pieces" : ""));
        }
        if (bias.length != (long) outputs * pieces) {
            throw new IllegalArgumentException("bias holds " + bias.length + " values, expected " + (long) outputs * pieces);
        }
    }

    /** A plain dense layer (one piece per output). */
    public DenseLayer(int inputs, int outputs, Activation activation, float[] weights, float[] bias) {
        this(inputs, outputs, activation, weights, bias, 1);
    }

    public boolean isMaxout() {
        return pieces > 1;
    }

    /** The weight of row {@code row} (output {@code row} of a plain layer, piece {@code row % pieces} of a maxout unit). */
    public float weight(int row, int input) {
        return weights[row * inputs + input];
    }

    /** The layer's output before its activation: {@code bias + W x}, or for maxout the largest piece of each unit. */
    public float[] linear(float[] x) {
        if (x.length != inputs) {
            throw new IllegalArgumentException("layer takes " + inputs + " inputs, got " + x.length);
        }
        float[] y = new float[outputs];
        for (int o = 0; o < outputs; o++) {
            float best = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < pieces; j++) {
                int row = o * pieces + j;
                float sum = 0;
                for (int i = 0, w = row * inputs; i < inputs; i++, w++) {
                    sum += weights[w] * x[i];
                }
                best = Math.max(best, sum + bias[row]);
            }
            y[o] = best;
        }
        return y;
    }

    public long parameterCount() {
        return (long) weights.length + bias.length;
    }
}
