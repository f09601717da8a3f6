package org.edgeml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.concurrent.TimeUnit;
import org.edgeml.core.data.IdxReader;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.GoldenVector;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.DatasetSpec;
import org.edgeml.quantizer.QuantizeJob;
import org.edgeml.quantizer.TestModels;
import org.edgeml.quantizer.calibration.CalibrationMethod;
import org.edgeml.runtime.RuntimeMain;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.edgeml.runtime.mqtt.Subscriber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device runtime against a real mosquitto: replayed datasets, the stand-in camera, crashes, refusals. */
class RuntimeEndToEndTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final Path FAKE_RPICAM = Path.of("..", "edge-runtime", "src", "test", "tools", "rpicam-vid")
            .toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    static MosquittoBroker broker;
    static Path model;
    static Path data;
    static LabeledImages test;
    static int[] engineClasses;

    @BeforeAll
    static void modelAndBroker() throws Exception {
        broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker")));
        Path floatModel = TestModels.writeModelAndData(dir, TestModels.random(11, Activation.RELU, 64, 10), 400, 600);
        data = dir.resolve("data");
        model = dir.resolve("m.q8");
        QuantizeJob.run(new QuantizeJob.Request(floatModel, model, 200, CalibrationMethod.MINMAX,
                new DatasetSpec("idx", data, 1)), QUIET);
        test = IdxReader.read(data.resolve("t10k-images-idx3-ubyte"), data.resolve("t10k-labels-idx1-ubyte"));
        Int8Engine engine = new Int8Engine(Q8ModelFile.read(model).model());
        engineClasses = new int[test.count()];
        for (int i = 0; i < test.count(); i++) {
            engineClasses[i] = engine.classifyPixels(test.image(i));
        }
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static int run(String... args) {
        return RuntimeMain.run(args, QUIET, QUIET);
    }

    private static List<Map<String, Object>> receive(Subscriber s, int n) throws InterruptedException {
        List<Map<String, Object>> out = new ArrayList<>();
        while (out.size() < n) {
            Subscriber.Received r = s.poll(Duration.ofSeconds(20));
            assertNotNull(r, "received only " + out.size() + " of " + n);
            if (r.topic().endsWith("/prediction")) {
                out.add(Json.parseObject(r.payload()));
            }
        }
        return out;
    }

    @Test
    void replays500ImagesInOrderWithTheClassesCheckComputes() throws Exception {
        try (Subscriber s = new Subscriber(broker.url(), "e2e-replay", false, "edgeml/replay/prediction")) {
            int code = run("--model", model.toString(), "--source", "idx:" + data, "--broker", broker.url(),
                    "--device", "replay", "--count", "500");
            assertEquals(0, code);
            List<Map<String, Object>> messages = receive(s, 500);
            for (int i = 0; i < 500; i++) {
                Map<String, Object> m = messages.get(i);
                assertEquals((long) i + 1, m.get("seq"), "in order");
                assertEquals((long) engineClasses[i], m.get("class"), "image " + i);
                assertEquals((long) test.label(i), m.get("true_class"));
                assertEquals(Q8ModelFile.read(model).id(), m.get("model"));
                for (String key : List.of("device", "boot", "ts", "label", "confidence", "top", "latency_us", "source")) {
                    assertTrue(m.containsKey(key), key);
                }
                assertEquals(3, ((List<?>) m.get("top")).size());
            }
        }
    }

    @Test
    void standInCameraFramesAreClassifiedLikeTheImagesTheyShow() throws Exception {
        int n = 20;
        Path images = dir.resolve("camera-images.raw");
        Files.write(images, java.util.Arrays.copyOf(test.pixels(), n * 784));
        // 476 = 17 x 28: the stand-in scales each image up exactly, so area averaging gives it back;
        // 476 is not a multiple of 64, so every row carries stride padding that must be skipped.
        ProcessBuilder child = runtimeProcess("--model", model.toString(), "--source", "rpicam", "--broker", broker.url(),
                "--device", "cam", "--count", Integer.toString(n), "--rpicam-vid", FAKE_RPICAM.toString(),
                "--camera-width", "476", "--camera-height", "476", "--camera-fps", "20");
        child.environment().put("FAKE_RPICAM_IMAGES", images.toString());
        try (Subscriber s = new Subscriber(broker.url(), "e2e-cam", false, "edgeml/cam/prediction")) {
            Process p = child.start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "runtime finished");
            assertEquals(0, p.exitValue(), Files.readString(dir.resolve("child.log")));
            List<Map<String, Object>> messages = receive(s, n);
            // The camera starts with image 0 and cycles; frames may be skipped when the reader falls behind.
            int matched = 0;
            for (Map<String, Object> m : messages) {
                long cls = (long) m.get("class");
                for (int i = 0; i < n; i++) {
                    if (engineClasses[i] == cls) {
                        matched++;
                        break;
                    }
                }
                assertEquals("camera", String.valueOf(m.get("source")).replaceAll("#.*", ""));
            }
            assertEquals(n, matched);
        }
    }

    @Test
    void killedRuntimeLeavesTheRetainedStatusOffline() throws Exception {
        ProcessBuilder child = runtimeProcess("--model", model.toString(), "--source", "idx:" + data, "--broker",
                broker.url(), "--device", "victim", "--fps", "5");
        try (Subscriber s = new Subscriber(broker.url(), "e2e-kill", false, "edgeml/victim/status")) {
            Process p = child.start();
            try {
                assertEquals("online", awaitState(s));
                p.destroyForcibly(); // SIGKILL: no chance to say goodbye; the broker sends the last will
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                assertEquals("offline", awaitState(s));
            } finally {
                p.destroyForcibly();
            }
        }
        try (Subscriber late = new Subscriber(broker.url(), "e2e-late", false, "edgeml/victim/status")) {
            Subscriber.Received retained = late.poll(Duration.ofSeconds(10));
            assertNotNull(retained);
            assertTrue(retained.retained());
            assertEquals("offline", Json.parseObject(retained.payload()).get("state"));
        }
    }

    @Test
    void sigtermPublishesOfflineAndExitsZero() throws Exception {
        ProcessBuilder child = runtimeProcess("--model", model.toString(), "--source", "idx:" + data, "--broker",
                broker.url(), "--device", "polite", "--fps", "20");
        try (Subscriber s = new Subscriber(broker.url(), "e2e-term", false, "edgeml/polite/status",
                "edgeml/polite/prediction")) {
            Process p = child.start();
            try {
                long predictions = 0;
                String state = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (predictions < 3 && System.nanoTime() < deadline) {
                    Subscriber.Received r = s.poll(Duration.ofSeconds(1));
                    if (r != null && r.topic().endsWith("/prediction")) {
                        predictions++;
                    }
                }
                assertTrue(predictions >= 3, "the runtime is publishing");
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped");
                assertEquals(0, p.exitValue(), Files.readString(dir.resolve("child.log")));
                while ((state == null || !state.equals("offline")) && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(10)) {
                    Subscriber.Received r = s.poll(Duration.ofSeconds(1));
                    if (r != null && r.topic().endsWith("/status")) {
                        state = String.valueOf(Json.parseObject(r.payload()).get("state"));
                    }
                }
                assertEquals("offline", state);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /** The MQTT password reaches the runtime only through a file: never its command line, never its log. */
    @Test
    void thePasswordIsInNeitherTheProcessListNorTheLog() throws Exception {
        String secret = "correct-horse-" + System.nanoTime();
        Path passwd = dir.resolve("mosquitto.passwd");
        Process make = new ProcessBuilder("mosquitto_passwd", "-c", "-b", passwd.toString(), "cam", secret)
                .redirectErrorStream(true).start();
        assertTrue(make.waitFor(20, TimeUnit.SECONDS) && make.exitValue() == 0, "mosquitto_passwd");
        Path secretFile = dir.resolve("mqtt-password");
        Files.writeString(secretFile, secret + "\n");
        Files.setPosixFilePermissions(secretFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (MosquittoBroker locked = MosquittoBroker.start(Files.createDirectories(dir.resolve("locked-broker")),
                List.of("allow_anonymous false", "password_file " + passwd))) {
            ProcessBuilder child = runtimeProcess("--model", model.toString(), "--source", "idx:" + data, "--broker",
                    locked.url(), "--device", "secretive", "--username", "cam", "--password-file", secretFile.toString(),
                    "--fps", "10");
            Process p = child.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!Files.readString(dir.resolve("child.log")).contains("MQTT: connected to")
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(Files.readString(dir.resolve("child.log")).contains("MQTT: connected to"),
                        "the runtime logged in with the password from the file");
                String commandLine = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
                assertTrue(!commandLine.contains(secret), "the process list shows no password");
            } finally {
                p.destroy();
                p.waitFor(20, TimeUnit.SECONDS);
            }
            assertTrue(!Files.readString(dir.resolve("child.log")).contains(secret), "the log shows no password");
        }
    }

    @Test
    void aModelWhoseGoldenVectorsFailIsRefused() throws Exception {
        Q8Model good = Q8ModelFile.read(model).model();
        List<GoldenVector> goldens = new ArrayList<>(good.goldens());
        byte[] out = goldens.get(3).output().clone();
        out[0]++;
        goldens.set(3, new GoldenVector(goldens.get(3).input(), out));
        Path bad = dir.resolve("bad-goldens.q8");
        Q8ModelFile.write(good.withGoldens(goldens), bad);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Subscriber s = new Subscriber(broker.url(), "e2e-refuse", false, "edgeml/refused/status")) {
            int code = RuntimeMain.run(new String[] {"--model", bad.toString(), "--source", "idx:" + data,
                "--broker", broker.url(), "--device", "refused"}, QUIET, new PrintStream(err, true));
            assertEquals(3, code);
            assertTrue(err.toString().contains("golden vector 3"), err.toString());
            assertEquals(1, err.toString().strip().lines().count(), err.toString());
            assertEquals("error", awaitState(s));
        }
    }

    @Test
    void unreadableImagesInAWatchedFolderAreSkipped() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Thread dropper = new Thread(() -> {
            try {
                Thread.sleep(1500);
                Files.writeString(inbox.resolve("broken.png"), "not a picture");
                Thread.sleep(500);
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(56, 56,
                        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                javax.imageio.ImageIO.write(img, "png", inbox.resolve("tmp.part").toFile());
                Files.move(inbox.resolve("tmp.part"), inbox.resolve("good.png"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (Subscriber s = new Subscriber(broker.url(), "e2e-dir", false, "edgeml/inbox/prediction")) {
            dropper.start();
            int code = run("--model", model.toString(), "--source", "dir:" + inbox, "--broker", broker.url(),
                    "--device", "inbox", "--count", "1");
            assertEquals(0, code);
            Map<String, Object> m = receive(s, 1).get(0);
            assertEquals("good.png", Path.of(String.valueOf(m.get("source"))).getFileName().toString());
        }
        dropper.join();
    }

    /** --invert: a dark object on a light ground is classified like the light-on-dark image it mirrors. */
    @Test
    void invertedScenesAreClassifiedLikeTheTrainingImages() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("negatives"));
        int n = 5;
        Thread dropper = new Thread(() -> {
            try {
                Thread.sleep(1500);
                for (int i = 0; i < n; i++) {
                    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(28, 28,
                            java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                    byte[] negative = test.image(i);
                    for (int p = 0; p < negative.length; p++) {
                        negative[p] = (byte) (255 - (negative[p] & 0xFF));
                    }
                    img.getRaster().setDataElements(0, 0, 28, 28, negative);
                    javax.imageio.ImageIO.write(img, "png", inbox.resolve("n" + i + ".part").toFile());
                    Files.move(inbox.resolve("n" + i + ".part"), inbox.resolve("n" + i + ".png"));
                    Thread.sleep(400);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (Subscriber s = new Subscriber(broker.url(), "e2e-invert", false, "edgeml/negatives/prediction")) {
            dropper.start();
            int code = run("--model", model.toString(), "--source", "dir:" + inbox, "--broker", broker.url(),
                    "--device", "negatives", "--count", Integer.toString(n), "--invert");
            assertEquals(0, code);
            for (Map<String, Object> m : receive(s, n)) {
                int i = Integer.parseInt(Path.of(String.valueOf(m.get("source"))).getFileName().toString()
                        .replaceAll("\\D", ""));
                assertEquals((long) engineClasses[i], m.get("class"), "negative " + i);
            }
        }
        dropper.join();
    }

    private static String awaitState(Subscriber s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String state = null;
        while (System.nanoTime() < deadline) {
            Subscriber.Received r = s.poll(Duration.ofSeconds(1));
            if (r != null) {
                state = String.valueOf(Json.parseObject(r.payload()).get("state"));
                return state;
            }
        }
        return state;
    }

    /** The runtime in its own JVM, as on the device. */
    private static ProcessBuilder runtimeProcess(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RuntimeMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile());
    }

}
