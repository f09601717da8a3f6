package org.edgeml.runtime;

import org.edgeml.core.image.ColourPreprocessor;
import org.edgeml.core.image.Preprocessor;
import org.edgeml.core.model.InputQuantization;
import org.edgeml.runtime.source.Frame;

/**
 * Turns a frame into the model's raw {@code height x width x channels} input, with the same preprocessing as
 * training: a grey model gets the {@link Preprocessor}'s downscaled luma (of a grey frame, or of an I420 camera
 * frame's Y plane), a colour model the {@link ColourPreprocessor}'s downscaled RGB (of an I420 camera frame,
 * converted from BT.601 full-range YCbCr, or of an RGB image file).
 */
final class ModelInput {
    private final Preprocessor grey;
    private final ColourPreprocessor colour;
    private final int size;

    ModelInput(InputQuantization input, boolean invert) {
        if (input.isColour()) {
            grey = null;
            colour = new ColourPreprocessor(input.height(), input.width(), invert);
            size = colour.outputSize();
        } else {
            grey = new Preprocessor(input.height(), input.width(), invert);
            colour = null;
            size = grey.outputSize();
        }
    }

    /** Bytes of one model input. */
    int size() {
        return size;
    }

    /**
     * Writes the frame's model input into {@code out}.
     *
     * @throws IllegalArgumentException when the frame does not fit its own bytes, or its format cannot feed the model
     */
    void fill(Frame frame, byte[] out) {
        if (grey != null && frame.format() != Frame.Format.RGB) {
            grey.process(frame.plane(), frame.offset(), frame.width(), frame.height(), frame.stride(), out);
        } else if (colour != null && frame.format() == Frame.Format.I420) {
            colour.processI420(frame.plane(), frame.offset(), frame.width(), frame.height(), frame.stride(), out);
        } else if (colour != null && frame.format() == Frame.Format.RGB) {
            colour.processRgb(frame.plane(), frame.offset(), frame.width(), frame.height(), frame.stride(), out);
        } else {
            throw new IllegalArgumentException("a " + frame.format() + " frame cannot feed a "
                    + (grey != null ? "grey" : "colour") + " model");
        }
    }
}
