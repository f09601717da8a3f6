package org.edgeml.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * An int8 depthwise 2-D convolution with channel multiplier 1, as the TFLite int8 spec defines it
 * (dilation 1, batch 1, NHWC): each channel {@code c} is convolved with its own
 * {@code kh x kw} filter,
 *
 * <pre>
 *   acc = bias[c] + sum over ky, kx of weights[(ky*kw + kx)*C + c] * (x[iy, ix, c] - input.zeroPoint)
 * </pre>
 *
 * with {@code iy, ix} as in {@link QuantizedConv2D} (padding skipped), then {@link Requantization} per
 * channel. Weights are TFLite's depthwise layout {@code [kh][kw][C]}, symmetric per channel. Arrays are
 * not copied: do not change them after construction.
 */
public record QuantizedDepthwiseConv2D(Window window, byte[] weights, float[] weightScales, int[] bias,
                                       QuantParams input, Requantization requantization) implements FeatureLayer {
    public QuantizedDepthwiseConv2D {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(requantization, "requantization");
        checkShape(window);
        int channels = window.input().channels();
        LayerChecks.requireLength("weights", weights.length, window.kernelHeight() * window.kernelWidth() * channels);
        LayerChecks.requireLength("weight scales", weightScales.length, channels);
        LayerChecks.requireLength("bias", bias.length, channels);
        LayerChecks.requireLength("multipliers", requantization.channels(), channels);
        LayerChecks.symmetricWeights(weights);
        LayerChecks.channelScalesAndBias(weightScales, bias, window.kernelHeight() * window.kernelWidth());
    }

    /** Checks the weight count alone, so a reader can check it before allocating. */
    public static void checkShape(Window window) {
        if ((long) window.kernelHeight() * window.kernelWidth() * window.input().channels() > QuantizedConv2D.MAX_WEIGHTS) {
            throw new IllegalArgumentException("more than " + QuantizedConv2D.MAX_WEIGHTS + " weights");
        }
        window.output(window.input().channels());
    }

    @Override
    public Shape inputShape() {
        return window.input();
    }

    @Override
    public Shape outputShape() {
        return window.output(window.input().channels());
    }

    @Override
    public QuantParams output() {
        return requantization.output();
    }

    @Override
    public String kind() {
        return "depthwise conv2d";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantizedDepthwiseConv2D c && window.equals(c.window)
                && Arrays.equals(weights, c.weights) && Arrays.equals(weightScales, c.weightScales)
                && Arrays.equals(bias, c.bias) && input.equals(c.input) && requantization.equals(c.requantization);
    }

    @Override
    public int hashCode() {
        return Objects.hash(window, Arrays.hashCode(weights), Arrays.hashCode(bias), requantization);
    }

    @Override
    public String toString() {
        return "QuantizedDepthwiseConv2D[" + window + ", in " + input + ", " + requantization + "]";
    }
}
