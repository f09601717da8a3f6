package org.edgeml.core.model;

import java.util.Objects;

/**
 * The average of each channel over the whole {@code height x width} input, giving {@code 1 x 1 x C}:
 * an {@link AveragePool2D} whose window is the whole input (valid padding, so
 * {@code count = height * width}) with the same rounding, halves away from zero. Input and output share
 * one quantization, {@code quant}.
 */
public record GlobalAveragePool(Shape inputShape, QuantParams quant) implements PoolingLayer {
    public GlobalAveragePool {
        Objects.requireNonNull(inputShape, "inputShape");
        Objects.requireNonNull(quant, "quant");
    }

    @Override
    public Shape outputShape() {
        return new Shape(1, 1, inputShape.channels());
    }

    @Override
    public String kind() {
        return "global average pool";
    }
}
