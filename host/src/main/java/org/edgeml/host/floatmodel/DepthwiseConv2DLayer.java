package org.edgeml.host.floatmodel;

import java.util.Objects;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;

/**
 * A depthwise 2-D convolution with channel multiplier 1: each channel {@code c} is convolved with its own
 * {@code kh x kw} filter, {@code y = activation(bias[c] + sum over ky, kx of weights[(ky*kw + kx)*C + c] * x[iy, ix, c])},
 * positions as in {@link Conv2DLayer}. Weights are {@code [kh][kw][C]}, the order int8 depthwise weights use.
 */
public record DepthwiseConv2DLayer(Window window, Activation activation, float[] weights, float[] bias)
        implements FloatFeatureLayer {
    public DepthwiseConv2DLayer {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(activation, "activation");
        window.output(window.input().channels());
        FloatArrays.requireLength("depthwise conv2d weights", weights,
                (long) window.kernelHeight() * window.kernelWidth() * window.input().channels());
        FloatArrays.requireLength("depthwise conv2d bias", bias, window.input().channels());
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
    public float[] linear(float[] x) {
        Shape in = window.input();
        Shape out = outputShape();
        int channels = in.channels();
        float[] y = new float[out.size()];
        for (int oy = 0; oy < out.height(); oy++) {
            for (int ox = 0; ox < out.width(); ox++) {
                int outBase = (oy * out.width() + ox) * channels;
                for (int c = 0; c < channels; c++) {
                    y[outBase + c] = bias[c];
                }
                for (int ky = 0; ky < window.kernelHeight(); ky++) {
                    int iy = oy * window.strideHeight() - window.padTop() + ky;
                    if (iy < 0 || iy >= in.height()) {
                        continue;
                    }
                    for (int kx = 0; kx < window.kernelWidth(); kx++) {
                        int ix = ox * window.strideWidth() - window.padLeft() + kx;
                        if (ix < 0 || ix >= in.width()) {
                            continue;
                        }
                        int xBase = (iy * in.width() + ix) * channels;
                        int wBase = (ky * window.kernelWidth() + kx) * channels;
                        for (int c = 0; c < channels; c++) {
                            y[outBase + c] += weights[wBase + c] * x[xBase + c];
                        }
                    }
                }
            }
        }
        return y;
    }

    @Override
    public long parameterCount() {
        return (long) weights.length + bias.length;
    }

    @Override
    public String kind() {
        return "depthwise_conv2d";
    }
}
