package org.edgeml.core.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.io.AtomicFiles;
import org.edgeml.core.io.Sha256;
import org.edgeml.core.model.ModelSignature;

/**
 * Ed25519 keys (the JDK's own provider) in the PEM files OpenSSL reads and writes: the private key as PKCS#8
 * ({@code -----BEGIN PRIVATE KEY-----}, file mode 0600), the public key as X.509 SubjectPublicKeyInfo
 * ({@code -----BEGIN PUBLIC KEY-----}). A key's id is the first 8 bytes of the SHA-256 of its public key's DER.
 */
public final class Ed25519Keys {
    public static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private Ed25519Keys() {}

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime lacks Ed25519 (Java 15+ has it)", e);
        }
    }

    /** 16 hex digits naming the key: the first 8 bytes of the SHA-256 of its DER SubjectPublicKeyInfo. */
    public static String keyId(PublicKey key) {
        return Sha256.hex(key.getEncoded()).substring(0, 2 * ModelSignature.KEY_ID_BYTES);
    }

    /** Writes the private key atomically, readable by its owner only (the file never exists with wider rights). */
    public static void writePrivate(Path file, PrivateKey key) throws IOException {
        AtomicFiles.writeOwnerOnly(file, pem(PRIVATE_LABEL, key.getEncoded()).getBytes(StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(file, OWNER_ONLY); // the temp file already was 0600; this states it
    }

    public static void writePublic(Path file, PublicKey key) throws IOException {
        AtomicFiles.writeString(file, pem(PUBLIC_LABEL, key.getEncoded()));
        Files.setPosixFilePermissions(file, WORLD_READABLE);
    }

    /** @throws EdgemlException naming {@code what} (the option) when the file is missing or not an Ed25519 private key */
    public static PrivateKey readPrivate(Path file, String what) {
        byte[] der = der(file, PRIVATE_LABEL, what);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw notA(file, what, "an Ed25519 private key");
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** @throws EdgemlException naming {@code what} (the option) when the file is missing or not an Ed25519 public key */
    public static PublicKey readPublic(Path file, String what) {
        byte[] der = der(file, PUBLIC_LABEL, what);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw notA(file, what, "an Ed25519 public key");
        }
    }

    private static byte[] der(Path file, String label, String what) {
        String text;
        try {
            if (Files.size(file) > 64 * 1024) {
                throw notA(file, what, "a PEM key (it is far too large)");
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new EdgemlException(what + " " + file + ": no such file; check the path or make one with 'edgeml keygen'");
        } catch (IOException e) {
            throw new EdgemlException(what + " " + file + ": cannot read (" + e.getMessage() + ")");
        }
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = from < 0 ? -1 : text.indexOf(end, from);
        if (from < 0 || to < 0) {
            throw notA(file, what, "a PEM '" + label + "' file");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw notA(file, what, "a PEM '" + label + "' file (bad base64)");
        }
    }

    private static EdgemlException notA(Path file, String what, String expected) {
        return new EdgemlException(what + " " + file + ": not " + expected + "; give the file 'edgeml keygen' wrote"
                + (expected.contains("public") ? " (KEY.pub)" : " (KEY)"));
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
