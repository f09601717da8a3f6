package org.edgeml.quantizer;

import org.edgeml.core.engine.FixedPoint;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedMultiplier;
import org.edgeml.core.model.Requantization;

/**
 * The per-output-channel math dense, conv2d and depthwise conv2d layers share (the TFLite int8 spec):
 * for channel {@code o} with float weights {@code w} and bias {@code b},
 *
 * <pre>
 *   weightScale[o] = max|w| / 127                   (1 for an all-zero channel)
 *   q[k]           = clamp(round(w[k] / weightScale[o]), -127, 127)
 *   bias[o]        = round(b / (inputScale * weightScale[o]))        (int32, clamped to the overflow bound)
 *   multiplier[o]  = quantized (inputScale * weightScale[o]) / requantizedScale   (Q31 and shift)
 * </pre>
 *
 * where the requantized scale is the output's for clamp activations and the pre-activation's for
 * lookup-table ones. Channel {@code o}'s {@code perChannel} weights are at
 * {@code o * channelStride + k * elementStride}: rows of a dense or OHWI conv layer ({@code channelStride}
 * the row length, {@code elementStride} 1), columns of a depthwise {@code [kh][kw][C]} layer
 * ({@code channelStride} 1, {@code elementStride} C).
 */
final class ChannelQuantizer {
    private ChannelQuantizer() {}

    /** The quantized weights (same layout as the float ones) and the per-channel arrays. */
    record Channels(byte[] weights, float[] weightScales, int[] bias, int[] multiplier, int[] shift) {}

    static Channels quantize(float[] weights, float[] bias, int channels, int perChannel, int channelStride, int elementStride,
                             QuantParams input, QuantParams requantized, long biasLimit) {
        byte[] q = new byte[weights.length];
        float[] weightScales = new float[channels];
        int[] qBias = new int[channels];
        int[] multiplier = new int[channels];
        int[] shift = new int[channels];
        for (int o = 0; o < channels; o++) {
            int base = o * channelStride;
            float maxAbs = 0;
            for (int k = 0; k < perChannel; k++) {
                maxAbs = Math.max(maxAbs, Math.abs(weights[base + k * elementStride]));
            }
            // An all-zero channel can use any scale; 1 keeps its bias meaningful.
            float scale = maxAbs > 0 ? maxAbs / 127f : 1f;
            weightScales[o] = scale;
            for (int k = 0; k < perChannel; k++) {
                int at = base + k * elementStride;
                long w = QuantParams.round(weights[at] / (double) scale);
                q[at] = (byte) Math.max(-127, Math.min(127, w));
            }
            double accumulatorScale = (double) input.scale() * scale;
            qBias[o] = (int) Math.max(-biasLimit, Math.min(biasLimit, QuantParams.round(bias[o] / accumulatorScale)));
            QuantizedMultiplier m = FixedPoint.quantizeMultiplier(accumulatorScale / requantized.scale());
            multiplier[o] = m.multiplier();
            shift[o] = m.shift();
        }
        return new Channels(q, weightScales, qBias, multiplier, shift);
    }

    /**
     * What the accumulators requantize to: the output for clamp activations, the pre-activation for
     * lookup-table ones (an error when it is missing).
     */
    static QuantParams requantized(Activation activation, QuantParams preActivation, QuantParams output) {
        QuantParams requantized = activation.needsLookupTable() ? preActivation : output;
        if (requantized == null) {
            throw new IllegalArgumentException(activation.cliName() + " needs the pre-activation quantization");
        }
        return requantized;
    }

    /** The requantization step: ReLU as the clamp from the output zero point, others through the lookup table. */
    static Requantization requantization(Activation activation, Channels c, QuantParams preActivation, QuantParams output) {
        QuantParams requantized = requantized(activation, preActivation, output);
        int clampMin = activation == Activation.RELU ? output.zeroPoint() : -128;
        byte[] table = activation.needsLookupTable() ? activation.lookupTable(preActivation, output) : null;
        return new Requantization(activation, c.multiplier(), c.shift(), requantized, output, clampMin, 127, table);
    }
}
