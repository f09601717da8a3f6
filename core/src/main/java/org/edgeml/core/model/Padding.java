package org.edgeml.core.model;

/**
 * How a sliding window (convolution or pooling) treats the border, as TensorFlow and TFLite define it:
 * {@link #VALID} never leaves the input; {@link #SAME} pads so that {@code output = ceil(input / stride)}.
 */
public enum Padding {
    SAME(0),
    VALID(1);

    /** The code stored in the model file. */
    public final int code;

    Padding(int code) {
        this.code = code;
    }

    public static Padding fromCode(int code) {
        for (Padding p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown padding code " + code);
    }
}
