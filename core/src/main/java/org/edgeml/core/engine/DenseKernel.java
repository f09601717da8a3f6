package org.edgeml.core.engine;

/**
 * One int8 dense layer, prepared for inference: {@link #apply} maps the layer's int8 input to its
 * int8 output with integer arithmetic only and without allocating. {@link ScalarDenseKernel} is the
 * reference; a faster implementation must give the same bytes for every input.
 */
public interface DenseKernel extends LayerKernel {
    /** Writes the layer's {@code outputs} int8 values for its {@code inputs} int8 values. */
    @Override
    void apply(byte[] input, byte[] output);

    /** A short name for logs and benchmarks, e.g. {@code scalar} or {@code vector}. */
    @Override
    default String name() {
        return getClass().getSimpleName();
    }
}
