package org.edgeml.host.floatmodel;

import java.util.Objects;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;

/**
 * Average pooling: each output value is the mean of the input values of its window and channel that lie
 * inside the input (padding is not counted, as in TensorFlow and TFLite; PyTorch's
 * {@code count_include_pad=True} differs at the border).
 */
public record AveragePoolLayer(Window window) implements FloatFeatureLayer {
    public AveragePoolLayer {
        Objects.requireNonNull(window, "window");
    }

    @Override
    public Shape inputShape() {
        return window.input();
    }

    @Override
    public Shape outputShape() {
        return window.output(window.input().channels());
    }

    @Override
    public Activation activation() {
        return Activation.IDENTITY;
    }

    @Override
    public float[] linear(float[] x) {
        return WindowPooling.pool(window, x, true);
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    @Override
    public String kind() {
        return "average_pool";
    }
}
