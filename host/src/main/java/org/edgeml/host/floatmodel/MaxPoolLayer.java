package org.edgeml.host.floatmodel;

import java.util.Objects;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;

/** Max pooling: each output value is the largest input value of its window and channel, padding skipped. */
public record MaxPoolLayer(Window window) implements FloatFeatureLayer {
    public MaxPoolLayer {
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
        return WindowPooling.pool(window, x, false);
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    @Override
    public String kind() {
        return "max_pool";
    }
}
