package org.edgeml.core.engine;

import org.edgeml.core.model.QuantizedDepthwiseConv2D;

/**
 * The reference int8 depthwise conv2d kernel (channel multiplier 1, see
 * {@link QuantizedDepthwiseConv2D}): each channel accumulates {@code weight * (x - inputZeroPoint)} over
 * its own filter's positions inside the input, on top of its bias, then the shared {@link Requantizer}.
 */
public final class ScalarDepthwiseConv2DKernel implements LayerKernel {
    private final WindowGeometry g;
    private final byte[] weights;
    private final int[] bias;
    private final int inputZeroPoint;
    private final Requantizer requantizer;

    public ScalarDepthwiseConv2DKernel(QuantizedDepthwiseConv2D layer) {
        g = new WindowGeometry(layer.window());
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
                for (int c = 0; c < g.inputChannels; c++) {
                    int acc = bias[c];
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
                            acc += weights[(ky * g.kernelWidth + kx) * g.inputChannels + c]
                                    * (input[(iy * g.inputWidth + ix) * g.inputChannels + c] - inputZeroPoint);
                        }
                    }
                    output[(oy * g.outputWidth + ox) * g.inputChannels + c] = requantizer.apply(acc, c);
                }
            }
        }
    }
}
