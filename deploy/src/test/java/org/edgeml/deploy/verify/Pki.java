package org.edgeml.deploy.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** A test CA with a server certificate for 127.0.0.1 and a client certificate (PKCS#8 key), made with openssl. */
record Pki(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

    static Pki make(Path dir) throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/openssl"));
        if (!present && Boolean.getBoolean("edgeml.requireServices")) {
            fail("openssl is missing: install openssl");
        }
        Assumptions.assumeTrue(present, "openssl not installed");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "2", "-subj", "/CN=edgeml test CA");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=127.0.0.1");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "san.ext");
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=deploy");
        run(dir, "openssl", "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "client.pem", "-days", "2");
        return new Pki(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key"),
                dir.resolve("client.pem"), dir.resolve("client.key"));
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }
}
