package org.edgeml.runtime.mqtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.edgeml.host.mqtt.Mosquitto;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's mosquitto for tests ({@link Mosquitto}, with persistence in the test's folder, so it can be
 * stopped and started again). When mosquitto is not installed the test is skipped, or fails if
 * {@code -Dedgeml.requireServices=true}.
 */
public final class MosquittoBroker implements AutoCloseable {
    public static final Path BINARY = Mosquitto.DEBIAN_BINARY;

    private final Mosquitto mosquitto;

    private MosquittoBroker(Mosquitto mosquitto) {
        this.mosquitto = mosquitto;
    }

    /** Skips (or fails, when services are required) unless mosquitto is installed. */
    public static void assumeInstalled() {
        boolean present = Files.isExecutable(BINARY);
        if (Boolean.getBoolean("edgeml.requireServices")) {
            Assertions.assertTrue(present, BINARY + " is missing: apt-get install -y mosquitto");
        } else {
            Assumptions.assumeTrue(present, BINARY + " is missing; skipping broker tests");
        }
    }

    /** Starts a broker with anonymous access whose config, persistence and log live in {@code dir}. */
    public static MosquittoBroker start(Path dir) throws IOException, InterruptedException {
        return start(dir, Mosquitto.ANONYMOUS);
    }

    /**
     * Starts a broker with these lines for its listener instead of anonymous access (e.g. {@code cafile},
     * {@code certfile}, {@code keyfile}, {@code password_file}, {@code allow_anonymous false}).
     */
    public static MosquittoBroker start(Path dir, List<String> listenerLines) throws IOException, InterruptedException {
        assumeInstalled();
        return new MosquittoBroker(Mosquitto.start(BINARY, dir, listenerLines, true));
    }

    public void start() throws IOException, InterruptedException {
        mosquitto.start();
    }

    /** Stops the broker (SIGTERM, so it saves its persistence), waiting for it to exit. */
    public void stop() throws InterruptedException {
        mosquitto.stop();
    }

    /** The running broker's process id (a restart makes a new one). */
    public long pid() {
        return mosquitto.pid();
    }

    public int port() {
        return mosquitto.port();
    }

    public String url() {
        return mosquitto.url();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
