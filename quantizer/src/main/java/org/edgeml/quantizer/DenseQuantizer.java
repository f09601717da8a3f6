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
        return quantize(inputs, outputs, 1, activation, weights, bias, input, preActivation, output);
    }

    /**
     * Quantizes a float dense or maxout layer: {@code weights} hold {@code outputs * pieces} rows of {@code inputs},
     * the pieces of unit {@code o} in rows {@code o*pieces ..}. Every row is a channel of its own (weight scale,
     * bias, multiplier); all rows requantize to the same scale and zero point, those of the unit's largest piece
     * (the pre-activation for a lookup-table activation, else the output), so the engine can take the largest
     * piece in int8.
     */
    public static QuantizedDense quantize(int inputs, int outputs, int pieces, Activation activation, float[] weights,
                                          float[] bias, QuantParams input, QuantParams preActivation, QuantParams output) {
        QuantizedDense.checkShape(inputs, outputs, pieces);
        int rows = outputs * pieces;
        if (weights.length != inputs * rows || bias.length != rows) {
            throw new IllegalArgumentException("a " + inputs + "->" + outputs + (pieces > 1 ? " maxout " + pieces : "")
                    + " layer needs " + inputs * rows + " weights and " + rows + " biases, got " + weights.length + " and "
                    + bias.length);
        }
        QuantParams requantized = ChannelQuantizer.requantized(activation, preActivation, output);
        ChannelQuantizer.Channels c = ChannelQuantizer.quantize(weights, bias, rows, inputs, inputs, 1,
                input, requantized, QuantizedDense.maxBias(inputs));
        Requantization r = ChannelQuantizer.requantization(activation, c, preActivation, output);
        return new QuantizedDense(inputs, outputs, activation, c.weights(), c.weightScales(), c.bias(), r.multiplier(),
                r.shift(), input.scale(), input.zeroPoint(), r.preActivation().scale(), r.preActivation().zeroPoint(),
                output.scale(), output.zeroPoint(), r.clampMin(), r.clampMax(), r.lookupTable(), pieces);
    }
}
