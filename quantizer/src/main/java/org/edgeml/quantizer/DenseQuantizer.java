package org.edgeml.quantizer;

import org.edgeml.core.engine.FixedPoint;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedDense;
import org.edgeml.core.model.QuantizedMultiplier;

/**
 * The per-layer math of post-training quantization, given the activation ranges calibration chose:
 * per-channel symmetric int8 weights, int32 bias, Q31 requantization multipliers, the clamp range and,
 * for non-clamp activations, the lookup table. {@code docs/quantization.md} states the formulas.
 */
public final class DenseQuantizer {
    private DenseQuantizer() {}

    /**
     * Quantizes a float dense layer ({@code weights} output-major, {@code [outputs][inputs]}).
     *
     * @param input         how the layer's input is quantized (the previous layer's output)
     * @param preActivation the range of {@code activation}'s argument; used only by activations that
     *                      need a lookup table, may be null for IDENTITY and RELU
     * @param output        how the layer's output is quantized
     */
    public static QuantizedDense quantize(int inputs, int outputs, Activation activation, float[] weights, float[] bias,
                                          QuantParams input, QuantParams preActivation, QuantParams output) {
        QuantizedDense.checkShape(inputs, outputs);
        if (weights.length != inputs * outputs || bias.length != outputs) {
            throw new IllegalArgumentException("a " + inputs + "->" + outputs + " layer needs " + inputs * outputs
                    + " weights and " + outputs + " biases, got " + weights.length + " and " + bias.length);
        }
        boolean lut = activation.needsLookupTable();
        QuantParams requantized = lut ? preActivation : output;
        if (requantized == null) {
            throw new IllegalArgumentException(activation.cliName() + " needs the pre-activation quantization");
        }
        byte[] q = new byte[weights.length];
        float[] weightScales = new float[outputs];
        int[] qBias = new int[outputs];
        int[] multiplier = new int[outputs];
        int[] shift = new int[outputs];
        long biasLimit = QuantizedDense.maxBias(inputs);
        for (int o = 0; o < outputs; o++) {
            float maxAbs = 0;
            for (int i = 0; i < inputs; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(weights[o * inputs + i]));
            }
            // An all-zero channel can use any scale; 1 keeps its bias meaningful.
            float scale = maxAbs > 0 ? maxAbs / 127f : 1f;
            weightScales[o] = scale;
            for (int i = 0; i < inputs; i++) {
                long w = QuantParams.round(weights[o * inputs + i] / (double) scale);
                q[o * inputs + i] = (byte) Math.max(-127, Math.min(127, w));
            }
            double accumulatorScale = (double) input.scale() * scale;
            qBias[o] = (int) Math.max(-biasLimit, Math.min(biasLimit, QuantParams.round(bias[o] / accumulatorScale)));
            QuantizedMultiplier m = FixedPoint.quantizeMultiplier(accumulatorScale / requantized.scale());
            multiplier[o] = m.multiplier();
            shift[o] = m.shift();
        }
        int clampMin = activation == Activation.RELU ? output.zeroPoint() : -128;
        byte[] table = lut ? activation.lookupTable(preActivation, output) : null;
        return new QuantizedDense(inputs, outputs, activation, q, weightScales, qBias, multiplier, shift,
                input.scale(), input.zeroPoint(), requantized.scale(), requantized.zeroPoint(),
                output.scale(), output.zeroPoint(), clampMin, 127, table);
    }
}
