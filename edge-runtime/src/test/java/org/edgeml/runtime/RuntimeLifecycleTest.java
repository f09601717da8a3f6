package org.edgeml.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.IdxTestFiles;
import org.edgeml.runtime.config.RunConfigParser;
import org.edgeml.runtime.gpio.Gpio;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.edgeml.runtime.mqtt.Subscriber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's start and end against a real mosquitto: nothing is published for bad input, the status lives
 * on a timer beside the frame loop, and a stop (a signal) ends every kind of wait with the offline status, the
 * flush and the GPIO released. Timeouts here only guard against hangs; nothing depends on the machine's speed.
 */
class RuntimeLifecycleTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(90);
    private static final Path FAKE_RPICAM = Path.of("src", "test", "tools", "rpicam-vid").toAbsolutePath();
    private static final BiFunction<Integer, Integer, Gpio> NO_GPIO =
            (led, button) -> Gpio.open(() -> Pi4J.newContextBuilder().build(), led, button);
    private static final BiFunction<Integer, Integer, Gpio> MOCK_GPIO = (led, button) -> Gpio.open(() -> Pi4J.newContextBuilder()
            .add(MockDigitalOutputProvider.newInstance(), MockDigitalInputProvider.newInstance()).build(), led, button);

    @TempDir
    static Path dir;
    static MosquittoBroker broker;
    static Path model;
    static Path data;

    @BeforeAll
    static void setUp() throws Exception {
        broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker")));
        model = dir.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(5, 28, Activation.RELU, 8, 10), model);
        data = dir.resolve("data");
        IdxTestFiles.writeDataset(data, 60, 28, 10, false);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static List<String> args(String device, String... more) {
        List<String> args = new ArrayList<>(List.of("--model", model.toString(), "--broker", broker.url(), "--device", device));
        args.addAll(List.of(more));
        return args;
    }

    private static Map<String, Object> nextStatus(Subscriber s, java.util.function.Predicate<Map<String, Object>> wanted)
            throws InterruptedException {
        while (true) {
            Subscriber.Received r = s.poll(HANG_GUARD);
            assertTrue(r != null, "no such status arrived");
            Map<String, Object> m = Json.parseObject(r.payload());
            if (wanted.test(m)) {
                return m;
            }
        }
    }

    /** Runs the loop on a thread of its own, as RuntimeMain does on main. */
    private static Thread runInBackground(EdgeRuntime runtime) {
        Thread t = new Thread(() -> {
            try {
                runtime.run();
            } finally {
                runtime.close();
            }
        }, "test-loop");
        t.start();
        return t;
    }

    @Test
    void theStatusIsRepublishedEveryIntervalWithoutFrames() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("no-frames"));
        Path thermal = Files.writeString(dir.resolve("temp"), "48500\n");
        Path health = dir.resolve("live-health.json");
        System.setProperty(CpuTemperature.PROPERTY, thermal.toString());
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Subscriber s = new Subscriber(broker.url(), "live-sub", false, "edgeml/live/status")) {
                EdgeRuntime runtime = Startup.prepare(RunConfigParser.parse(args("live", "--source", "dir:" + empty,
                        "--status-interval", "1", "--health-file", health.toString()).toArray(String[]::new)), NO_GPIO);
                Thread loop = runInBackground(runtime);
                // the first online status comes on connecting; two more prove the timer, with no frame in between
                for (int i = 0; i < 3; i++) {
                    Map<String, Object> m = nextStatus(s, st -> "online".equals(st.get("state")));
                    assertEquals(0L, m.get("frames"));
                    assertEquals(0L, m.get("camera_restarts"));
                    assertEquals("running", m.get("camera"));
                    assertEquals(48.5, m.get("cpu_temp_c"));
                    for (String key : new String[] {"uptime_s", "frames_skipped", "frames_dropped", "fps", "dropped", "model"}) {
                        assertTrue(m.containsKey(key), key + " in " + m);
                    }
                }
                runtime.stop();
                loop.join();
                nextStatus(s, st -> "offline".equals(st.get("state")));
                assertEquals("offline", Json.parseObject(Files.readString(health)).get("state"));
            } finally {
                System.clearProperty(CpuTemperature.PROPERTY);
            }
        });
    }

    /** A camera that hangs after 3 frames blocks the loop; the status still says so, and promptly. */
    @Test
    void aHungCameraShowsAsStalled() throws Exception {
        Path program = dir.resolve("hang-rpicam");
        Files.writeString(program, "#!/bin/sh\nexport FAKE_RPICAM_MODE=hang FAKE_RPICAM_AFTER=3\nexec '" + FAKE_RPICAM + "' \"$@\"\n");
        assertTrue(program.toFile().setExecutable(true));
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Subscriber s = new Subscriber(broker.url(), "stall-sub", false, "edgeml/stall/status")) {
                EdgeRuntime runtime = Startup.prepare(RunConfigParser.parse(args("stall", "--source", "rpicam",
                        "--rpicam-vid", program.toString(), "--camera-width", "64", "--camera-height", "32",
                        "--camera-timeout", "600", "--no-discovery").toArray(String[]::new)), NO_GPIO);
                Thread loop = runInBackground(runtime);
                Map<String, Object> m = nextStatus(s, st -> "stalled".equals(st.get("camera")));
                assertEquals("online", m.get("state"));
                runtime.stop();
                loop.join();
            }
        });
    }

    /** A stop while the loop waits for a button press ends it with offline status, flush and GPIO released. */
    @Test
    void aStopWhileWaitingForTheButtonEndsInOrder() throws Exception {
        Path health = dir.resolve("button-health.json");
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Subscriber s = new Subscriber(broker.url(), "button-sub", false, "edgeml/button/status")) {
                EdgeRuntime runtime = Startup.prepare(RunConfigParser.parse(args("button", "--source", "idx:" + data,
                        "--button", "27", "--trigger", "button", "--health-file", health.toString())
                        .toArray(String[]::new)), MOCK_GPIO);
                Thread loop = runInBackground(runtime);
                nextStatus(s, st -> "online".equals(st.get("state")));
                runtime.stop();
                assertTrue(runtime.awaitClosed(HANG_GUARD));
                loop.join();
                nextStatus(s, st -> "offline".equals(st.get("state")));
                assertEquals("offline", Json.parseObject(Files.readString(health)).get("state"));
            }
        });
    }

    @Test
    void aButtonTriggerWithoutGpioIsRefusedBeforeAnythingIsPublished() throws Exception {
        try (Subscriber s = new Subscriber(broker.url(), "nogpio-sub", false, "edgeml/nogpio/#", "homeassistant/sensor/nogpio_prediction/config")) {
            EdgemlException e = assertThrows(EdgemlException.class, () -> Startup.prepare(RunConfigParser.parse(
                    args("nogpio", "--source", "idx:" + data, "--button", "27", "--trigger", "button").toArray(String[]::new)), NO_GPIO));
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().startsWith("trigger: 'button' needs GPIO, which is off here ("), e.getMessage());
            assertNull(s.poll(Duration.ofSeconds(2)), "nothing published");
        }
    }

    @Test
    void aBadIdxFolderIsRefusedBeforeConnecting() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("not-a-dataset"));
        try (Subscriber s = new Subscriber(broker.url(), "badidx-sub", false, "edgeml/badidx/#", "homeassistant/sensor/badidx_prediction/config")) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = RuntimeMain.run(args("badidx", "--source", "idx:" + empty).toArray(String[]::new),
                    new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true));
            assertEquals(2, code, err.toString());
            assertTrue(err.toString().startsWith("edgeml-runtime: error: source: "), err.toString());
            assertNull(s.poll(Duration.ofSeconds(2)), "nothing published");
        }
    }

    @Test
    void gpioOffIsLoggedOnce() throws Exception {
        AtomicInteger gpioOff = new AtomicInteger();
        Handler counter = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage() != null && record.getMessage().contains("GPIO off")) {
                    gpioOff.incrementAndGet();
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(counter);
        try {
            EdgeRuntime runtime = Startup.prepare(RunConfigParser.parse(args("led", "--source", "idx:" + data, "--led", "17",
                    "--count", "1", "--no-discovery").toArray(String[]::new)), NO_GPIO);
            try {
                runtime.run();
            } finally {
                runtime.close();
            }
        } finally {
            root.removeHandler(counter);
        }
        assertEquals(1, gpioOff.get());
    }

    /** --count counts predictions (as the docs say), also when only changes are published. */
    @Test
    void countCountsPredictionsWithPublishChange() throws Exception {
        Path health = dir.resolve("change-health.json");
        try (Subscriber s = new Subscriber(broker.url(), "change-sub", false, "edgeml/change/prediction")) {
            int code = RuntimeMain.run(args("change", "--source", "idx:" + data, "--publish", "change", "--count", "20",
                    "--no-discovery", "--health-file", health.toString()).toArray(String[]::new),
                    new PrintStream(OutputStream.nullOutputStream()), new PrintStream(OutputStream.nullOutputStream()));
            assertEquals(0, code);
            assertEquals(20L, Json.parseObject(Files.readString(health)).get("predictions"));
            long lastSeq = 0;
            Subscriber.Received r;
            while ((r = s.poll(Duration.ofSeconds(2))) != null) {
                lastSeq = Math.max(lastSeq, (Long) Json.parseObject(r.payload()).get("seq"));
            }
            assertTrue(lastSeq >= 1 && lastSeq <= 20, "seq " + lastSeq);
        }
    }

    /** --threshold: below it a prediction says "unknown", class -1, with its confidence and top classes kept. */
    @Test
    void predictionsBelowTheThresholdArePublishedAsUnknown() throws Exception {
        double threshold = 0.99;
        try (Subscriber s = new Subscriber(broker.url(), "unsure-sub", false, "edgeml/unsure/prediction")) {
            int code = RuntimeMain.run(args("unsure", "--source", "idx:" + data, "--threshold", Double.toString(threshold),
                    "--count", "40", "--no-discovery").toArray(String[]::new),
                    new PrintStream(OutputStream.nullOutputStream()), new PrintStream(OutputStream.nullOutputStream()));
            assertEquals(0, code);
            int unknown = 0;
            int received = 0;
            double least = 1;
            Subscriber.Received r;
            while ((r = s.poll(Duration.ofSeconds(2))) != null) {
                Map<String, Object> m = Json.parseObject(r.payload());
                received++;
                double confidence = ((Number) m.get("confidence")).doubleValue();
                least = Math.min(least, confidence);
                List<?> top = (List<?>) m.get("top");
                assertEquals(3, top.size(), "the top classes are kept: " + m);
                if (confidence < threshold) {
                    unknown++;
                    assertEquals("unknown", m.get("label"), m.toString());
                    assertEquals(-1L, m.get("class"), m.toString());
                } else {
                    assertTrue(((Long) m.get("class")) >= 0 && !"unknown".equals(m.get("label")), m.toString());
                }
            }
            assertEquals(40, received);
            assertTrue(unknown > 0, "the test model is unsure of some of 40 images at " + threshold + "; least sure: " + least);
        }
        try (PrintStream err = new PrintStream(new java.io.ByteArrayOutputStream())) {
            assertEquals(2, RuntimeMain.run(args("unsure", "--source", "idx:" + data, "--threshold", "1.5")
                    .toArray(String[]::new), new PrintStream(OutputStream.nullOutputStream()), err));
        }
    }
}
