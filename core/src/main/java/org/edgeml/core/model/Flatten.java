package org.edgeml.core.model;

import java.util.Objects;

/**
 * Turns an {@code H x W x C} activation into a vector of {@code H*W*C} values in NHWC order: value
 * {@code (y, x, c)} becomes element {@code (y*W + x)*C + c}. As activations are stored in this order the
 * bytes do not change; the layer states the order the following dense layer's weights assume (a float
 * model trained in NCHW order must permute its first dense layer's weights to match). Input and output
 * share one quantization.
 */
public record Flatten(Shape inputShape, QuantParams quant) implements PoolingLayer {
    public Flatten {
        Objects.requireNonNull(inputShape, "inputShape");
        Objects.requireNonNull(quant, "quant");
        if (inputShape.size() > QuantizedDense.MAX_SIDE) {
            throw new IllegalArgumentException("flattening " + inputShape + " gives " + inputShape.size()
                    + " values; a dense layer takes at most " + QuantizedDense.MAX_SIDE);
        }
    }

    @Override
    public Shape outputShape() {
        return new Shape(1, 1, inputShape.size());
    }

    @Override
    public String kind() {
        return "flatten";
    }
}
