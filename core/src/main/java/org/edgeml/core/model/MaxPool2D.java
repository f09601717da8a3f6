package org.edgeml.core.model;

import java.util.Objects;

/**
 * Max pooling over each {@link Window} position and channel, exact in int8: the output is the largest
 * int8 input in the window, padding positions skipped (TFLite's reference {@code MaxPool}). Input and
 * output share one quantization, {@code quant}, as the TFLite int8 spec requires; there is no
 * activation.
 */
public record MaxPool2D(Window window, QuantParams quant) implements WindowPool {
    public MaxPool2D {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(quant, "quant");
    }

    @Override
    public String kind() {
        return "max pool";
    }
}
