package org.edgeml.core.engine;

/**
 * One int8 layer, prepared for inference: {@link #apply} maps the layer's int8 input (NHWC for feature
 * layers) to its int8 output with integer arithmetic only and without allocating. Each layer kind has a
 * plain scalar reference kernel; a faster kernel must give the reference's bytes for every input.
 */
public interface LayerKernel {
    /** Writes the layer's int8 output for its int8 input. */
    void apply(byte[] input, byte[] output);

    /** A short name for logs and benchmarks, e.g. {@code scalar} or {@code vector}. */
    default String name() {
        return getClass().getSimpleName();
    }
}
