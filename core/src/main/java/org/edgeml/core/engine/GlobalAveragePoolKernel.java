package org.edgeml.core.engine;

import org.edgeml.core.model.GlobalAveragePool;

/** The int8 global average pool kernel (see {@link GlobalAveragePool}): each channel's average over all pixels, rounded as {@link AveragePoolKernel} does. */
public final class GlobalAveragePoolKernel implements LayerKernel {
    private final int pixels;
    private final int channels;

    public GlobalAveragePoolKernel(GlobalAveragePool layer) {
        pixels = layer.inputShape().height() * layer.inputShape().width();
        channels = layer.inputShape().channels();
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void apply(byte[] input, byte[] output) {
        for (int c = 0; c < channels; c++) {
            int sum = 0;
            for (int p = 0; p < pixels; p++) {
                sum += input[p * channels + c];
            }
            output[c] = (byte) AveragePoolKernel.roundedAverage(sum, pixels);
        }
    }
}
