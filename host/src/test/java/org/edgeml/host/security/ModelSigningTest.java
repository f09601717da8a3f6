package org.edgeml.host.security;

import org.edgeml.core.security.Ed25519Keys;
import org.edgeml.core.security.ModelVerifier;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.LoadedModel;
import org.edgeml.core.model.ModelFormatException;
import org.edgeml.core.model.Q8ModelFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSigningTest {
    private static final byte[] MODEL = Q8ModelFile.encode(TestModels.model(5, 4, Activation.RELU, 6, 3));

    @TempDir
    static Path dir;
    static Path key;
    static Path otherKey;

    @BeforeAll
    static void keys() throws Exception {
        key = dir.resolve("signing");
        otherKey = dir.resolve("other");
        for (Path k : new Path[] {key, otherKey}) {
            KeyPair pair = Ed25519Keys.generate();
            Ed25519Keys.writePrivate(k, pair.getPrivate());
            Ed25519Keys.writePublic(pub(k), pair.getPublic());
        }
    }

    private static Path pub(Path k) {
        return k.resolveSibling(k.getFileName() + ".pub");
    }

    private static Optional<String> verify(byte[] file, Path trustedKey) {
        return ModelVerifier.trusting(pub(trustedKey), "--trusted-key").problemWith(Q8ModelFile.decode(file, "m.q8"));
    }

    private static byte[] sign(byte[] file, Path k) {
        return ModelSigner.fromKeyFile(k, "--key").sign(file, "m.q8");
    }

    @Test
    void aSignedModelVerifiesAndKeepsItsIdAndBytes() {
        byte[] signed = sign(MODEL, key);
        LoadedModel unsigned = Q8ModelFile.decode(MODEL, "m.q8");
        LoadedModel model = Q8ModelFile.decode(signed, "m.q8");
        assertEquals(unsigned.id(), model.id());
        assertArrayEquals(MODEL, Arrays.copyOf(signed, MODEL.length), "signing only appends");
        assertEquals(MODEL.length + 8 + 72, signed.length);
        assertEquals(Ed25519Keys.keyId(Ed25519Keys.readPublic(pub(key), "k")), model.signature().keyId());
        assertEquals(Optional.empty(), verify(signed, key));
        assertTrue(unsigned.signatureIfAny().isEmpty());
    }

    @Test
    void signingAgainReplacesTheSignature() {
        byte[] once = sign(MODEL, key);
        byte[] twice = sign(once, otherKey);
        assertEquals(once.length, twice.length);
        assertEquals(Optional.empty(), verify(twice, otherKey));
        assertTrue(verify(twice, key).orElseThrow().contains("not by the trusted key"));
    }

    @Test
    void anUnsignedModelIsRefusedOnlyWhenAKeyIsTrusted() {
        Q8ModelFile.decode(MODEL, "m.q8"); // runs without a trusted key
        String problem = verify(MODEL, key).orElseThrow();
        assertTrue(problem.contains("not signed") && problem.contains("edgeml sign"), problem);
    }

    @Test
    void aModelSignedByAnotherKeyIsRefused() {
        String problem = verify(sign(MODEL, otherKey), key).orElseThrow();
        assertTrue(problem.contains("signed by key " + Ed25519Keys.keyId(Ed25519Keys.readPublic(pub(otherKey), "k"))), problem);
    }

    @Test
    void everyTamperedByteIsCaught() {
        byte[] signed = sign(MODEL, key);
        int digestEnd = MODEL.length;
        for (int at = 0; at < signed.length; at++) {
            byte[] bad = signed.clone();
            bad[at] ^= 0x01;
            Optional<String> problem;
            try {
                problem = verify(bad, key);
            } catch (ModelFormatException e) {
                assertTrue(at < digestEnd + 8, "byte " + at + " is in the signature trailer: " + e.getMessage());
                continue; // the digest (or the chunk framing) caught it
            }
            assertTrue(problem.isPresent(), "tampered byte " + at + " was accepted");
        }
    }

    @Test
    void aModelChangedAndRedigestedAfterSigningFailsTheSignature() {
        byte[] signed = sign(MODEL, key);
        // Re-encode a different model and graft the old trailer on: the digest is right, the signature is not.
        byte[] other = Q8ModelFile.encode(TestModels.model(6, 4, Activation.RELU, 6, 3));
        byte[] forged = new byte[other.length + 80];
        System.arraycopy(other, 0, forged, 0, other.length);
        System.arraycopy(signed, MODEL.length, forged, other.length, 80);
        assertTrue(verify(forged, key).orElseThrow().contains("does not match the model"));
    }

    @Test
    void aMalformedSignatureChunkIsAFormatError() {
        byte[] signed = sign(MODEL, key);
        byte[] shortSig = Arrays.copyOf(signed, signed.length - 1);
        shortSig[MODEL.length + 4] = 71; // SIGN length 71 instead of 72
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Q8ModelFile.decode(shortSig, "m.q8"));
        assertTrue(e.getMessage().contains("chunk SIGN") && e.getMessage().contains("expected 72"), e.getMessage());
        byte[] two = new byte[signed.length + 80];
        System.arraycopy(signed, 0, two, 0, signed.length);
        System.arraycopy(signed, MODEL.length, two, signed.length, 80);
        assertTrue(assertThrows(ModelFormatException.class, () -> Q8ModelFile.decode(two, "m.q8")).getMessage()
                .contains("second signature"));
    }

    @Test
    void aMismatchedKeyPairIsRefusedBeforeSigning() throws Exception {
        Path mixed = dir.resolve("mixed");
        Files.copy(key, mixed);
        Files.copy(pub(otherKey), pub(mixed));
        EdgemlException e = assertThrows(EdgemlException.class, () -> sign(MODEL, mixed));
        assertTrue(e.getMessage().contains("does not belong to the private key"), e.getMessage());
    }

    @Test
    void keysAreWrittenWithTightModesAndReadBack() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(pub(key))));
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Files.readString(pub(key)).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }

    @Test
    void keyFilesThatAreNotKeysAreOneLineErrors() throws Exception {
        Path junk = dir.resolve("junk.pub");
        Files.writeString(junk, "hello");
        assertTrue(assertThrows(EdgemlException.class, () -> ModelVerifier.trusting(junk, "--trusted-key"))
                .getMessage().startsWith("--trusted-key " + junk + ": not a PEM 'PUBLIC KEY' file"));
        assertTrue(assertThrows(EdgemlException.class, () -> ModelVerifier.trusting(key, "--trusted-key"))
                .getMessage().contains("not a PEM 'PUBLIC KEY' file"), "a private key is no public key");
        assertTrue(assertThrows(EdgemlException.class, () -> ModelVerifier.trusting(dir.resolve("none"), "--trusted-key"))
                .getMessage().contains("no such file"));
        Path rsa = dir.resolve("rsa.pub");
        Files.writeString(rsa, "-----BEGIN PUBLIC KEY-----\nMFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAK==\n-----END PUBLIC KEY-----\n");
        assertTrue(assertThrows(EdgemlException.class, () -> ModelVerifier.trusting(rsa, "--trusted-key"))
                .getMessage().contains("not an Ed25519 public key"));
    }

    /** The key id is reproducible with OpenSSL, as docs/model-format.md says. */
    @Test
    void opensslReadsTheKeysAndAgreesOnTheKeyId() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl missing");
        Process p = new ProcessBuilder("sh", "-c", "openssl pkey -in '" + key + "' -pubout -outform DER | sha256sum")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(Ed25519Keys.keyId(Ed25519Keys.readPublic(pub(key), "k")), out.substring(0, 16), out);
    }
}
