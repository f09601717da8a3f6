package org.edgeml.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.IdxTestFiles;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.edgeml.runtime.mqtt.Subscriber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Absurd flags and garbage from the camera: a one-line error (exit 2) or a logged skip, never a crash. */
class HostileInputTest {

    @TempDir
    static Path dir;
    static Path model;
    static Path data;

    @BeforeAll
    static void files() throws Exception {
        model = dir.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(31, 28, Activation.RELU, 8, 10), model);
        data = dir.resolve("data");
        IdxTestFiles.writeDataset(data, 10, 28, 10, false);
    }

    static Stream<List<String>> absurdFlags() {
        return Stream.of(
                List.of("--count", "-1"),
                List.of("--count", "99999999999999999999"),
                List.of("--fps", "-3"),
                List.of("--fps", "NaN"),
                List.of("--fps", "Infinity"),
                List.of("--fps", "1e309"),
                List.of("--qos", "3"),
                List.of("--qos", "-1"),
                List.of("--qos", "one"),
                List.of("--broker", "http://example.com"),
                List.of("--broker", "tcp://"),
                List.of("--broker", "tcp://host:99999"),
                List.of("--broker", "tcp://ho st:1883"),
                List.of("--broker", "tcp://[::1:1883"),
                List.of("--offline-buffer", "0"),
                List.of("--offline-buffer", "2147483648"),
                List.of("--camera-width", "7"),
                List.of("--camera-height", "-480"),
                List.of("--camera-fps", "100000"),
                List.of("--camera-timeout", "0"),
                List.of("--led", "99"),
                List.of("--button", "-5"),
                List.of("--device", "../etc"),
                List.of("--device", "x".repeat(65)),
                List.of("--topic-prefix", "#"),
                List.of("--topic-prefix", "/a/"),
                List.of("--client-id", "x".repeat(129)),
                List.of("--publish", "sometimes"),
                List.of("--trigger", "button"),
                List.of("--password-file", "/etc/hostname"),
                List.of("--trusted-key", "/nonexistent.pub"),
                List.of("--trusted-key", "/etc/hostname"),
                List.of("--cafile", "/etc/hostname"),
                List.of("--config", "/nonexistent.conf"),
                List.of("--model"),
                List.of("--no-such-flag", "1"),
                List.of("positional"));
    }

    @ParameterizedTest
    @MethodSource("absurdFlags")
    void absurdFlagsAreOneLineErrors(List<String> flags) {
        List<String> args = new ArrayList<>(List.of("--source", "idx:" + data, "--broker", "tcp://127.0.0.1:1", "--count", "1"));
        if (!flags.contains("--model")) {
            args.addAll(List.of("--model", model.toString()));
        }
        // flags given twice are an error of their own; let the absurd value replace the default
        int at = args.indexOf(flags.get(0));
        if (at >= 0 && flags.size() == 2) {
            args.remove(at + 1);
            args.remove(at);
        }
        args.addAll(flags);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> RuntimeMain.run(args.toArray(String[]::new),
                new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true)));
        String text = err.toString();
        assertEquals(2, code, flags + ": " + text);
        assertTrue(text.startsWith("edgeml-runtime: error: "), text);
        assertEquals(1, text.strip().lines().count(), text);
        assertFalse(text.contains("Exception") || text.contains("\tat "), text);
    }

    /**
     * A shell stand-in for rpicam-vid at 64x32 (3072-byte I420 frames, stride 64) that misbehaves once, then
     * streams black frames. A shell script, not the Java stand-in: the camera timeout below counts from the
     * process start, and a JVM may take longer than that to start on a loaded machine.
     */
    private static Path failingCamera(String mode, Path once) throws Exception {
        int after = mode.equals("garbage") ? 0 : 2;
        String failure = switch (mode) {
            case "garbage" -> "head -c 1536 /dev/urandom; exit 1";
            case "crash" -> "exit 134";
            default -> "exec sleep 600"; // hang: alive, no frames, until the watchdog kills it
        };
        Path program = dir.resolve(mode + "-rpicam");
        Files.writeString(program, String.join("\n",
                "#!/bin/sh",
                "n=0",
                "if [ -e '" + once + "' ]; then mode=normal; else : > '" + once + "'; mode=" + mode + "; fi",
                "while :; do",
                "  if [ $mode != normal ] && [ $n -ge " + after + " ]; then " + failure + "; fi",
                "  head -c 3072 /dev/zero || exit 0",
                "  n=$((n + 1))",
                "  sleep 0.05",
                "done",
                ""));
        assertTrue(program.toFile().setExecutable(true));
        return program;
    }

    /**
     * A camera that writes a short (garbled) frame and dies, crashes, or hangs (alive, no frames) after two
     * frames: the runtime skips what it cannot use, the watchdog restarts the camera, the runtime keeps
     * publishing, and the status counts the restart.
     */
    @ParameterizedTest
    @ValueSource(strings = {"garbage", "crash", "hang"})
    void aFailingCameraIsRestartedAndTheRuntimeKeepsPublishing(String mode) throws Exception {
        Path once = dir.resolve(mode + "-happened");
        Path program = failingCamera(mode, once);
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker-" + mode)));
                    Subscriber s = new Subscriber(broker.url(), mode + "-sub", false, "edgeml/" + mode + "/#")) {
                PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
                int code = RuntimeMain.run(new String[] {"--model", model.toString(), "--source", "rpicam",
                    "--rpicam-vid", program.toString(), "--camera-width", "64", "--camera-height", "32",
                    "--camera-timeout", "1", "--broker", broker.url(), "--device", mode, "--count", "5",
                    "--no-discovery"}, quiet, quiet);
                assertEquals(0, code);
                int predictions = 0;
                long restarts = 0;
                Subscriber.Received r;
                while ((r = s.poll(Duration.ofSeconds(3))) != null) {
                    Map<String, Object> m = Json.parseObject(r.payload());
                    if (r.topic().endsWith("/prediction")) {
                        predictions++;
                    } else if (m.get("camera_restarts") instanceof Long n) {
                        restarts = Math.max(restarts, n);
                    }
                }
                assertEquals(5, predictions, "the runtime kept publishing after the camera's " + mode);
                assertTrue(restarts >= 1, "the status counts the camera restart");
            }
        });
        assertNotNull(Files.getLastModifiedTime(once), "the " + mode + " mode ran");
    }
}
