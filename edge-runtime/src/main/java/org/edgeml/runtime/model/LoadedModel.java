package org.edgeml.runtime.model;

import java.util.Objects;

/**
 * A model with its identity: the SHA-256 stored in (and checked against) the file's DGST chunk.
 * {@link #id()} is what every command prints and every MQTT message carries.
 */
public record LoadedModel(Q8Model model, String sha256Hex) {
    public LoadedModel {
        Objects.requireNonNull(model, "model");
        if (sha256Hex == null || !sha256Hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256Hex must be 64 lowercase hex digits, got " + sha256Hex);
        }
    }

    /** The model id: the first 12 hex digits of the SHA-256. */
    public String id() {
        return sha256Hex.substring(0, 12);
    }
}
