package org.edgeml.host.floatmodel;

import java.util.Objects;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Shape;

/** The mean of each channel over the whole {@code H x W} input, giving {@code 1 x 1 x C}. */
public record GlobalAveragePoolLayer(Shape inputShape) implements FloatFeatureLayer {
    public GlobalAveragePoolLayer {
        Objects.requireNonNull(inputShape, "inputShape");
    }

    @Override
    public Shape outputShape() {
        return new Shape(1, 1, inputShape.channels());
    }

    @Override
    public Activation activation() {
        return Activation.IDENTITY;
    }

    @Override
    public float[] linear(float[] x) {
        int channels = inputShape.channels();
        int pixels = inputShape.height() * inputShape.width();
        float[] y = new float[channels];
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < channels; c++) {
                y[c] += x[p * channels + c];
            }
        }
        for (int c = 0; c < channels; c++) {
            y[c] /= pixels;
        }
        return y;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    @Override
    public String kind() {
        return "global_average_pool";
    }
}
