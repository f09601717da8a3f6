package org.edgeml.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PahoLink with TLS (PEM CA, client certificate) and with a password, against mosquitto configured for it. */
class TlsAndPasswordTest {
    static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    private static void assumeTool(String path) {
        if (!Boolean.getBoolean("edgeml.requireServices")) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of(path)), path + " is missing");
        }
    }

    /** A CA, a server certificate for 127.0.0.1 and a client certificate, as PEM files in tmp. */
    private void makeCertificates() throws Exception {
        assumeTool("/usr/bin/openssl");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "2", "-subj", "/CN=edgeml test CA");
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=127.0.0.1");
        Files.writeString(tmp.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "san.ext");
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=pi1");
        run("openssl", "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "client.pem", "-days", "2");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other-ca.pem",
                "-days", "2", "-subj", "/CN=someone else");
    }

    private static MqttSettings tls(String url, Path ca, Path cert, Path key) {
        return new MqttSettings(url, "tls-client", false, null, null, ca, cert, key, 1, 100, null, false, 1000,
                Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    @Test
    void connectsWithMutualTlsAndRefusesAnUntrustedServer() throws Exception {
        makeCertificates();
        try (MosquittoBroker broker = MosquittoBroker.start(tmp, List.of("allow_anonymous true",
                "cafile " + tmp.resolve("ca.pem"), "certfile " + tmp.resolve("server.pem"),
                "keyfile " + tmp.resolve("server.key"), "require_certificate true"))) {
            String url = "ssl://127.0.0.1:" + broker.port();
            assertTimeoutPreemptively(LIMIT, () -> {
                try (PahoLink link = new PahoLink(tls(url, tmp.resolve("ca.pem"), tmp.resolve("client.pem"),
                        tmp.resolve("client.key")), new Topics("edgeml", "pi1"), PahoLinkTest.identity("pi1"), StatusCounters::none)) {
                    link.start();
                    assertTrue(link.awaitConnected(Duration.ofSeconds(20)), link.lastError());
                }
                try (PahoLink link = new PahoLink(tls(url, tmp.resolve("other-ca.pem"), tmp.resolve("client.pem"),
                        tmp.resolve("client.key")), new Topics("edgeml", "pi1"), PahoLinkTest.identity("pi1"), StatusCounters::none)) {
                    link.start();
                    while (link.lastError().isEmpty()) {
                        Thread.sleep(20);
                    }
                    assertFalse(link.isConnected());
                    assertTrue(link.lastError().startsWith("TLS failed"), link.lastError());
                }
            });
        }
    }

    @Test
    void aWrongPasswordIsAClearError() throws Exception {
        assumeTool("/usr/bin/mosquitto_passwd");
        MosquittoBroker.assumeInstalled();
        run("mosquitto_passwd", "-c", "-b", tmp.resolve("passwd").toString(), "pi1", "right horse");
        Path good = Files.writeString(tmp.resolve("good"), "right horse\n");
        Path bad = Files.writeString(tmp.resolve("bad"), "wrong\n");
        try (MosquittoBroker broker = MosquittoBroker.start(tmp, List.of("allow_anonymous false",
                "password_file " + tmp.resolve("passwd")))) {
            assertTimeoutPreemptively(LIMIT, () -> {
                for (Path password : List.of(good, bad)) {
                    MqttSettings s = new MqttSettings(broker.url(), "pw-client", false, "pi1", password, null, null, null,
                            1, 100, null, false, 1000, Duration.ofMillis(200), Duration.ofSeconds(2));
                    try (PahoLink link = new PahoLink(s, new Topics("edgeml", "pi1"), PahoLinkTest.identity("pi1"), StatusCounters::none)) {
                        link.start();
                        if (password == good) {
                            assertTrue(link.awaitConnected(Duration.ofSeconds(20)), link.lastError());
                        } else {
                            while (link.lastError().isEmpty()) {
                                Thread.sleep(20);
                            }
                            assertEquals("not authorized (check --username, --password-file and the broker's ACL)",
                                    link.lastError());
                        }
                    }
                }
            });
        }
    }
}
