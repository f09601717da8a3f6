package org.edgeml.mqtt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.edgeml.core.EdgemlException;

/**
 * TLS from PEM files with the JDK alone: X.509 certificates ({@code BEGIN CERTIFICATE}) and unencrypted
 * PKCS#8 private keys ({@code BEGIN PRIVATE KEY}; RSA, EC or Ed25519). PKCS#1 ({@code BEGIN RSA PRIVATE
 * KEY}), SEC1 ({@code BEGIN EC PRIVATE KEY}) and encrypted keys are refused with the openssl command that
 * converts them.
 */
public final class PemTls {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {}

    /**
     * A socket factory that trusts the CAs in {@code cafile} (or the JDK's defaults when {@code null}) and
     * presents {@code cert}/{@code key} when both are given.
     */
    public static SSLSocketFactory socketFactory(Path cafile, Path cert, Path key) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (cafile == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore trust = emptyStore();
                int i = 0;
                for (Certificate ca : certificates(cafile)) {
                    trust.setCertificateEntry("ca" + i++, ca);
                }
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (cert != null) {
                KeyStore identity = emptyStore();
                List<Certificate> chain = certificates(cert);
                identity.setKeyEntry("client", privateKey(key), NO_PASSWORD, chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(identity, NO_PASSWORD);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new EdgemlException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** All certificates in a PEM file, in order. */
    public static List<Certificate> certificates(Path file) {
        List<Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.type().equals("CERTIFICATE")) {
                    certs.add(cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new EdgemlException(file + " holds a broken certificate (" + e.getMessage()
                    + "); give a PEM X.509 certificate");
        }
        if (certs.isEmpty()) {
            throw new EdgemlException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----); give a PEM file");
        }
        return certs;
    }

    /** The PKCS#8 private key in a PEM file. */
    public static PrivateKey privateKey(Path file) {
        for (Block b : blocks(file)) {
            switch (b.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, b.der());
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new EdgemlException(file + " is a "
                        + (b.type().startsWith("RSA") ? "PKCS#1" : "SEC1") + " key, which is not supported; convert it: "
                        + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pk8.pem");
                case "ENCRYPTED PRIVATE KEY" -> throw new EdgemlException(file
                        + " is encrypted; the runtime needs an unencrypted PKCS#8 key readable only by its user: "
                        + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pk8.pem");
                default -> { }
            }
        }
        throw new EdgemlException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----); give a PKCS#8 PEM key");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new EdgemlException(file + " holds a PKCS#8 key that is not RSA, EC or Ed25519, or is broken");
    }

    private record Block(String type, byte[] der) {}

    private static List<Block> blocks(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new EdgemlException("cannot read " + file + " (" + e.getMessage() + "); check the path and permissions");
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new EdgemlException(file + " has a broken PEM block (" + m.group(1) + "); replace the file");
            }
        }
        return blocks;
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        return ks;
    }
}
