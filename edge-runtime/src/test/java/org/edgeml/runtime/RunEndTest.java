package org.edgeml.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.IdxTestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a run ends when it cannot do its job: undelivered predictions, a camera program that is not there. */
class RunEndTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    private Path model() {
        Path model = dir.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(5, 28, Activation.RELU, 16, 10), model);
        return model;
    }

    /** A broker that accepts the TCP connection and never answers: both predictions of --count 2 are lost. */
    @Test
    void aRunWhosePredictionsWereNeverAcknowledgedExits4AndSaysHowMany() throws Exception {
        Path data = dir.resolve("data");
        IdxTestFiles.writeDataset(data, 10, 28, 10, false);
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> RuntimeMain.run(new String[] {
                "--model", model().toString(), "--source", "idx:" + data, "--count", "2", "--no-discovery",
                "--broker", "tcp://127.0.0.1:" + silent.getLocalPort(), "--device", "silent"},
                    QUIET, new PrintStream(err, true, StandardCharsets.UTF_8)));
            String lines = err.toString(StandardCharsets.UTF_8).strip();
            assertEquals(4, code, lines);
            assertEquals(1, lines.lines().count(), lines);
            assertTrue(lines.startsWith("edgeml-runtime: error: 2 messages were not delivered: the broker tcp://127.0.0.1:"),
                    lines);
        }
    }

    @Test
    void aCameraProgramThatIsNotThereIsOneLineAndExit2() throws Exception {
        Path missing = dir.resolve("no-rpicam-vid");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> RuntimeMain.run(new String[] {
            "--model", model().toString(), "--source", "rpicam", "--rpicam-vid", missing.toString(),
            "--broker", "tcp://127.0.0.1:1", "--device", "nocam", "--no-discovery"},
                QUIET, new PrintStream(err, true, StandardCharsets.UTF_8)));
        String lines = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(2, code, lines);
        assertEquals("edgeml-runtime: error: rpicam-vid: " + missing + " does not exist; install rpicam-apps or give"
                + " --rpicam-vid PATH of the camera program", lines);
    }
}
