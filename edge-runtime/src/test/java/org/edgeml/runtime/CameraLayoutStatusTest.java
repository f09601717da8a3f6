package org.edgeml.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.edgeml.runtime.mqtt.Subscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera whose rows are padded like a Pi 5's (192-pixel rows in 256 bytes) on a board the runtime takes for a
 * Pi 0-4 (this machine has no device tree): the runtime keeps publishing, and its status counts the layout
 * mismatch it found and corrected.
 */
class CameraLayoutStatusTest {
    private static final Path FAKE_RPICAM = Path.of("src", "test", "tools", "rpicam-vid").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theStatusCountsAFrameLayoutMismatch() throws Exception {
        Path model = dir.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(31, 28, Activation.RELU, 8, 10), model);
        Path program = dir.resolve("pi5-rpicam");
        Files.writeString(program, "#!/bin/sh\nexport FAKE_RPICAM_STRIDE=pisp\nexec '" + FAKE_RPICAM + "' \"$@\"\n");
        assertTrue(program.toFile().setExecutable(true));
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker")));
                    Subscriber s = new Subscriber(broker.url(), "layout-sub", false, "edgeml/layout/#")) {
                PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
                int code = RuntimeMain.run(new String[] {"--model", model.toString(), "--source", "rpicam",
                    "--rpicam-vid", program.toString(), "--camera-width", "192", "--camera-height", "56",
                    "--camera-fps", "10", "--broker", broker.url(), "--device", "layout", "--count", "40",
                    "--status-interval", "1", "--no-discovery"}, quiet, quiet);
                assertEquals(0, code);
                int predictions = 0;
                long mismatches = 0;
                Subscriber.Received r;
                while ((r = s.poll(Duration.ofSeconds(3))) != null) {
                    Map<String, Object> m = Json.parseObject(r.payload());
                    if (r.topic().endsWith("/prediction")) {
                        predictions++;
                    } else if (m.get("frame_layout_mismatches") instanceof Long n) {
                        mismatches = Math.max(mismatches, n);
                    }
                }
                assertEquals(40, predictions);
                assertEquals(1, mismatches, "the status counts the mismatch once");
            }
        });
    }
}
