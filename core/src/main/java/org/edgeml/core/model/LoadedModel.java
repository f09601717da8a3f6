package org.edgeml.core.model;

import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A model with its identity: the SHA-256 stored in (and checked against) the file's DGST chunk, and the
 * signature from its {@code SIGN} trailer chunk, if any ({@code null} when unsigned). {@link #id()} is what
 * every command prints and every MQTT message carries; the signature does not change it.
 */
public record LoadedModel(Q8Model model, String sha256Hex, ModelSignature signature) {
    public LoadedModel {
        Objects.requireNonNull(model, "model");
        if (sha256Hex == null || !sha256Hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256Hex must be 64 lowercase hex digits, got " + sha256Hex);
        }
    }

    public LoadedModel(Q8Model model, String sha256Hex) {
        this(model, sha256Hex, null);
    }

    /** The model id: the first 12 hex digits of the SHA-256. */
    public String id() {
        return sha256Hex.substring(0, 12);
    }

    /** The 32 bytes of the DGST chunk: what a signature signs. */
    public byte[] digest() {
        return HexFormat.of().parseHex(sha256Hex);
    }

    public Optional<ModelSignature> signatureIfAny() {
        return Optional.ofNullable(signature);
    }
}
