package org.edgeml.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** A mosquitto broker for tests on a free loopback port, with a temp config; skipped when mosquitto is missing. */
public final class Mosquitto implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Process process;
    private final int port;

    private Mosquitto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Mosquitto start(Path dir) throws IOException, InterruptedException {
        boolean present = Files.isExecutable(BINARY);
        if (!present && Boolean.getBoolean("edgeml.requireServices")) {
            fail("mosquitto is missing: install mosquitto");
        }
        Assumptions.assumeTrue(present, "mosquitto not installed");
        int port = LocalServer.freePort();
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(config, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        Path log = dir.resolve("mosquitto.log");
        Process process = new ProcessBuilder(BINARY.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalServer.awaitListening(process, port, log, "mosquitto");
        return new Mosquitto(process, port);
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
