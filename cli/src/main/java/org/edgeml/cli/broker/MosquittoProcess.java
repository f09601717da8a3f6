package org.edgeml.cli.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgeml.core.io.AtomicFiles;
import org.edgeml.host.io.TempDirs;

/**
 * The machine's mosquitto, started for the demo on a free loopback port with a generated config in a
 * temp dir (anonymous access, no persistence), and stopped (SIGTERM, then SIGKILL) when closed.
 */
final class MosquittoProcess implements DemoBroker {
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final long STOP_TIMEOUT_SECONDS = 5;
    private static final Pattern VERSION = Pattern.compile("mosquitto version (\\S+)");

    private final Process process;
    private final Path dir;
    private final int port;
    private final String version;

    private MosquittoProcess(Process process, Path dir, int port, String version) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.version = version;
    }

    /** Starts mosquitto and waits (bounded) until it accepts connections. */
    static MosquittoProcess start(Path binary) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("edgeml-mosquitto");
        Process process = null;
        try {
            int port = freeLoopbackPort();
            Path config = dir.resolve("mosquitto.conf");
            AtomicFiles.writeString(config, String.join("\n",
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    "persistence false",
                    "max_queued_messages 100000",
                    ""));
            Path log = dir.resolve("mosquitto.log");
            process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            awaitListening(process, port, log);
            return new MosquittoProcess(process, dir, port, version(binary));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (process != null) {
                stop(process);
            }
            TempDirs.deleteQuietly(dir);
            throw e;
        }
    }

    @Override
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public String description() {
        return "mosquitto " + version + " on port " + port;
    }

    @Override
    public void close() {
        try {
            stop(process);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        TempDirs.deleteQuietly(dir);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static void awaitListening(Process process, int port, Path log) throws IOException, InterruptedException {
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

    /** What {@code mosquitto -h} says its version is ("unknown version" if it says nothing useful in time). */
    private static String version(Path binary) throws InterruptedException {
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

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
