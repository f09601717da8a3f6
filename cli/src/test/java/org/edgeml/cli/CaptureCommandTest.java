package org.edgeml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.IdxTestFiles;
import org.edgeml.runtime.EdgeRuntimeForTests;
import org.edgeml.runtime.command.PngFrames;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgeml capture} from a replayed IDX set, locally and from a running device over a real mosquitto. Image
 * {@code i} of the set has pixel {@code p = (i % 10) * 37 + p mod 256} (IdxTestFiles), so what each saved PNG must
 * show follows from that formula: at --size 56 every pixel of the 28x28 frame is a 2x2 block.
 */
class CaptureCommandTest {
    private static final Path FAKE_RPICAM = Path.of("..", "edge-runtime", "src", "test", "tools", "rpicam-vid")
            .toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    static Path data;
    static MosquittoBroker broker;

    @BeforeAll
    static void setUp() throws Exception {
        data = dir.resolve("data");
        IdxTestFiles.writeDataset(data, 3000, 28, 10, false);
        broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker")));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Checks the PNG against the formula for the image its metadata names; returns that image's number. */
    private static int checkShowsItsImage(Path png, String label) throws Exception {
        Map<String, Object> meta = Json.parseObject(PngFrames.metadata(Files.readAllBytes(png)).orElseThrow());
        assertEquals(label, meta.get("label"));
        int image = Integer.parseInt(String.valueOf(meta.get("source")).substring("idx#".length()));
        BufferedImage read = ImageIO.read(png.toFile());
        assertEquals(56, read.getWidth());
        assertEquals(56, read.getHeight());
        byte[] pixels = new byte[56 * 56];
        read.getRaster().getDataElements(0, 0, 56, 56, pixels);
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                assertEquals(((image % 10) * 37 + (y / 2) * 28 + x / 2) & 0xFF, pixels[y * 56 + x] & 0xFF,
                        png + " pixel " + x + "," + y);
            }
        }
        return image;
    }

    @Test
    void localCaptureNumbersOnAfterWhatIsThereAndOverwritesNothing() throws Exception {
        Path out = dir.resolve("local");
        Files.createDirectories(out.resolve("shirt"));
        Files.writeString(out.resolve("shirt").resolve("0003.png"), "already here");
        MainTest.Run r = MainTest.run("capture", "--label", "shirt", "--count", "4", "--size", "56", "--out",
                out.toString(), "--source", "idx:" + data, "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("0003.png", "0004.png", "0005.png", "0006.png", "0007.png"), names(out.resolve("shirt")));
        assertEquals("already here", Files.readString(out.resolve("shirt").resolve("0003.png")));
        for (int k = 0; k < 4; k++) {
            assertEquals(k, checkShowsItsImage(out.resolve("shirt").resolve(String.format("%04d.png", 4 + k)), "shirt"));
        }
        Map<String, Object> summary = Json.parseObject(r.out());
        assertEquals(4L, summary.get("saved"));
        assertEquals("0004.png", summary.get("first"));
        assertEquals("0007.png", summary.get("last"));
        assertTrue(r.err().contains("capture shirt"), "progress on stderr: " + r.err());

        MainTest.Run again = MainTest.run("capture", "--label", "shirt", "--count", "2", "--size", "56", "--out",
                out.toString(), "--source", "idx:" + data);
        assertEquals(0, again.code(), again.err());
        assertEquals(List.of("0003.png", "0004.png", "0005.png", "0006.png", "0007.png", "0008.png", "0009.png"),
                names(out.resolve("shirt")));
    }

    @Test
    void aSourceThatEndsEarlyKeepsWhatCameAndFails() throws Exception {
        Path small = dir.resolve("small");
        IdxTestFiles.writeDataset(small, 3, 28, 10, false);
        MainTest.Run r = MainTest.run("capture", "--label", "few", "--count", "5", "--size", "56", "--out",
                dir.resolve("early").toString(), "--source", "idx:" + small);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("ended; kept the 3 frames saved"), r.err());
        assertEquals(3, names(dir.resolve("early").resolve("few")).size());
    }

    @Test
    void captureOnARunningDeviceOverMqtt() throws Exception {
        Path model = dir.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(5, 28, Activation.RELU, 8, 10), model);
        try (EdgeRuntimeForTests.Running device = EdgeRuntimeForTests.start("--model", model.toString(), "--broker",
                broker.url(), "--device", "pi1", "--source", "idx:" + data, "--fps", "20")) {
            Path out = dir.resolve("remote");
            MainTest.Run r = MainTest.run("capture", "--label", "mug", "--count", "3", "--size", "56", "--every", "100",
                    "--out", out.toString(), "--broker", broker.url(), "--device", "pi1", "--json");
            assertEquals(0, r.code(), r.err());
            assertEquals(List.of("0001.png", "0002.png", "0003.png"), names(out.resolve("mug")));
            List<Integer> images = new ArrayList<>();
            for (String name : names(out.resolve("mug"))) {
                images.add(checkShowsItsImage(out.resolve("mug").resolve(name), "mug"));
            }
            assertTrue(images.get(0) < images.get(1) && images.get(1) < images.get(2), images.toString());
            assertEquals("device pi1 on " + broker.url(), Json.parseObject(r.out()).get("from"));

            MainTest.Run refused = MainTest.run("capture", "--label", "mug", "--count", "3", "--size", "2000",
                    "--out", out.toString(), "--broker", broker.url(), "--device", "pi1");
            assertEquals(2, refused.code());
            assertTrue(refused.err().contains("--size 2000 is out of range"), refused.err());
        }
    }

    @Test
    void aDeviceThatTakesNoCommandsTimesOut() throws Exception {
        Path model = dir.resolve("m2.q8");
        Q8ModelFile.write(TestModels.model(5, 28, Activation.RELU, 8, 10), model);
        try (EdgeRuntimeForTests.Running device = EdgeRuntimeForTests.start("--model", model.toString(), "--broker",
                broker.url(), "--device", "deaf", "--source", "idx:" + data, "--fps", "20", "--no-commands")) {
            MainTest.Run r = MainTest.run("capture", "--label", "mug", "--count", "3", "--out",
                    dir.resolve("deaf").toString(), "--broker", broker.url(), "--device", "deaf", "--timeout", "2");
            assertEquals(1, r.code());
            assertTrue(r.err().contains("device deaf on " + broker.url() + " sent no frame for 2 s"), r.err());
            assertEquals(1, r.err().lines().filter(l -> l.startsWith("edgeml: error")).count(), r.err());
        }
    }

    @Test
    void badInputIsOneLineAndExit2() {
        MainTest.Run both = MainTest.run("capture", "--label", "a", "--count", "1", "--out", dir.toString(),
                "--source", "idx:" + data, "--broker", broker.url(), "--device", "x");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("not both"), both.err());
        MainTest.Run neither = MainTest.run("capture", "--label", "a", "--count", "1", "--out", dir.toString());
        assertEquals(2, neither.code());
        assertTrue(neither.err().contains("nothing to capture from"), neither.err());
        MainTest.Run label = MainTest.run("capture", "--label", "../up", "--count", "1", "--out", dir.toString(),
                "--source", "idx:" + data);
        assertEquals(2, label.code());
        assertTrue(label.err().contains("--label '../up' must be"), label.err());
        MainTest.Run invert = MainTest.run("capture", "--label", "a", "--count", "1", "--out", dir.toString(),
                "--broker", broker.url(), "--device", "x", "--invert");
        assertEquals(2, invert.code());
        assertTrue(invert.err().contains("--invert is for a --source capture"), invert.err());
        for (MainTest.Run r : List.of(both, neither, label, invert)) {
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    /** Ctrl-C in a real process capturing from the stand-in camera: exit 130, every file saved is whole, no temporary file is left. */
    @Test
    void ctrlCKeepsWhatWasCaptured() throws Exception {
        Path out = dir.resolve("interrupted");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "capture", "--label", "cup",
                "--count", "1000", "--size", "56", "--out", out.toString(), "--source", "rpicam", "--rpicam-vid",
                FAKE_RPICAM.toString(), "--camera-width", "112", "--camera-height", "112", "--camera-fps", "10"));
        ProcessBuilder child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("ctrlc.log").toFile());
        Path images = dir.resolve("camera.raw");
        byte[] raw = new byte[784];
        for (int p = 0; p < raw.length; p++) {
            raw[p] = (byte) p;
        }
        Files.write(images, raw);
        child.environment().put("FAKE_RPICAM_IMAGES", images.toString());
        Process p = child.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((!Files.isDirectory(out.resolve("cup")) || names(out.resolve("cup")).stream()
                    .filter(n -> n.endsWith(".png")).count() < 3) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
            assertEquals(0, kill.waitFor(), Files.readString(dir.resolve("ctrlc.log")));
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped");
            String log = Files.readString(dir.resolve("ctrlc.log"));
            assertEquals(130, p.exitValue(), log);
            List<String> files = names(out.resolve("cup"));
            assertTrue(files.size() >= 3 && files.size() < 1000, files.toString());
            assertTrue(log.contains("kept the " + files.size() + " frames saved"), log);
            for (String f : files) {
                assertTrue(f.matches("\\d{4}\\.png"), "only whole images: " + files);
                // the stand-in shows the 28x28 image scaled 4x to 112x112; at 56 each of its pixels is a 2x2 block
                BufferedImage read = ImageIO.read(out.resolve("cup").resolve(f).toFile());
                assertEquals(56, read.getWidth());
                byte[] pixels = new byte[56 * 56];
                read.getRaster().getDataElements(0, 0, 56, 56, pixels);
                for (int y = 0; y < 56; y++) {
                    for (int x = 0; x < 56; x++) {
                        assertEquals(((y / 2) * 28 + x / 2) & 0xFF, pixels[y * 56 + x] & 0xFF, f);
                    }
                }
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
