package org.edgeml.host.floatmodel;

import java.util.Objects;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;

/**
 * A 2-D convolution (dilation 1): for output pixel {@code (oy, ox)} and filter {@code o},
 * {@code y = activation(bias[o] + sum over ky, kx, c of weights[((o*kh + ky)*kw + kx)*C + c] * x[iy, ix, c])}
 * with {@code iy = oy*strideHeight - padTop + ky}, {@code ix = ox*strideWidth - padLeft + kx}; positions
 * outside the input count as 0 ({@link Window} gives TensorFlow's same/valid padding). Weights are OHWI
 * ({@code [filters][kh][kw][C]}), the order int8 conv weights use.
 */
public record Conv2DLayer(Window window, int filters, Activation activation, float[] weights, float[] bias)
        implements FloatFeatureLayer {
    public Conv2DLayer {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(activation, "activation");
        if (filters < 1 || filters > Shape.MAX_CHANNELS) {
            throw new IllegalArgumentException(filters + " filters is impossible: must be 1.." + Shape.MAX_CHANNELS);
        }
        window.output(filters);
        FloatArrays.requireLength("conv2d weights", weights, (long) filters * window.kernelHeight() * window.kernelWidth()
                * window.input().channels());
        FloatArrays.requireLength("conv2d bias", bias, filters);
    }

    @Override
    public Shape inputShape() {
        return window.input();
    }

    @Override
    public Shape outputShape() {
        return window.output(filters);
    }

    @Override
    public float[] linear(float[] x) {
        Shape in = window.input();
        Shape out = outputShape();
        int kh = window.kernelHeight();
        int kw = window.kernelWidth();
        int channels = in.channels();
        int filterSize = kh * kw * channels;
        float[] y = new float[out.size()];
        for (int oy = 0; oy < out.height(); oy++) {
            for (int ox = 0; ox < out.width(); ox++) {
                int outBase = (oy * out.width() + ox) * filters;
                for (int o = 0; o < filters; o++) {
                    float sum = 0;
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = oy * window.strideHeight() - window.padTop() + ky;
                        if (iy < 0 || iy >= in.height()) {
                            continue;
                        }
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ox * window.strideWidth() - window.padLeft() + kx;
                            if (ix < 0 || ix >= in.width()) {
                                continue;
                            }
                            int xBase = (iy * in.width() + ix) * channels;
                            int wBase = o * filterSize + (ky * kw + kx) * channels;
                            for (int c = 0; c < channels; c++) {
                                sum += weights[wBase + c] * x[xBase + c];
                            }
                        }
                    }
                    y[outBase + o] = sum + bias[o];
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
        return "conv2d";
    }
}
