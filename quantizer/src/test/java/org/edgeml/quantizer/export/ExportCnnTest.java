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
            default -> throw new IllegalArgumentException(which);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"every-kind", "core-cnn-relu", "core-cnn-tanh", "flatten-only", "colour"})
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
