package org.edgeml.core.model;

/** The checks every layer with int8 weights makes (dense, conv2d, depthwise conv2d), with one wording. */
final class LayerChecks {
    private LayerChecks() {}

    static void requireLength(String what, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + " hold " + actual + " values, expected " + expected);
        }
    }

    /** Symmetric int8 weights are in [-127, 127]. */
    static void symmetricWeights(byte[] weights) {
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == Byte.MIN_VALUE) {
                throw new IllegalArgumentException("weight " + i + " is -128: symmetric int8 weights are in [-127, 127]");
            }
        }
    }

    /**
     * Per output channel: a finite positive weight scale, and a bias small enough that
     * {@code bias + inputs} products of at most {@link QuantizedDense#MAX_PRODUCT} cannot overflow int32.
     */
    static void channelScalesAndBias(float[] weightScales, int[] bias, int inputs) {
        int biasLimit = QuantizedDense.maxBias(inputs);
        for (int o = 0; o < bias.length; o++) {
            if (!(weightScales[o] > 0) || !Float.isFinite(weightScales[o])) {
                throw new IllegalArgumentException("weight scale of channel " + o + " must be finite and > 0, got " + weightScales[o]);
            }
            if (Math.abs((long) bias[o]) > biasLimit) {
                throw new IllegalArgumentException("bias of channel " + o + " is " + bias[o]
                        + ": with " + inputs + " inputs it must be within +-" + biasLimit + " so int32 cannot overflow");
            }
        }
    }
}
