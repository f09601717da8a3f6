package org.edgeml.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.IdxTestFiles;
import org.edgeml.runtime.command.PngFrames;
import org.edgeml.runtime.config.RunConfigParser;
import org.edgeml.runtime.gpio.Gpio;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.edgeml.runtime.mqtt.Subscriber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands on {@code PREFIX/DEVICE/set} against a real mosquitto, on a replayed IDX set whose image {@code i}
 * has pixel {@code p = (i % 10) * 37 + p mod 256} (IdxTestFiles): what a capture or a snapshot must show is
 * computed from that formula, not from the runtime. Timeouts only guard against hangs.
 */
class CommandsOverMqttTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(90);
    private static final BiFunction<Integer, Integer, Gpio> NO_GPIO =
            (led, button) -> Gpio.open(() -> Pi4J.newContextBuilder().build(), led, button);

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
        IdxTestFiles.writeDataset(data, 3000, 28, 10, false);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static int expectedPixel(int image, int y, int x) {
        return ((image % 10) * 37 + y * 28 + x) & 0xFF;
    }

    private static EdgeRuntime start(String device, String... more) {
        List<String> args = new ArrayList<>(List.of("--model", model.toString(), "--broker", broker.url(), "--device",
                device, "--source", "idx:" + data, "--fps", "20", "--status-interval", "1"));
        args.addAll(List.of(more));
        return Startup.prepare(RunConfigParser.parse(args.toArray(String[]::new)), NO_GPIO);
    }

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

    private static Subscriber.Received next(Subscriber s, Predicate<Subscriber.Received> wanted) throws InterruptedException {
        while (true) {
            Subscriber.Received r = s.poll(HANG_GUARD);
            assertNotNull(r, "no such message arrived");
            if (wanted.test(r)) {
                return r;
            }
        }
    }

    private static Map<String, Object> status(Subscriber s, Predicate<Map<String, Object>> wanted)
            throws InterruptedException {
        while (true) {
            Subscriber.Received r = next(s, m -> m.topic().endsWith("/status"));
            Map<String, Object> m = Json.parseObject(r.payload());
            if (wanted.test(m)) {
                return m;
            }
        }
    }

    private static void send(Subscriber s, String device, String json) throws Exception {
        s.publish("edgeml/" + device + "/set", json.getBytes(StandardCharsets.UTF_8), false);
    }

    private static byte[] pixels(byte[] png, int width, int height) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        byte[] out = new byte[width * height];
        image.getRaster().getDataElements(0, 0, width, height, out);
        return out;
    }

    private static int imageOf(Map<String, Object> metadata) {
        return Integer.parseInt(String.valueOf(metadata.get("source")).substring("idx#".length()));
    }

    @Test
    void captureSendsNumberedPngsAsTheRuntimeSeesThem() throws Exception {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Subscriber s = new Subscriber(broker.url(), "cap-sub", false, "edgeml/cap/capture/#",
                    "edgeml/cap/status")) {
                EdgeRuntime runtime = start("cap");
                Thread loop = runInBackground(runtime);
                status(s, m -> "online".equals(m.get("state")));
                send(s, "cap", "{\"command\": \"capture\", \"label\": \"mug\", \"count\": 3, \"every_ms\": 100,"
                        + " \"size\": 56, \"id\": \"t1\"}");
                List<Integer> images = new ArrayList<>();
                for (int k = 1; k <= 3; k++) {
                    Subscriber.Received r = next(s, m -> m.topic().contains("/capture/"));
                    assertEquals("edgeml/cap/capture/mug", r.topic());
                    Map<String, Object> meta = Json.parseObject(PngFrames.metadata(r.bytes()).orElseThrow());
                    assertEquals((long) k, meta.get("index"));
                    assertEquals(3L, meta.get("count"));
                    assertEquals("mug", meta.get("label"));
                    assertEquals("t1", meta.get("id"));
                    assertEquals("cap", meta.get("device"));
                    int image = imageOf(meta);
                    images.add(image);
                    // 28 -> 56 by area averaging: every pixel of the 28x28 frame becomes a 2x2 block
                    byte[] got = pixels(r.bytes(), 56, 56);
                    for (int y = 0; y < 56; y++) {
                        for (int x = 0; x < 56; x++) {
                            assertEquals(expectedPixel(image, y / 2, x / 2), got[y * 56 + x] & 0xFF, "pixel " + x + "," + y);
                        }
                    }
                }
                assertTrue(images.get(0) < images.get(1) && images.get(1) < images.get(2), "three frames: " + images);
                runtime.stop();
                loop.join();
            }
        });
    }

    @Test
    void snapshotShowsTheFrameAndTheModelInputBesideIt() throws Exception {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Subscriber s = new Subscriber(broker.url(), "snap-sub", false, "edgeml/snap/snapshot",
                    "edgeml/snap/status")) {
                EdgeRuntime runtime = start("snap", "--invert");
                Thread loop = runInBackground(runtime);
                status(s, m -> "online".equals(m.get("state")));
                send(s, "snap", "{\"command\": \"snapshot\"}");
                Subscriber.Received r = next(s, m -> m.topic().endsWith("/snapshot"));
                Map<String, Object> meta = Json.parseObject(PngFrames.metadata(r.bytes()).orElseThrow());
                int image = imageOf(meta);
                // 28 frame + 8 gap + 28 model view (the model's input is 28x28, here inverted by --invert)
                byte[] got = pixels(r.bytes(), 64, 28);
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        assertEquals(expectedPixel(image, y, x), got[y * 64 + x] & 0xFF);
                        assertEquals(255 - expectedPixel(image, y, x), got[y * 64 + 36 + x] & 0xFF);
                    }
                    for (int x = 28; x < 36; x++) {
                        assertEquals(128, got[y * 64 + x] & 0xFF);
                    }
                }
                runtime.stop();
                loop.join();
            }
        });
    }

    @Test
    void pauseStopsClassifyingAndResumeGoesOn() throws Exception {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Subscriber s = new Subscriber(broker.url(), "pause-sub", false, "edgeml/pause/status")) {
                EdgeRuntime runtime = start("pause");
                Thread loop = runInBackground(runtime);
                status(s, m -> "online".equals(m.get("state")) && (long) m.get("predictions") > 0
                        && Boolean.FALSE.equals(m.get("paused")));
                send(s, "pause", "{\"command\": \"pause\"}");
                Map<String, Object> paused = status(s, m -> Boolean.TRUE.equals(m.get("paused")));
                long frames = (long) paused.get("frames");
                long predictions = (long) paused.get("predictions");
                Map<String, Object> later = status(s, m -> (long) m.get("frames") >= frames + 5);
                assertEquals(Boolean.TRUE, later.get("paused"));
                // at most the frame being classified when the command came
                assertTrue((long) later.get("predictions") <= predictions + 1, later.toString());
                send(s, "pause", "{\"command\": \"resume\"}");
                long resumedAt = (long) status(s, m -> Boolean.FALSE.equals(m.get("paused"))).get("predictions");
                status(s, m -> (long) m.get("predictions") >= resumedAt + 5);
                runtime.stop();
                loop.join();
            }
        });
    }

    @Test
    void badCommandsGetOneReplyEachAndChangeNothing() throws Exception {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Subscriber s = new Subscriber(broker.url(), "bad-sub", false, "edgeml/bad/#")) {
                // A retained command reaches the runtime as retained when it subscribes: refused, or it would run at
                // every connect.
                s.publish("edgeml/bad/set", "{\"command\": \"pause\"}".getBytes(StandardCharsets.UTF_8), true);
                EdgeRuntime runtime = start("bad");
                Thread loop = runInBackground(runtime);
                status(s, m -> "online".equals(m.get("state")));
                List<String> bad = List.of("not json", "{\"command\": \"reboot\"}",
                        "{\"command\": \"capture\", \"label\": \"mug\", \"count\": 0}",
                        "{\"command\": \"pause\", \"now\": true}");
                for (String b : bad) {
                    send(s, "bad", b);
                }
                send(s, "bad", "{\"command\": \"snapshot\"}");
                List<String> errors = new ArrayList<>();
                while (true) {
                    Subscriber.Received r = next(s, m -> !m.topic().endsWith("/status") && !m.topic().endsWith("/prediction")
                            && !m.topic().endsWith("/set"));
                    if (r.topic().endsWith("/snapshot")) {
                        break;
                    }
                    assertEquals("edgeml/bad/error", r.topic(), "no capture began");
                    Map<String, Object> m = Json.parseObject(r.payload());
                    assertEquals("bad", m.get("device"));
                    errors.add(String.valueOf(m.get("error")));
                }
                assertEquals(5, errors.size(), errors.toString());
                assertTrue(errors.get(0).contains("retained command is ignored"), errors.get(0));
                assertTrue(errors.get(1).contains("not a JSON object"), errors.get(1));
                assertTrue(errors.get(2).contains("unknown command 'reboot'"), errors.get(2));
                assertTrue(errors.get(3).contains("\"count\" must be"), errors.get(3));
                assertTrue(errors.get(4).contains("unknown field \"now\""), errors.get(4));
                Map<String, Object> st = status(s, m -> "online".equals(m.get("state")));
                assertEquals(Boolean.FALSE, st.get("paused"), "the retained pause did nothing");
                s.publish("edgeml/bad/set", new byte[0], true); // clears the retained command
                runtime.stop();
                loop.join();
            }
        });
    }

    @Test
    void noCommandsTakesNone() throws Exception {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Subscriber s = new Subscriber(broker.url(), "deaf-sub", false, "edgeml/deaf/#")) {
                EdgeRuntime runtime = start("deaf", "--no-commands");
                Thread loop = runInBackground(runtime);
                long frames = (long) status(s, m -> "online".equals(m.get("state"))).get("frames");
                send(s, "deaf", "{\"command\": \"snapshot\"}");
                send(s, "deaf", "{\"command\": \"pause\"}");
                send(s, "deaf", "no json");
                // 20 frames later a snapshot would long have been sent, and the pause shown
                while (true) {
                    Subscriber.Received r = next(s, m -> !m.topic().endsWith("/prediction") && !m.topic().endsWith("/set"));
                    assertTrue(r.topic().endsWith("/status"), "nothing but the status: " + r.topic());
                    Map<String, Object> m = Json.parseObject(r.payload());
                    assertEquals(Boolean.FALSE, m.get("paused"));
                    if ((long) m.get("frames") >= frames + 20) {
                        break;
                    }
                }
                runtime.stop();
                loop.join();
            }
        });
    }
}
