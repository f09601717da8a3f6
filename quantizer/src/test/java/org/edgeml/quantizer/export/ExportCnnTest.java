package org.edgeml.quantizer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgeml.core.engine.DenseKernels;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.AveragePool2D;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Flatten;
import org.edgeml.core.model.GoldenVector;
import org.edgeml.core.model.InputQuantization;
import org.edgeml.core.model.ModelInfo;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedDense;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** export-c on convolutional models: the C code compiled with gcc gives the Java engine's bytes on every layer kind. */
class ExportCnnTest {
    @TempDir
    static Path dir;

    private static Q8Model model(String which) {
        return switch (which) {
            case "every-kind" -> CnnModels.everyKind(21);
            case "core-cnn-relu" -> TestModels.cnn(3, 12, Activation.RELU, 4, 4, 3);
            case "core-cnn-tanh" -> TestModels.cnn(12, 12, Activation.TANH, 6, 5, 4);
            case "flatten-only" -> CnnModels.flattenOnly(5);
            case "colour" -> CnnModels.colour(8);
            case "maxout-dense" -> CnnModels.maxoutDense(31);
            case "cnn-maxout" -> CnnModels.cnnMaxout(32);
            default -> throw new IllegalArgumentException(which);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"every-kind", "core-cnn-relu", "core-cnn-tanh", "flatten-only", "colour", "maxout-dense", "cnn-maxout"})
    void exportedCnnPassesItsSelfTestAndMatchesTheJavaEngineBitForBit(String which) throws Exception {
        List<String> perImage = exportRunAndCompare(which, model(which));
        // a model whose logits barely move would hide differences in the layers before them
        assertTrue(perImage.stream().distinct().count() > perImage.size() / 2, "the logits vary from image to image");
    }

    /** A colour model's header says its input is H x W x 3 bytes, and the C code reads them in HWC order like the engine. */
    @Test
    void colourModelHeaderNamesThreeInputChannels() throws Exception {
        exportRunAndCompare("colour", model("colour"));
        String header = Files.readString(dir.resolve("c-colour").resolve(CCode.fileStem("colour 8") + "_model.h"));
        assertTrue(header.contains("#define EDGEML_INPUT_HEIGHT 13\n"), header);
        assertTrue(header.contains("#define EDGEML_INPUT_WIDTH 11\n"), header);
        assertTrue(header.contains("#define EDGEML_INPUT_CHANNELS 3\n"), header);
        assertTrue(header.contains("#define EDGEML_INPUT_SIZE 429\n"), header);
    }

    /** Random shapes, kernels, strides, paddings, activations and layer orders (seeds whose stacks include a flatten mid-stack, a global average pool, stride 3). */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 5, 6})
    void randomCnnStacksMatchTheJavaEngineBitForBit(long seed) throws Exception {
        Q8Model model = CnnModels.random(seed);
        exportRunAndCompare("random-" + seed, model);
    }

    /** Exports, runs the self-test and 200 images through the C code; returns its line per image after checking each. */
    private static List<String> exportRunAndCompare(String which, Q8Model model) throws Exception {
        Path q8 = dir.resolve(which + ".q8");
        Q8ModelFile.write(model, q8);
        Path out = dir.resolve("c-" + which);
        ExportCJob.Result result = ExportCJob.run(new ExportCJob.Request(q8, out));
        Gcc.require();

        Gcc.compile(out, "edgeml_selftest", "edgeml_selftest.c", "edgeml_infer.c");
        String selftest = Gcc.execute(null, out.resolve("edgeml_selftest").toString());
        assertTrue(selftest.contains("PASS: " + model.goldens().size() + " of"), selftest);

        int images = 200;
        byte[] pixels = testImages(model.inputSize(), images);
        List<String> lines = runImages(out, pixels);
        assertEquals("id " + result.model().id() + " " + model.inputSize() + " " + model.classes() + " " + model.layers().size(),
                lines.get(0));
        List<String> perImage = lines.subList(1 + model.classes(), lines.size());
        assertEquals(images, perImage.size(), "one line per image");
        Int8Engine reference = new Int8Engine(model, DenseKernels.SCALAR);
        Int8Engine fast = new Int8Engine(model);
        for (int i = 0; i < images; i++) {
            byte[] image = Arrays.copyOfRange(pixels, i * model.inputSize(), (i + 1) * model.inputSize());
            assertEquals(engineLine(reference, image), perImage.get(i), "image " + i + " against the scalar reference");
            assertEquals(engineLine(fast, image), perImage.get(i), "image " + i + " against the " + fast.kernelName() + " engine");
        }
        return perImage;
    }

    /**
     * A 1x3 input, average pool 1x2 same (the last window half padding), flatten and a dense layer, computed by
     * hand: pixels 0, 3, 10 are int8 -128, -125, -118 (scale 1/255, zero point -128); the pool gives
     * round(-253 / 2) = -127 and round(-243 / 2) = -122 (halves away from zero) and -118 / 1 = -118 (the
     * padding not counted); dense with weights 1, 1, 1 on x + 128 sums 1 + 6 + 10 = 17, times 0.5 is 8.5,
     * which rounds up to 9.
     */
    @Test
    void averagePoolRoundingAndPaddingMatchAHandComputedCase() throws Exception {
        InputQuantization input = InputQuantization.covering(1, 3, false, 1 / 255.0, 0);
        QuantParams q = input.quantParams();
        assertEquals(new QuantParams(1 / 255f, -128), q);
        AveragePool2D pool = new AveragePool2D(new Window(new Shape(1, 3, 1), 1, 2, 1, 1, Padding.SAME), q);
        Flatten flatten = new Flatten(new Shape(1, 3, 1), q);
        QuantizedDense dense = new QuantizedDense(3, 1, Activation.IDENTITY, new byte[] {1, 1, 1}, new float[] {1f},
                new int[] {0}, new int[] {1 << 30}, new int[] {0}, q.scale(), q.zeroPoint(), 1f, 0, 1f, 0, -128, 127, null);
        ModelInfo info = new ModelInfo("hand", "none", List.of("only"), Double.NaN, Double.NaN, "now", Map.of());
        Q8Model model = new Q8Model(info, input, List.<FeatureLayer>of(pool, flatten), List.of(dense),
                List.of(new GoldenVector(new byte[] {-128, -125, -118}, new byte[] {9})));
        Path q8 = dir.resolve("hand.q8");
        Q8ModelFile.write(model, q8);
        Path out = dir.resolve("c-hand");
        ExportCJob.run(new ExportCJob.Request(q8, out));
        Gcc.require();
        Gcc.compile(out, "edgeml_selftest", "edgeml_selftest.c", "edgeml_infer.c");
        String selftest = Gcc.execute(null, out.resolve("edgeml_selftest").toString());
        assertTrue(selftest.contains("PASS: 1 of 1"), selftest);
        List<String> lines = runImages(out, new byte[] {0, 3, 10});
        assertEquals("0 9", lines.get(lines.size() - 1));
    }

    /**
     * One maxout layer of two units with two pieces each, on pixels 3 and 1 (int8 -125 and -127; input zero
     * point -128, so x - zp = (3, 1)); multipliers 1 (rows 0 and 2) and 0.5 (rows 1 and 3), zero point 10:
     * unit 0: row 0 (1, 2) + 0 = 5 -> 5, row 1 (2, 0) + 2 = 8 -> 4; the largest 5 + 10 = 15.
     * unit 1: row 2 (-1, 1) + 0 = -2 -> -2, row 3 (0, 3) - 5 = -2 -> -1; the largest -1 + 10 = 9.
     * ReLU (clamp at the zero point 10) gives 15 and 10. A decreasing table (entry i = 127 - i, so
     * v -> -1 - v) after the max gives -16 and -10, where the largest table entry of the pieces would give
     * -15 and -9.
     */
    @ParameterizedTest
    @ValueSource(strings = {"identity", "relu", "table"})
    void maxoutMatchesAHandComputedCase(String kind) throws Exception {
        InputQuantization input = InputQuantization.covering(1, 2, false, 1 / 255.0, 0);
        QuantParams q = input.quantParams();
        assertEquals(new QuantParams(1 / 255f, -128), q);
        byte[] table = null;
        if (kind.equals("table")) {
            table = new byte[256];
            for (int i = 0; i < 256; i++) {
                table[i] = (byte) (127 - i);
            }
        }
        Activation activation = switch (kind) {
            case "relu" -> Activation.RELU;
            case "table" -> Activation.TANH;
            default -> Activation.IDENTITY;
        };
        int one = 1 << 30; // with shift 1 exactly 1, with shift 0 exactly 0.5
        QuantizedDense maxout = new QuantizedDense(2, 2, activation, new byte[] {1, 2, 2, 0, -1, 1, 0, 3},
                new float[] {1, 1, 1, 1}, new int[] {0, 2, 0, -5}, new int[] {one, one, one, one}, new int[] {1, 0, 1, 0},
                q.scale(), q.zeroPoint(), table == null ? 0.1f : 0.05f, 10, 0.1f, 10, kind.equals("relu") ? 10 : -128, 127,
                table, 2);
        byte[] expected = switch (kind) {
            case "relu" -> new byte[] {15, 10};
            case "table" -> new byte[] {-16, -10};
            default -> new byte[] {15, 9};
        };
        ModelInfo info = new ModelInfo("hand maxout", "none", List.of("a", "b"), Double.NaN, Double.NaN, "now", Map.of());
        Q8Model model = new Q8Model(info, input, List.of(), List.of(maxout),
                List.of(new GoldenVector(new byte[] {-125, -127}, expected)));
        Path q8 = dir.resolve("hand-maxout-" + kind + ".q8");
        Q8ModelFile.write(model, q8);
        Path out = dir.resolve("c-hand-maxout-" + kind);
        ExportCJob.run(new ExportCJob.Request(q8, out));
        Gcc.require();
        Gcc.compile(out, "edgeml_selftest", "edgeml_selftest.c", "edgeml_infer.c");
        String selftest = Gcc.execute(null, out.resolve("edgeml_selftest").toString());
        assertTrue(selftest.contains("PASS: 1 of 1"), selftest);
        List<String> lines = runImages(out, new byte[] {3, 1});
        assertEquals((expected[0] >= expected[1] ? 0 : 1) + " " + expected[0] + " " + expected[1], lines.get(lines.size() - 1));
    }

    /**
     * The footprint of {@link CnnModels#everyKind}, counted from its layer list: tables = input 256 + per
     * convolution weights + 9 bytes a channel (+ 256 for an activation table) + per dense layer the same;
     * the largest activation is the first conv's 20x17x8 output, and eight layers write to scratch.
     */
    @Test
    void footprintCountsConvolutionTablesAndTheLargestActivation() {
        CFootprint footprint = CFootprint.of(CnnModels.everyKind(21));
        long conv0 = 8 * 3 * 3 * 1 + 9 * 8;
        long conv1 = 8 * 3 * 3 * 8 + 9 * 8 + 256;
        long depthwise = 3 * 3 * 8 + 9 * 8;
        long conv5 = 12 * 2 * 1 * 8 + 9 * 12 + 256;
        long dense = 12 * 16 + 9 * 16 + 16 * 5 + 9 * 5;
        assertEquals(256 + conv0 + conv1 + depthwise + conv5 + dense, footprint.tableBytes());
        assertEquals(20 * 17 * 8, footprint.maxHidden());
        assertEquals(2 * 20 * 17 * 8, footprint.scratchBytes());
        assertEquals(2 * 20 * 17 * 8 + 20 * 17 + 5, footprint.staticRamBytes());
        assertEquals(5 * "class 0".length() + 5, footprint.labelBytes());
    }

    /**
     * Maxout tables hold every row: per layer inputs * units * pieces weights and 9 bytes a row (bias,
     * multiplier, shift), 256 more for tanh's table; the largest activation is a unit count (12), not a row count.
     */
    @Test
    void footprintCountsEveryMaxoutRow() {
        CFootprint footprint = CFootprint.of(CnnModels.maxoutDense(31));
        long a = 30 * 48 + 9 * 48;
        long b = 12 * 30 + 9 * 30;
        long c = 10 * 16 + 9 * 16 + 256;
        long last = 8 * 4 + 9 * 4;
        assertEquals(256 + a + b + c + last, footprint.tableBytes());
        assertEquals(12, footprint.maxHidden());
        assertEquals(2 * 12, footprint.scratchBytes());
    }

    /** Random noise, then all black and all white. */
    private static byte[] testImages(int size, int count) {
        byte[] pixels = new byte[count * size];
        new Random(7).nextBytes(pixels);
        Arrays.fill(pixels, (count - 2) * size, (count - 1) * size, (byte) 0);
        Arrays.fill(pixels, (count - 1) * size, count * size, (byte) 255);
        return pixels;
    }

    private static List<String> runImages(Path out, byte[] pixels) throws Exception {
        Gcc.copyResource("images_driver.c", out);
        Gcc.compile(out, "images_driver", "images_driver.c", "edgeml_infer.c");
        Path pixelFile = out.resolve("pixels.raw");
        Files.write(pixelFile, pixels);
        List<String> lines = Gcc.execute(null, out.resolve("images_driver").toString(), pixelFile.toString()).lines().toList();
        assertFalse(lines.contains("wrote past EDGEML_SCRATCH_BYTES"), "the activation buffers are too small");
        assertFalse(lines.contains("scratch variant differs"), "edgeml_infer_with_scratch gives other logits than edgeml_infer");
        return lines;
    }

    /** "class logit logit ...", as the images driver prints it. */
    private static String engineLine(Int8Engine engine, byte[] image) {
        byte[] input = new byte[engine.inputSize()];
        byte[] logits = new byte[engine.classes()];
        engine.quantizeInput(image, input);
        engine.infer(input, logits);
        StringBuilder line = new StringBuilder().append(engine.classifyPixels(image));
        for (byte l : logits) {
            line.append(' ').append(l);
        }
        return line.toString();
    }
}
