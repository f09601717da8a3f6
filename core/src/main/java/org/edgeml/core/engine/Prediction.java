package org.edgeml.core.engine;

import java.util.List;

/**
 * The result of classifying one image: the winning class, its label, its softmax probability, and the
 * {@code top} classes by probability (the winner first).
 */
public record Prediction(int classIndex, String label, double confidence, List<Ranked> top) {
    public Prediction {
        top = List.copyOf(top);
    }

    /** The label of a prediction too unsure to name a class ({@link #orUnknownBelow}). */
    public static final String UNKNOWN = "unknown";

    /**
     * This prediction, or, when its confidence is below {@code threshold}, the same with class -1 and label
     * {@value #UNKNOWN} (confidence and top list kept, so the near misses stay visible).
     */
    public Prediction orUnknownBelow(double threshold) {
        return confidence >= threshold ? this : new Prediction(-1, UNKNOWN, confidence, top);
    }

    /** One class with its softmax probability. */
    public record Ranked(int classIndex, String label, double p) {}
}
