package org.edgeml.host.mqtt;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's mosquitto on a free loopback port, for the demo, {@code bench} and tests: a generated config
 * in a folder the caller owns, a log there, and a bounded wait until it accepts connections. It can be
 * stopped and started again on the same port; {@link #close()} stops it (SIGTERM, then SIGKILL).
 */
public final class Mosquitto implements AutoCloseable {
    public static final Path DEBIAN_BINARY = Path.of("/usr/sbin/mosquitto");
    /** The listener settings for anonymous access. */
    public static final List<String> ANONYMOUS = List.of("allow_anonymous true");
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final long STOP_TIMEOUT_SECONDS = 10;
    private static final Pattern VERSION = Pattern.compile("mosquitto version (\\S+)");

    private final Path binary;
    private final Path config;
    private final Path log;
    private final int port;
    private Process process;

    private Mosquitto(Path binary, Path dir, int port) {
        this.binary = binary;
        this.config = dir.resolve("mosquitto.conf");
        this.log = dir.resolve("mosquitto.log");
        this.port = port;
    }

    /** {@code /usr/sbin/mosquitto}, else the first {@code mosquitto} on the PATH. */
    public static Optional<Path> find() {
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return Optional.of(DEBIAN_BINARY);
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            try {
                Path candidate = Path.of(dir, "mosquitto");
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (InvalidPathException ignored) {
                // not a directory name: skip it
            }
        }
        return Optional.empty();
    }

    /**
     * Starts {@code binary} with its config and log in {@code dir}, waiting (bounded) until it listens.
     *
     * @param listenerSettings lines for the listener, e.g. {@link #ANONYMOUS}, or {@code cafile}, {@code
     *     password_file}, {@code allow_anonymous false}
     * @param persistent keep retained messages and sessions in {@code dir} across a stop and start
     */
    public static Mosquitto start(Path binary, Path dir, List<String> listenerSettings, boolean persistent)
            throws IOException, InterruptedException {
        Mosquitto broker = new Mosquitto(binary, dir, freeLoopbackPort());
        List<String> lines = new ArrayList<>(List.of("per_listener_settings true",
                "listener " + broker.port + " 127.0.0.1"));
        lines.addAll(listenerSettings);
        lines.addAll(persistent
                ? List.of("persistence true", "persistence_location " + dir + "/", "autosave_interval 1")
                : List.of("persistence false"));
        lines.addAll(List.of(
                "log_dest stderr",
                "log_type error", "log_type warning", "log_type notice",
                "max_queued_messages 100000",
                // started as root, mosquitto would switch to the 'mosquitto' user and lose access to dir
                "user " + System.getProperty("user.name"),
                ""));
        Files.writeString(broker.config, String.join("\n", lines));
        broker.start();
        return broker;
    }

    /** Starts the broker again after {@link #stop()}, on the same port; does nothing if it runs. */
    public void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            awaitListening();
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with status " + process.exitValue() + ": "
                        + Files.readString(log, StandardCharsets.UTF_8).strip().replace('\n', ' '));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("mosquitto did not listen on port " + port + " within " + START_TIMEOUT_MILLIS + " ms");
    }

    /** Stops the broker (SIGTERM, so it saves its persistence; SIGKILL if it does not exit in time). */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
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

    /** What {@code mosquitto -h} says its version is ("(unknown version)" if it says nothing useful in time). */
    public String version() throws InterruptedException {
        try {
            Process p = new ProcessBuilder(binary.toString(), "-h").redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "(unknown version)";
            }
            Matcher m = VERSION.matcher(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : "(unknown version)";
        } catch (IOException e) {
            return "(unknown version)";
        }
    }

    /** Stops the broker; an interrupt while waiting kills it at once and keeps the interrupt. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
