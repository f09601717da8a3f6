package org.edgeml.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model is: its name, the dataset and class labels it was trained on, the accuracies measured
 * when it was quantized ({@code NaN} when unknown) and free-form properties (training recipe,
 * calibration method, ...). Strings must fit the model file: at most 65535 UTF-8 bytes each (property
 * values excepted).
 */
public record ModelInfo(String name, String dataset, List<String> labels, double floatAccuracy,
                        double int8Accuracy, String createdAt, Map<String, String> properties) {
    public static final int MAX_LABELS = 65535;

    public ModelInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(createdAt, "createdAt");
        labels = List.copyOf(labels);
        properties = Map.copyOf(properties);
        if (labels.isEmpty() || labels.size() > MAX_LABELS) {
            throw new IllegalArgumentException("a model needs 1.." + MAX_LABELS + " labels, got " + labels.size());
        }
        checkAccuracy("float accuracy", floatAccuracy);
        checkAccuracy("int8 accuracy", int8Accuracy);
        if (properties.size() > 65535) {
            throw new IllegalArgumentException("too many properties: " + properties.size());
        }
    }

    private static void checkAccuracy(String what, double value) {
        if (!Double.isNaN(value) && !(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1] or NaN, got " + value);
        }
    }

    /** A copy with the int8 accuracy replaced, for the quantizer that measures it after building. */
    public ModelInfo withInt8Accuracy(double accuracy) {
        return new ModelInfo(name, dataset, labels, floatAccuracy, accuracy, createdAt, properties);
    }
}
