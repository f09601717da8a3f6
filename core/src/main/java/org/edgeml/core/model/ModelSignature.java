package org.edgeml.core.model;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The {@code SIGN} trailer chunk of a model file: which key signed it and the Ed25519 signature over the
 * 32-byte SHA-256 in the file's {@code DGST} chunk (see {@code docs/model-format.md}).
 *
 * @param keyId     16 lowercase hex digits: the first 8 bytes of the SHA-256 of the signer's public key
 *                  (its DER SubjectPublicKeyInfo)
 * @param signature the 64-byte Ed25519 signature
 */
public record ModelSignature(String keyId, byte[] signature) {
    public static final int KEY_ID_BYTES = 8;
    public static final int SIGNATURE_BYTES = 64;
    /** The SIGN chunk's payload: key id, then signature. */
    public static final int PAYLOAD_BYTES = KEY_ID_BYTES + SIGNATURE_BYTES;
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");

    public ModelSignature {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("key id must be 16 lowercase hex digits, got " + keyId);
        }
        if (signature == null || signature.length != SIGNATURE_BYTES) {
            throw new IllegalArgumentException("an Ed25519 signature has " + SIGNATURE_BYTES + " bytes");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSignature s && s.keyId.equals(keyId) && Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode() * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "ModelSignature[keyId=" + keyId + "]";
    }
}
