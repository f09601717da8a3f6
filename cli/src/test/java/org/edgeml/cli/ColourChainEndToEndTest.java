package org.edgeml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.core.model.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A colour model through the host tools, as the user guide runs them: train a small CNN with
 * {@code --input 12x12x3} on a folder of red, green and blue shapes, quantize it, check it, export it to C and
 * run the exported self-test with gcc. Chance is 1 in 3; the colours differ so plainly that a working chain
 * gets nearly all right, and one that mixes up the channels (HWC vs DL4J's NCHW, or a grey conversion
 * somewhere) does not.
 */
class ColourChainEndToEndTest {
    private static final List<String> COLOURS = List.of("blue", "green", "red");
    private static final int[] CHANNEL = {2, 1, 0};

    @TempDir
    Path dir;

    @Test
    void trainQuantizeCheckAndExportAColourCnn() throws Exception {
        Path shapes = dir.resolve("shapes");
        writeShapes(shapes, 40, 5);
        Path floatModel = dir.resolve("colours.zip");
        MainTest.Run train = MainTest.run("train", "--dataset", "folder", "--data", shapes.toString(), "--input", "12x12x3",
                "--layers", "conv3x3:4:same,maxpool2,conv3x3:6,gap,dense:8", "--epochs", "20", "--batch", "16",
                "--lr-decay", "1", "--out", floatModel.toString(), "--json");
        assertEquals(0, train.code(), train.err());
        Map<String, Object> trained = Json.parseObject(train.out().strip());
        assertTrue(((Number) trained.get("test_accuracy")).doubleValue() >= 0.8, train.out());

        Path model = dir.resolve("colours.q8");
        MainTest.Run quantize = MainTest.run("quantize", floatModel.toString(), "--out", model.toString(), "--json");
        assertEquals(0, quantize.code(), quantize.err());
        assertEquals(new Shape(12, 12, 3), Q8ModelFile.read(model).model().input().shape());
        Map<String, Object> quantized = Json.parseObject(quantize.out().strip());
        assertTrue(((Number) quantized.get("int8_accuracy")).doubleValue() >= 0.8, quantize.out());

        MainTest.Run check = MainTest.run("check", model.toString(), "--max-drop", "5", "--json");
        assertEquals(0, check.code(), check.err());
        Map<String, Object> checked = Json.parseObject(check.out().strip());
        assertTrue(((Number) checked.get("agreement")).doubleValue() >= 0.9, check.out());
        assertEquals(quantized.get("int8_accuracy"), checked.get("int8_accuracy"), "the same engine on the same test images");

        System.err.printf("colour chain: float test accuracy %s, int8 %s, agreement %s%n", trained.get("test_accuracy"),
                quantized.get("int8_accuracy"), checked.get("agreement"));

        MainTest.Run grey = MainTest.run("train", "--dataset", "folder", "--data", shapes.toString(), "--input", "12x12x2");
        assertEquals(2, grey.code(), grey.err());
        assertTrue(grey.err().contains("give HxWxC"), grey.err());

        Path c = dir.resolve("c");
        MainTest.Run export = MainTest.run("export-c", model.toString(), "--out", c.toString());
        assertEquals(0, export.code(), export.err());
        String header;
        try (var files = Files.list(c)) {
            header = Files.readString(files.filter(p -> p.toString().endsWith("_model.h")).findFirst().orElseThrow());
        }
        assertTrue(header.contains("#define EDGEML_INPUT_CHANNELS 3\n"), header);
        Process gcc = new ProcessBuilder("gcc", "-std=c99", "-O2", "-Wall", "-Wextra", "-pedantic", "-o", "selftest",
                "edgeml_selftest.c", "edgeml_infer.c").directory(c.toFile()).redirectErrorStream(true).start();
        String gccOut = new String(gcc.getInputStream().readAllBytes());
        assertTrue(gcc.waitFor(120, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc: " + gccOut);
        Process selftest = new ProcessBuilder(c.resolve("selftest").toString()).redirectErrorStream(true).start();
        String result = new String(selftest.getInputStream().readAllBytes());
        assertTrue(selftest.waitFor(60, TimeUnit.SECONDS) && selftest.exitValue() == 0, result);
        assertTrue(result.contains("PASS"), result);
    }

    /** {@code perClass} PNGs of 20..40 pixels a side: a disc of the class's colour around the centre on a grey noisy ground. */
    private static void writeShapes(Path root, int perClass, long seed) throws Exception {
        Random random = new Random(seed);
        for (int k = 0; k < COLOURS.size(); k++) {
            Path classDir = Files.createDirectories(root.resolve(COLOURS.get(k)));
            for (int i = 0; i < perClass; i++) {
                int w = 20 + random.nextInt(21);
                int h = 20 + random.nextInt(21);
                int r = Math.min(w, h) / 5 + random.nextInt(Math.min(w, h) / 5 + 1);
                int cx = w / 2 + random.nextInt(7) - 3;
                int cy = h / 2 + random.nextInt(7) - 3;
                BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
                        int[] rgb = new int[3];
                        for (int ch = 0; ch < 3; ch++) {
                            rgb[ch] = !inside ? 60 + random.nextInt(60) : ch == CHANNEL[k] ? 170 + random.nextInt(86) : random.nextInt(90);
                        }
                        image.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
                    }
                }
                ImageIO.write(image, "png", classDir.resolve(COLOURS.get(k) + i + ".png").toFile());
            }
        }
    }
}
