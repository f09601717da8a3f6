package org.edgeml.core.engine;

import org.edgeml.core.model.MaxPool2D;

/**
 * The int8 max pool kernel (see {@link MaxPool2D}): the largest input of each channel over the window's
 * positions inside the input. Exact: no arithmetic on the values, input and output share a quantization.
 */
public final class MaxPoolKernel implements LayerKernel {
    private final WindowGeometry g;

    public MaxPoolKernel(MaxPool2D layer) {
        g = new WindowGeometry(layer.window());
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void apply(byte[] input, byte[] output) {
        int channels = g.inputChannels;
        for (int oy = 0; oy < g.outputHeight; oy++) {
            int originY = oy * g.strideHeight - g.padTop;
            int yStart = Math.max(0, -originY);
            int yEnd = Math.min(g.kernelHeight, g.inputHeight - originY);
            for (int ox = 0; ox < g.outputWidth; ox++) {
                int originX = ox * g.strideWidth - g.padLeft;
                int xStart = Math.max(0, -originX);
                int xEnd = Math.min(g.kernelWidth, g.inputWidth - originX);
                for (int c = 0; c < channels; c++) {
                    int max = Byte.MIN_VALUE;
                    for (int ky = yStart; ky < yEnd; ky++) {
                        for (int kx = xStart; kx < xEnd; kx++) {
                            max = Math.max(max, input[((originY + ky) * g.inputWidth + originX + kx) * channels + c]);
                        }
                    }
                    output[(oy * g.outputWidth + ox) * channels + c] = (byte) max;
                }
            }
        }
    }
}
