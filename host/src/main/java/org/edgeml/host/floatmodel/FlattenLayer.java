package org.edgeml.host.floatmodel;

import java.util.Objects;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Shape;

/**
 * Turns {@code H x W x C} into {@code H*W*C} values in NHWC order (value {@code (y, x, c)} becomes
 * element {@code (y*W + x)*C + c}): the values do not move. A network trained in NCHW order (DL4J,
 * PyTorch) flattens channel-major, so the dense layer after it must have its weight columns permuted to
 * this order when the model is converted.
 */
public record FlattenLayer(Shape inputShape) implements FloatFeatureLayer {
    public FlattenLayer {
        Objects.requireNonNull(inputShape, "inputShape");
    }

    @Override
    public Shape outputShape() {
        return new Shape(1, 1, inputShape.size());
    }

    @Override
    public Activation activation() {
        return Activation.IDENTITY;
    }

    @Override
    public float[] linear(float[] x) {
        return x;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    @Override
    public String kind() {
        return "flatten";
    }
}
