package org.edgeml.runtime.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's mosquitto on a free loopback port, with a generated config in a temp dir (anonymous access,
 * persistence there), for tests. Can be stopped and started again on the same port. When mosquitto is not
 * installed the test is skipped, or fails if {@code -Dedgeml.requireServices=true}.
 */
public final class MosquittoBroker implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final Path dir;
    private final int port;
    private Process process;

    private MosquittoBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
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

    /** Starts a broker whose config, persistence and log live in {@code dir}. */
    public static MosquittoBroker start(Path dir) throws IOException, InterruptedException {
        return start(dir, List.of("allow_anonymous true"));
    }

    /**
     * Starts a broker with these lines for its listener instead of anonymous access (e.g. {@code cafile},
     * {@code certfile}, {@code keyfile}, {@code password_file}, {@code allow_anonymous false}).
     */
    public static MosquittoBroker start(Path dir, List<String> listenerLines) throws IOException, InterruptedException {
        assumeInstalled();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "per_listener_settings true",
                "listener " + port + " 127.0.0.1",
                String.join("\n", listenerLines),
                "persistence true",
                "persistence_location " + dir + "/",
                "autosave_interval 1",
                "log_dest file " + dir.resolve("mosquitto.log"),
                "log_type error",
                "log_type warning",
                "log_type notice",
                "max_queued_messages 100000",
                // when started as root, mosquitto would switch to the 'mosquitto' user and lose the temp dir
                "user " + System.getProperty("user.name"),
                ""));
        MosquittoBroker broker = new MosquittoBroker(dir, port);
        broker.start();
        return broker;
    }

    public void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.out").toFile())
                .start();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("mosquitto.out")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        stop();
        throw new IOException("mosquitto did not listen on port " + port + " within " + START_TIMEOUT_MILLIS + " ms");
    }

    /** Stops the broker (SIGTERM, so it saves its persistence), waiting for it to exit. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The running broker's process id (a restart makes a new one). */
    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
