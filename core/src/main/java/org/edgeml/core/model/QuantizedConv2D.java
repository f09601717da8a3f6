package org.edgeml.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * An int8 2-D convolution as the TFLite int8 spec defines it (dilation 1, batch 1, NHWC). With
 * {@code C} input channels and the {@link Window} geometry, for output pixel {@code (oy, ox)} and
 * output channel {@code o}:
 *
 * <pre>
 *   acc = bias[o] + sum over ky, kx, c of weights[((o*kh + ky)*kw + kx)*C + c] * (x[iy, ix, c] - input.zeroPoint)
 *         with iy = oy*strideHeight - padTop + ky, ix = ox*strideWidth - padLeft + kx, inside the input
 * </pre>
 *
 * then {@link Requantization} per output channel. Padding positions are skipped, which is the same as
 * padding with the input zero point (real 0). Weights are OHWI ({@code [outputChannels][kh][kw][C]}, as
 * TFLite stores them), symmetric per output channel (zero point 0, range [-127, 127]); the weight scales
 * document what the integers mean, the requantization's multipliers are what the arithmetic uses. The
 * bias is bounded so no int32 accumulator can overflow. Arrays are not copied: do not change them.
 */
public record QuantizedConv2D(Window window, int outputChannels, byte[] weights, float[] weightScales, int[] bias,
                              QuantParams input, Requantization requantization) implements FeatureLayer {
    public static final int MAX_WEIGHTS = QuantizedDense.MAX_WEIGHTS;

    public QuantizedConv2D {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(requantization, "requantization");
        checkShape(window, outputChannels);
        LayerChecks.requireLength("weights", weights.length, weightCount(window, outputChannels));
        LayerChecks.requireLength("weight scales", weightScales.length, outputChannels);
        LayerChecks.requireLength("bias", bias.length, outputChannels);
        LayerChecks.requireLength("multipliers", requantization.channels(), outputChannels);
        LayerChecks.symmetricWeights(weights);
        LayerChecks.channelScalesAndBias(weightScales, bias, window.kernelHeight() * window.kernelWidth() * window.input().channels());
    }

    /** Checks the output channels and weight count alone, so a reader can check them before allocating. */
    public static void checkShape(Window window, int outputChannels) {
        if (outputChannels < 1 || outputChannels > Shape.MAX_CHANNELS) {
            throw new IllegalArgumentException(Integer.toUnsignedString(outputChannels)
                    + " output channels is impossible: must be 1.." + Shape.MAX_CHANNELS);
        }
        if ((long) window.kernelHeight() * window.kernelWidth() * window.input().channels() * outputChannels > MAX_WEIGHTS) {
            throw new IllegalArgumentException("more than " + MAX_WEIGHTS + " weights");
        }
        window.output(outputChannels);
    }

    private static int weightCount(Window window, int outputChannels) {
        return window.kernelHeight() * window.kernelWidth() * window.input().channels() * outputChannels;
    }

    @Override
    public Shape inputShape() {
        return window.input();
    }

    @Override
    public Shape outputShape() {
        return window.output(outputChannels);
    }

    @Override
    public QuantParams output() {
        return requantization.output();
    }

    @Override
    public String kind() {
        return "conv2d";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantizedConv2D c && window.equals(c.window) && outputChannels == c.outputChannels
                && Arrays.equals(weights, c.weights) && Arrays.equals(weightScales, c.weightScales)
                && Arrays.equals(bias, c.bias) && input.equals(c.input) && requantization.equals(c.requantization);
    }

    @Override
    public int hashCode() {
        return Objects.hash(window, outputChannels, Arrays.hashCode(weights), Arrays.hashCode(bias), requantization);
    }

    @Override
    public String toString() {
        return "QuantizedConv2D[" + window + " -> " + outputShape() + ", in " + input + ", " + requantization + "]";
    }
}
