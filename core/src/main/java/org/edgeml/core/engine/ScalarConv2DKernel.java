package org.edgeml.core.engine;

import org.edgeml.core.model.QuantizedConv2D;

/**
 * The reference int8 conv2d kernel, written as the TFLite int8 spec states the arithmetic (see
 * {@link QuantizedConv2D}): for each output pixel and channel, int32 accumulation of
 * {@code weight * (x - inputZeroPoint)} over the window's positions inside the input, on top of the
 * bias, then the shared {@link Requantizer}. Plain and scalar on purpose: faster kernels are checked
 * against it bit for bit.
 */
public final class ScalarConv2DKernel implements LayerKernel {
    private final int outputChannels;
    private final WindowGeometry g;
    private final byte[] weights;
    private final int[] bias;
    private final int inputZeroPoint;
    private final Requantizer requantizer;

    public ScalarConv2DKernel(QuantizedConv2D layer) {
        g = new WindowGeometry(layer.window());
        outputChannels = layer.outputChannels();
        weights = layer.weights().clone();
        bias = layer.bias().clone();
        inputZeroPoint = layer.input().zeroPoint();
        requantizer = new Requantizer(layer.requantization());
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void apply(byte[] input, byte[] output) {
        for (int oy = 0; oy < g.outputHeight; oy++) {
            int originY = oy * g.strideHeight - g.padTop;
            for (int ox = 0; ox < g.outputWidth; ox++) {
                int originX = ox * g.strideWidth - g.padLeft;
                for (int o = 0; o < outputChannels; o++) {
                    int acc = bias[o];
                    for (int ky = 0; ky < g.kernelHeight; ky++) {
                        int iy = originY + ky;
                        if (iy < 0 || iy >= g.inputHeight) {
                            continue; // padding
                        }
                        for (int kx = 0; kx < g.kernelWidth; kx++) {
                            int ix = originX + kx;
                            if (ix < 0 || ix >= g.inputWidth) {
                                continue; // padding
                            }
                            int x = (iy * g.inputWidth + ix) * g.inputChannels;
                            int w = ((o * g.kernelHeight + ky) * g.kernelWidth + kx) * g.inputChannels;
                            for (int c = 0; c < g.inputChannels; c++) {
                                acc += weights[w + c] * (input[x + c] - inputZeroPoint);
                            }
                        }
                    }
                    output[(oy * g.outputWidth + ox) * outputChannels + o] = requantizer.apply(acc, o);
                }
            }
        }
    }
}
