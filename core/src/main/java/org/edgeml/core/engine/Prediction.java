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

    /** One class with its softmax probability. */
    public record Ranked(int classIndex, String label, double p) {}
}
