package org.edgeml.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.edgeml.core.engine.DenseKernels;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime as its own process, stopped by a signal while its source waits for a frame: SIGTERM (a service
 * manager) exits 0, SIGINT (Ctrl-C) exits 130, both after the offline state was recorded. The timeout only
 * guards against a hang.
 */
class SignalStopTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    static MosquittoBroker broker;
    static Path model;

    @BeforeAll
    static void setUp() throws Exception {
        broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker")));
        model = dir.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(5, 28, Activation.RELU, 8, 10), model);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"TERM, 0", "INT, 130"})
    void aSignalStopsTheRuntimeInOrder(String signal, int exitCode) throws Exception {
        Path frames = Files.createDirectories(dir.resolve("frames-" + signal));
        Path health = dir.resolve("health-" + signal + ".json");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(DenseKernels.JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RuntimeMain.class.getName(),
                "--model", model.toString(), "--source", "dir:" + frames, "--broker", broker.url(),
                "--device", "sig-" + signal, "--health-file", health.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log-" + signal + ".txt").toFile()).start();
        try {
            assertTimeoutPreemptively(HANG_GUARD, () -> {
                while (!Files.exists(health) || !Files.readString(health).contains("\"online\"")) {
                    assertTrue(p.isAlive(), "the runtime ended early: " + Files.readString(dir.resolve("log-" + signal + ".txt")));
                    Thread.sleep(100);
                }
                assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
                assertTrue(p.waitFor(HANG_GUARD.toSeconds(), TimeUnit.SECONDS));
            });
            assertEquals(exitCode, p.exitValue(), Files.readString(dir.resolve("log-" + signal + ".txt")));
            assertEquals("offline", Json.parseObject(Files.readString(health)).get("state"));
        } finally {
            p.destroyForcibly();
        }
    }
}
