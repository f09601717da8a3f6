package org.edgeml.quantizer;

import org.edgeml.core.model.Activation;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedDense;
import org.edgeml.core.model.Requantization;

/**
 * The per-layer math of post-training quantization, given the activation ranges calibration chose:
 * per-channel symmetric int8 weights, int32 bias, Q31 requantization multipliers, the clamp range and,
 * for non-clamp activations, the lookup table ({@link ChannelQuantizer}). {@code docs/quantization.md}
 * states the formulas.
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
        QuantParams requantized = ChannelQuantizer.requantized(activation, preActivation, output);
        ChannelQuantizer.Channels c = ChannelQuantizer.quantize(weights, bias, outputs, inputs, inputs, 1,
                input, requantized, QuantizedDense.maxBias(inputs));
        Requantization r = ChannelQuantizer.requantization(activation, c, preActivation, output);
        return new QuantizedDense(inputs, outputs, activation, c.weights(), c.weightScales(), c.bias(), r.multiplier(),
                r.shift(), input.scale(), input.zeroPoint(), r.preActivation().scale(), r.preActivation().zeroPoint(),
                output.scale(), output.zeroPoint(), r.clampMin(), r.clampMax(), r.lookupTable());
    }
}
