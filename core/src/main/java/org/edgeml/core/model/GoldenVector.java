package org.edgeml.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * An int8 input and the exact int8 logits (last layer's output) the model must give for it: if the
 * engine running a model disagrees with a single golden byte, the arithmetic differs from the one the
 * model was quantized and checked with, and the model is refused.
 */
public record GoldenVector(byte[] input, byte[] output) {
    public GoldenVector {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GoldenVector g && Arrays.equals(input, g.input) && Arrays.equals(output, g.output);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(input) + Arrays.hashCode(output);
    }

    @Override
    public String toString() {
        return "GoldenVector[" + input.length + " inputs -> " + Arrays.toString(output) + "]";
    }
}
