package org.edgeml.runtime.mqtt;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One classified frame, as published.
 *
 * @param classIndex the predicted class
 * @param top        the best classes, most likely first (the message carries up to three)
 * @param latencyUs  preprocessing plus inference, in microseconds
 * @param source     where the frame came from (a file name, {@code camera}, {@code idx#17})
 * @param trueClass  the true class when known (replayed datasets), else -1
 * @param trueLabel  its label, or {@code null}
 */
public record Prediction(long seq, Instant ts, int classIndex, String label, double confidence, List<Scored> top,
        long latencyUs, String source, int trueClass, String trueLabel) {

    /** A class and its probability. */
    public record Scored(String label, double p) {}

    public Prediction {
        Objects.requireNonNull(ts, "ts");
        Objects.requireNonNull(label, "label");
        top = List.copyOf(top);
        if (trueClass < -1) {
            throw new IllegalArgumentException("trueClass " + trueClass);
        }
    }
}
