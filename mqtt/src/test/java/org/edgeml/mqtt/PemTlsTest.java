package org.edgeml.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.edgeml.core.EdgemlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTlsTest {
    @TempDir
    Path tmp;

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A self-signed key pair made with the JDK's keytool, as PEM files. */
    private Path[] keyPair(String alg) throws Exception {
        Path store = tmp.resolve(alg + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", alg, "-alias", "k", "-dname", "CN=localhost", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "secret", "-keypass", "secret")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, new String(p.getInputStream().readAllBytes()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "secret".toCharArray());
        }
        Certificate cert = ks.getCertificate("k");
        PrivateKey key = (PrivateKey) ks.getKey("k", "secret".toCharArray());
        return new Path[] {
            Files.writeString(tmp.resolve(alg + "-cert.pem"), "subject=CN=localhost\n" + pem("CERTIFICATE", cert.getEncoded())),
            Files.writeString(tmp.resolve(alg + "-key.pem"), pem("PRIVATE KEY", key.getEncoded()))};
    }

    @Test
    void readsPemCertificatesAndPkcs8Keys() throws Exception {
        for (String alg : new String[] {"RSA", "EC"}) {
            Path[] files = keyPair(alg);
            assertEquals(1, PemTls.certificates(files[0]).size());
            assertEquals(alg, PemTls.privateKey(files[1]).getAlgorithm());
            assertNotNull(PemTls.socketFactory(files[0], files[0], files[1]));
        }
    }

    @Test
    void refusesPkcs1AndEncryptedKeysWithTheFix() throws Exception {
        Path pkcs1 = Files.writeString(tmp.resolve("rsa.pem"), pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
        String msg = assertThrows(EdgemlException.class, () -> PemTls.privateKey(pkcs1)).getMessage();
        assertEquals(pkcs1 + " is a PKCS#1 key, which is not supported; convert it: openssl pkcs8 -topk8 -nocrypt -in "
                + pkcs1 + " -out key.pk8.pem", msg);
        Path enc = Files.writeString(tmp.resolve("enc.pem"), pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));
        assertTrue(assertThrows(EdgemlException.class, () -> PemTls.privateKey(enc)).getMessage().contains("encrypted"));
        Path empty = Files.writeString(tmp.resolve("empty.pem"), "hello\n");
        assertEquals(empty + " holds no PEM certificate (-----BEGIN CERTIFICATE-----); give a PEM file",
                assertThrows(EdgemlException.class, () -> PemTls.certificates(empty)).getMessage());
        Path broken = Files.writeString(tmp.resolve("broken.pem"), pem("CERTIFICATE", new byte[] {1, 2, 3}));
        assertTrue(assertThrows(EdgemlException.class, () -> PemTls.certificates(broken)).getMessage()
                .startsWith(broken + " holds a broken certificate"));
    }
}
