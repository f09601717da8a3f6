package org.edgeml.trainer;

import java.util.LinkedHashMap;
import java.util.Map;
import org.edgeml.core.EdgemlException;

/**
 * How much each training image may be changed, drawn anew every epoch ({@code train --augment}): a shift of
 * up to {@code shift} of the image side in each direction, a zoom within {@code 1 +- scale}, a rotation of up
 * to {@code rotationDegrees} either way, a brightness change of up to {@code brightness} of the full range and
 * a contrast change within {@code 1 +- contrast}; mirrored left to right half of the time only with {@code flip}.
 */
public record Augmentation(double shift, double scale, double rotationDegrees, double brightness, double contrast,
                           boolean flip) {

    public static final Augmentation NONE = new Augmentation(0, 0, 0, 0, 0, false);
    /** Small changes a hand-held camera makes: about 3 pixels of 28, 10% zoom, 10 degrees, 10% light. */
    public static final Augmentation DEFAULT = new Augmentation(0.1, 0.1, 10, 0.1, 0.2, false);

    public Augmentation {
        requireRange("shift", shift, 0.5);
        requireRange("scale", scale, 0.5);
        requireRange("rotation", rotationDegrees, 180);
        requireRange("brightness", brightness, 1);
        requireRange("contrast", contrast, 0.9);
    }

    private static void requireRange(String what, double value, double max) {
        if (!(value >= 0 && value <= max)) {
            throw new EdgemlException("augmentation " + what + " must be between 0 and " + max + ", got " + value);
        }
    }

    public boolean enabled() {
        return !equals(NONE);
    }

    /** The same changes, mirrored half of the time. */
    public Augmentation withFlip() {
        return new Augmentation(shift, scale, rotationDegrees, brightness, contrast, true);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shift", shift);
        m.put("scale", scale);
        m.put("rotation_degrees", rotationDegrees);
        m.put("brightness", brightness);
        m.put("contrast", contrast);
        m.put("flip", flip);
        return m;
    }
}
