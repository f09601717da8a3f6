package org.edgeml.core.security;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Optional;
import org.edgeml.core.model.LoadedModel;
import org.edgeml.core.model.ModelSignature;

/**
 * Checks a decoded model against the one public key the device trusts ({@code --trusted-key}). Decoding already
 * proved the digest matches the bytes; the signature then proves the digest came from the key's owner.
 */
public final class ModelVerifier {
    private final PublicKey trusted;
    private final String trustedId;
    private final Path file;

    private ModelVerifier(PublicKey trusted, Path file) {
        this.trusted = trusted;
        this.trustedId = Ed25519Keys.keyId(trusted);
        this.file = file;
    }

    /** @throws org.edgeml.core.EdgemlException when the file is not an Ed25519 public key */
    public static ModelVerifier trusting(Path publicKeyFile, String option) {
        return new ModelVerifier(Ed25519Keys.readPublic(publicKeyFile, option), publicKeyFile);
    }

    public String trustedKeyId() {
        return trustedId;
    }

    /** Why this model must not run, or empty when it is signed by the trusted key. */
    public Optional<String> problemWith(LoadedModel model) {
        Optional<ModelSignature> signature = model.signatureIfAny();
        if (signature.isEmpty()) {
            return Optional.of("the model is not signed, and only models signed by key " + trustedId + " (" + file
                    + ") may run; sign it with 'edgeml sign MODEL --key KEY'");
        }
        String keyId = signature.get().keyId();
        if (!keyId.equals(trustedId)) {
            return Optional.of("the model is signed by key " + keyId + ", not by the trusted key " + trustedId
                    + "; sign it with the trusted key, or trust the signer's public key");
        }
        if (!signatureMatches(model, trusted)) {
            return Optional.of("the signature of key " + keyId + " does not match the model: it was modified after"
                    + " signing or is corrupt; sign the original model again");
        }
        return Optional.empty();
    }

    public static boolean signatureMatches(LoadedModel model, PublicKey key) {
        Optional<ModelSignature> signature = model.signatureIfAny();
        if (signature.isEmpty()) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(Ed25519Keys.ALGORITHM);
            s.initVerify(key);
            s.update(model.digest());
            return s.verify(signature.get().signature());
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is no signature
        }
    }
}
