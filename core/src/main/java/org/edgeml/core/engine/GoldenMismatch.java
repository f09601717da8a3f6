package org.edgeml.core.engine;

/** The first logit where the engine's output for golden vector {@code golden} differs from the file's. */
public record GoldenMismatch(int golden, int index, int expected, int actual) {
    public String describe() {
        return "golden vector " + golden + " differs at logit " + index + " (expected " + expected + ", got " + actual + ")";
    }
}
