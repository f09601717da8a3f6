package org.edgeml.core.model;

import java.util.Objects;

/**
 * Average pooling over each {@link Window} position and channel, with TFLite's integer rounding
 * (TFLite's {@code reference_integer_ops::AveragePool} for int8): with {@code sum} the int32 sum of the
 * int8 inputs in the window and {@code count} the number of window positions <em>inside</em> the input
 * (padding is not counted, for same and valid padding alike),
 *
 * <pre>
 *   y = sum > 0 ? (sum + count/2) / count : (sum - count/2) / count      (C integer division, truncating)
 * </pre>
 *
 * which is {@code sum / count} rounded to the nearest integer with halves away from zero. Input and
 * output share one quantization, {@code quant} (the TFLite int8 spec's rule for pooling); there is no
 * activation.
 */
public record AveragePool2D(Window window, QuantParams quant) implements WindowPool {
    public AveragePool2D {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(quant, "quant");
    }

    @Override
    public String kind() {
        return "average pool";
    }
}
