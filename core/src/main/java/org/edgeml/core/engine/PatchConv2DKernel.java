package org.edgeml.core.engine;

import java.util.Arrays;
import java.util.function.Function;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDense;
import org.edgeml.core.model.Requantization;

/**
 * conv2d as a dense layer per output pixel ("im2col"): the window's {@code kh*kw*C} input values, in
 * the order of a row of OHWI weights, are copied into a patch (padding positions get the input zero
 * point, whose {@code x - inputZeroPoint} is 0, exactly what the reference's skipping contributes), and
 * a dense kernel with the conv's weights, bias and requantization maps the patch to the pixel's
 * {@code outputChannels} values. The arithmetic is the dense layer's term for term, so with any
 * {@link DenseKernel} (the Vector API one included) this gives {@link ScalarConv2DKernel}'s bytes; it
 * is the fast path because the dense kernel is. The patch and one pixel's output are buffers sized
 * here: no allocation per frame.
 */
public final class PatchConv2DKernel implements LayerKernel {
    private final WindowGeometry g;
    private final int outputChannels;
    private final byte zeroPoint;
    private final DenseKernel dense;
    private final byte[] patch;
    private final byte[] pixel;

    public PatchConv2DKernel(QuantizedConv2D layer, Function<QuantizedDense, DenseKernel> denseKernels) {
        g = new WindowGeometry(layer.window());
        outputChannels = layer.outputChannels();
        zeroPoint = (byte) layer.input().zeroPoint();
        Requantization r = layer.requantization();
        int patchSize = g.kernelHeight * g.kernelWidth * g.inputChannels;
        dense = denseKernels.apply(new QuantizedDense(patchSize, outputChannels, r.activation(), layer.weights(),
                layer.weightScales(), layer.bias(), r.multiplier(), r.shift(),
                layer.input().scale(), layer.input().zeroPoint(), r.preActivation().scale(), r.preActivation().zeroPoint(),
                r.output().scale(), r.output().zeroPoint(), r.clampMin(), r.clampMax(), r.lookupTable()));
        patch = new byte[patchSize];
        pixel = new byte[outputChannels];
    }

    @Override
    public String name() {
        return dense.name();
    }

    @Override
    public void apply(byte[] input, byte[] output) {
        int rowBytes = g.kernelWidth * g.inputChannels;
        for (int oy = 0; oy < g.outputHeight; oy++) {
            int originY = oy * g.strideHeight - g.padTop;
            for (int ox = 0; ox < g.outputWidth; ox++) {
                int originX = ox * g.strideWidth - g.padLeft;
                int xStart = Math.max(0, -originX);
                int xEnd = Math.min(g.kernelWidth, g.inputWidth - originX);
                for (int ky = 0; ky < g.kernelHeight; ky++) {
                    int iy = originY + ky;
                    int row = ky * rowBytes;
                    if (iy < 0 || iy >= g.inputHeight) {
                        Arrays.fill(patch, row, row + rowBytes, zeroPoint);
                        continue;
                    }
                    Arrays.fill(patch, row, row + xStart * g.inputChannels, zeroPoint);
                    System.arraycopy(input, (iy * g.inputWidth + originX + xStart) * g.inputChannels,
                            patch, row + xStart * g.inputChannels, (xEnd - xStart) * g.inputChannels);
                    Arrays.fill(patch, row + xEnd * g.inputChannels, row + rowBytes, zeroPoint);
                }
                dense.apply(patch, pixel);
                System.arraycopy(pixel, 0, output, (oy * g.outputWidth + ox) * outputChannels, outputChannels);
            }
        }
    }
}
