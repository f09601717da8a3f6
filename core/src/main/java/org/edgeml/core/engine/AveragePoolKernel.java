package org.edgeml.core.engine;

import org.edgeml.core.model.AveragePool2D;

/**
 * The int8 average pool kernel with TFLite's rounding (see {@link AveragePool2D}): the int32 sum of
 * each channel over the window's positions inside the input, divided by their count (padding not
 * counted) and rounded to the nearest integer, halves away from zero.
 */
public final class AveragePoolKernel implements LayerKernel {
    private final WindowGeometry g;

    public AveragePoolKernel(AveragePool2D layer) {
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
                int count = (yEnd - yStart) * (xEnd - xStart);
                for (int c = 0; c < channels; c++) {
                    int sum = 0;
                    for (int ky = yStart; ky < yEnd; ky++) {
                        for (int kx = xStart; kx < xEnd; kx++) {
                            sum += input[((originY + ky) * g.inputWidth + originX + kx) * channels + c];
                        }
                    }
                    output[(oy * g.outputWidth + ox) * channels + c] = (byte) roundedAverage(sum, count);
                }
            }
        }
    }

    /**
     * {@code sum / count} rounded to the nearest integer, halves away from zero, in integers as TFLite's
     * reference AveragePool computes it: {@code (sum ± count/2) / count} with truncating division.
     */
    static int roundedAverage(int sum, int count) {
        return sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
    }
}
