package org.edgeml.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerForDemoTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    @Test
    void theUsersBrokerIsUsedAsGivenAndNeverStopped() {
        try (DemoBroker b = BrokerForDemo.open("tcp://broker.lan:1883", Optional.of(Path.of("/nonexistent")), QUIET)) {
            assertEquals("tcp://broker.lan:1883", b.url());
            assertEquals("broker at tcp://broker.lan:1883", b.description());
        }
    }

    @Test
    void withoutMosquittoTheEmbeddedBrokerIsStarted() throws Exception {
        try (DemoBroker b = BrokerForDemo.open(null, Optional.empty(), QUIET)) {
            assertInstanceOf(MoquetteBroker.class, b);
            assertTrue(b.description().startsWith("embedded broker (Moquette) on port "), b.description());
            assertWorks(b);
        }
    }

    @Test
    void aMosquittoThatFailsToStartFallsBackToTheEmbeddedBroker() throws Exception {
        Path fake = dir.resolve("mosquitto");
        Files.writeString(fake, "#!/bin/sh\necho 'Error: cannot bind' >&2\nexit 1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (DemoBroker b = BrokerForDemo.open(null, Optional.of(fake), new PrintStream(log, true))) {
            assertInstanceOf(MoquetteBroker.class, b);
            assertWorks(b);
        }
        assertTrue(log.toString().contains("mosquitto did not start"), log.toString());
        assertTrue(log.toString().contains("cannot bind"), log.toString());
    }

    @Test
    void theInstalledMosquittoIsStartedOnAFreePortAndStoppedOnClose() throws Exception {
        Optional<Path> mosquitto = BrokerForDemo.findMosquitto();
        if (Boolean.getBoolean("edgeml.requireServices")) {
            Assertions.assertTrue(mosquitto.isPresent(), "mosquitto is missing: apt-get install -y mosquitto");
        } else {
            Assumptions.assumeTrue(mosquitto.isPresent(), "mosquitto is not installed; skipping");
        }
        int port;
        Path configDir;
        try (DemoBroker b = BrokerForDemo.open(null, QUIET)) {
            assertInstanceOf(MosquittoForDemo.class, b);
            configDir = ((MosquittoForDemo) b).dir();
            assertTrue(Files.isDirectory(configDir));
            port = URI.create(b.url()).getPort();
            assertEquals("tcp://127.0.0.1:" + port, b.url());
            assertTrue(b.description().matches("mosquitto \\d+\\.\\d+\\.\\d+ on port " + port), b.description());
            assertWorks(b);
        }
        assertFalse(accepts(port), "mosquitto stopped");
        assertFalse(Files.exists(configDir), "its temp folder is deleted");
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertWorks(DemoBroker b) throws Exception {
        try (TestClient sub = TestClient.connect(b.url(), "sub", true).subscribe("demo/#", 1);
                TestClient pub = TestClient.connect(b.url(), "pub", true)) {
            pub.publish("demo/x", "hello", 1, false);
            assertEquals("hello", sub.poll().payload());
        }
    }
}
