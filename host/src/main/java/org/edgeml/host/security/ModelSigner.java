package org.edgeml.host.security;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.model.LoadedModel;
import org.edgeml.core.model.ModelSignature;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.core.security.Ed25519Keys;
import org.edgeml.core.security.ModelVerifier;

/**
 * Signs model files with an Ed25519 key pair: a signature over the 32-byte SHA-256 of the file's DGST chunk,
 * stored with the key id in a {@code SIGN} trailer chunk. The bytes before the trailer, and so the model id,
 * are unchanged; signing again replaces the old signature.
 */
public final class ModelSigner {
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    /** @param publicKey the public half of {@code privateKey}: its id goes into the file and checks each signature */
    public ModelSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.keyId = Ed25519Keys.keyId(publicKey);
    }

    /**
     * The key pair 'edgeml keygen' wrote: {@code keyFile} and {@code keyFile.pub} beside it.
     *
     * @param option the option that named the key, for error messages
     */
    public static ModelSigner fromKeyFile(Path keyFile, String option) {
        Path pub = keyFile.resolveSibling(keyFile.getFileName() + ".pub");
        return new ModelSigner(Ed25519Keys.readPrivate(keyFile, option), Ed25519Keys.readPublic(pub, option + " (public half)"));
    }

    public String keyId() {
        return keyId;
    }

    /**
     * The model file's bytes, signed. The new signature is checked with the public key, so a mismatched pair is
     * refused instead of writing a signature nobody can verify.
     *
     * @throws org.edgeml.core.model.ModelFormatException when {@code file} is not a valid model
     * @throws EdgemlException when the keys do not belong together
     */
    public byte[] sign(byte[] file, String sourceName) {
        LoadedModel model = Q8ModelFile.decode(file, sourceName);
        ModelSignature signature = new ModelSignature(keyId, signDigest(model.digest()));
        byte[] signed = Q8ModelFile.withSignature(file, sourceName, signature);
        if (!ModelVerifier.signatureMatches(Q8ModelFile.decode(signed, sourceName), publicKey)) {
            throw new EdgemlException("the public key " + keyId + " does not belong to the private key;"
                    + " keep the KEY.pub that 'edgeml keygen' wrote beside KEY");
        }
        return signed;
    }

    private byte[] signDigest(byte[] digest) {
        try {
            Signature s = Signature.getInstance(Ed25519Keys.ALGORITHM);
            s.initSign(privateKey);
            s.update(digest);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new EdgemlException("cannot sign with this key (" + e.getMessage() + "); use a key from 'edgeml keygen'", e);
        }
    }
}
