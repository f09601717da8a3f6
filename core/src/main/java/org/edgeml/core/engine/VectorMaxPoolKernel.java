package org.edgeml.core.engine;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;
import org.edgeml.core.model.MaxPool2D;

/**
 * The int8 max pool on the Vector API, the same bytes as {@link MaxPoolKernel}: NHWC keeps a pixel's
 * channels next to each other, so one byte vector holds {@code LANES} channels of one window position,
 * and the lanewise signed byte max over the window's positions inside the input is the reference's
 * maximum, channel by channel (no arithmetic, nothing to round). The running maximum lives in the
 * output, not in a vector carried across the window's loops: C2 (JDK 17) boxed such a vector on every
 * step. Channels past the last whole vector take the reference's scalar loop. Allocates nothing.
 */
final class VectorMaxPoolKernel implements LayerKernel {
    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED;

    private final WindowGeometry g;
    private final int vectorChannels;

    VectorMaxPoolKernel(MaxPool2D layer) {
        g = new WindowGeometry(layer.window());
        vectorChannels = g.inputChannels / BYTES.length() * BYTES.length();
    }

    @Override
    public String name() {
        return "vector";
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
                int out = (oy * g.outputWidth + ox) * channels;
                int first = ((originY + yStart) * g.inputWidth + originX + xStart) * channels;
                System.arraycopy(input, first, output, out, vectorChannels);
                for (int ky = yStart; ky < yEnd; ky++) {
                    for (int kx = xStart; kx < xEnd; kx++) {
                        int at = ((originY + ky) * g.inputWidth + originX + kx) * channels;
                        for (int c = 0; c < vectorChannels; c += BYTES.length()) {
                            ByteVector.fromArray(BYTES, input, at + c).max(ByteVector.fromArray(BYTES, output, out + c))
                                    .intoArray(output, out + c);
                        }
                    }
                }
                for (int c = vectorChannels; c < channels; c++) {
                    int max = Byte.MIN_VALUE;
                    for (int ky = yStart; ky < yEnd; ky++) {
                        for (int kx = xStart; kx < xEnd; kx++) {
                            max = Math.max(max, input[((originY + ky) * g.inputWidth + originX + kx) * channels + c]);
                        }
                    }
                    output[out + c] = (byte) max;
                }
            }
        }
    }
}
