package org.edgeml.quantizer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.engine.FixedPoint;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.LoadedModel;
import org.edgeml.core.model.ModelInfo;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.DatasetSpec;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.quantizer.QuantizeJob;
import org.edgeml.quantizer.TestModels;
import org.edgeml.quantizer.calibration.CalibrationMethod;
import org.edgeml.quantizer.cli.ExportCCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportCTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    /** Labels and a name that C string literals and comments must survive. */
    private static final List<String> AWKWARD_LABELS = List.of("T-shirt/top", "quote\" back\\slash", "??/ trigraph",
            "*/ not a comment end", "\u00fcmlaut \u00e9t\u00e9", "tab\tcontrol", "100%", "a", "", "class9");

    @TempDir
    static Path dir;
    static Path reluModel;
    static Path sigmoidModel;
    static Path singleLayerModel;

    @BeforeAll
    static void quantizeModels() throws Exception {
        reluModel = quantize("relu", TestModels.random(11, Activation.RELU, 64, 32, 10));
        sigmoidModel = quantize("sigmoid", TestModels.random(12, Activation.SIGMOID, 48, 24, 10));
        singleLayerModel = quantize("single", TestModels.random(13, Activation.RELU, 10));
        LoadedModel sigmoid = Q8ModelFile.read(sigmoidModel);
        ModelInfo info = sigmoid.model().info();
        Q8ModelFile.write(sigmoid.model().withInfo(new ModelInfo("Sigmoid ??/ */ net", info.dataset(), AWKWARD_LABELS,
                info.floatAccuracy(), info.int8Accuracy(), info.createdAt(), info.properties())), sigmoidModel);
    }

    private static Path quantize(String name, FloatModel model) throws Exception {
        Path sub = Files.createDirectories(dir.resolve(name));
        Path floatFile = TestModels.writeModelAndData(sub, model, 400, 100);
        Path q8 = sub.resolve(name + ".q8");
        QuantizeJob.run(new QuantizeJob.Request(floatFile, q8, 200, CalibrationMethod.MINMAX,
                new DatasetSpec("idx", sub.resolve("data"), 7)), QUIET);
        return q8;
    }

    /** The C example in docs/export-c.md compiles as it stands against exported code, under the strict flags. */
    @Test
    void theDocumentedExampleCompiles() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "export-c.md"));
        int at = doc.indexOf("```c\n", doc.indexOf("Example:"));
        String example = doc.substring(at + "```c\n".length(), doc.indexOf("```", at + 4));
        Path out = dir.resolve("c-doc-example");
        ExportCJob.run(new ExportCJob.Request(reluModel, out));
        Gcc.require();
        Files.writeString(out.resolve("doc_example.c"), example
                + "\nint main(void) {\n    static const uint8_t pixels[EDGEML_INPUT_SIZE];\n    on_frame(pixels);\n    return 0;\n}\n");
        Gcc.compile(out, "doc_example", "doc_example.c", "edgeml_infer.c");
        assertTrue(Gcc.execute(null, out.resolve("doc_example").toString()).contains("(model "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "sigmoid", "single"})
    void exportedCodePassesItsSelfTestAndMatchesTheJavaEngineBitForBit(String which) throws Exception {
        Path q8 = switch (which) {
            case "relu" -> reluModel;
            case "sigmoid" -> sigmoidModel;
            default -> singleLayerModel;
        };
        Path out = dir.resolve("c-" + which);
        ExportCJob.Result result = ExportCJob.run(new ExportCJob.Request(q8, out));
        LoadedModel loaded = result.model();
        assertEquals(5, result.files().size());
        Gcc.require();

        Gcc.compile(out, "edgeml_selftest", "edgeml_selftest.c", "edgeml_infer.c");
        String selftest = Gcc.execute(null, out.resolve("edgeml_selftest").toString());
        assertTrue(selftest.contains("PASS: " + loaded.model().goldens().size() + " of"), selftest);

        Gcc.copyResource("images_driver.c", out);
        Gcc.compile(out, "images_driver", "images_driver.c", "edgeml_infer.c");
        byte[] pixels = testImages(loaded.model().inputSize(), 300);
        Path pixelFile = out.resolve("pixels.raw");
        Files.write(pixelFile, pixels);
        List<String> lines = Gcc.execute(null, out.resolve("images_driver").toString(), pixelFile.toString())
                .lines().toList();

        Q8Model model = loaded.model();
        assertEquals("id " + loaded.id() + " " + model.inputSize() + " " + model.classes() + " " + model.layers().size(),
                lines.get(0));
        for (int c = 0; c < model.classes(); c++) {
            assertEquals("label " + model.labels().get(c), lines.get(1 + c));
        }
        Int8Engine engine = new Int8Engine(model);
        byte[] input = new byte[model.inputSize()];
        byte[] logits = new byte[model.classes()];
        List<String> images = lines.subList(1 + model.classes(), lines.size());
        assertEquals(300, images.size(), "one line per image");
        for (int i = 0; i < images.size(); i++) {
            byte[] image = Arrays.copyOfRange(pixels, i * input.length, (i + 1) * input.length);
            engine.quantizeInput(image, input);
            engine.infer(input, logits);
            StringBuilder expected = new StringBuilder().append(engine.classifyPixels(image));
            for (byte l : logits) {
                expected.append(' ').append(l);
            }
            assertEquals(expected.toString(), images.get(i), "image " + i);
        }
    }

    /** Blobs like the training data, plus the extremes that drive activations into saturation. */
    private static byte[] testImages(int size, int count) {
        byte[] pixels = new byte[count * size];
        byte[] blobs = TestModels.labelledBy(TestModels.random(1, Activation.RELU, 10), count - 3, 99).pixels();
        System.arraycopy(blobs, 0, pixels, 0, blobs.length);
        Arrays.fill(pixels, (count - 2) * size, (count - 1) * size, (byte) 255);
        Random random = new Random(5);
        for (int i = (count - 1) * size; i < count * size; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        return pixels;
    }

    @Test
    void fixedPointPrimitivesMatchJavaOnCornerCasesAndRandomInputs() throws Exception {
        Path out = dir.resolve("c-primitives");
        ExportCJob.run(new ExportCJob.Request(reluModel, out));
        Gcc.require();
        Gcc.copyResource("primitives_driver.c", out);
        Gcc.compile(out, "primitives_driver", "primitives_driver.c", "edgeml_infer.c");

        List<String> cases = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        int[] corners = {Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -(1 << 30) - 1, -(1 << 30), -65536, -12345, -3, -2,
            -1, 0, 1, 2, 3, 12345, 65536, 1 << 30, (1 << 30) + 1, Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
        Random random = new Random(17);
        for (int a : corners) {
            for (int b : corners) {
                addSrdhm(cases, expected, a, b);
            }
        }
        for (int k = -20; k <= 20; k++) {
            addSrdhm(cases, expected, 2 * k + 1, 1 << 30); // a * b / 2^31 exactly halfway between integers
        }
        for (int e = 0; e <= 31; e++) {
            long half = e == 0 ? 0 : 1L << (e - 1);
            for (int x : corners) {
                addRdbpot(cases, expected, x, e);
            }
            for (int m = -3; m <= 3; m++) { // ties (2m + 1) * 2^(e-1), and their neighbours
                for (long d = -1; d <= 1; d++) {
                    long x = (2 * m + 1) * half + d;
                    if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
                        addRdbpot(cases, expected, (int) x, e);
                    }
                }
            }
        }
        int[] multipliers = {0, 1 << 30, (1 << 30) + 1, 1518500250, Integer.MAX_VALUE};
        int[] shifts = {-31, -30, -17, -1, 0, 1, 2, 30, 31};
        for (int x : corners) {
            for (int m : multipliers) {
                for (int shift : shifts) {
                    addMbqm(cases, expected, x, m, shift);
                }
            }
        }
        for (int i = 0; i < 3000; i++) {
            addSrdhm(cases, expected, random.nextInt(), random.nextInt());
            addRdbpot(cases, expected, random.nextInt(), random.nextInt(32));
            addMbqm(cases, expected, random.nextInt() >> random.nextInt(32), (1 << 30) + random.nextInt(1 << 30),
                    random.nextInt(62) - 31);
        }
        Path input = out.resolve("cases.txt");
        Files.write(input, cases);
        List<String> results = Gcc.execute(input, out.resolve("primitives_driver").toString()).lines().toList();
        assertEquals(cases.size(), results.size());
        for (int i = 0; i < cases.size(); i++) {
            assertEquals(expected.get(i).toString(), results.get(i), cases.get(i));
        }
    }

    private static void addSrdhm(List<String> cases, List<Integer> expected, int a, int b) {
        cases.add("S " + a + " " + b);
        expected.add(FixedPoint.saturatingRoundingDoublingHighMul(a, b));
    }

    private static void addRdbpot(List<String> cases, List<Integer> expected, int x, int exponent) {
        cases.add("R " + x + " " + exponent);
        expected.add(FixedPoint.roundingDivideByPOT(x, exponent));
    }

    private static void addMbqm(List<String> cases, List<Integer> expected, int x, int multiplier, int shift) {
        cases.add("M " + x + " " + multiplier + " " + shift);
        expected.add(FixedPoint.multiplyByQuantizedMultiplier(x, multiplier, shift));
    }

    @Test
    void commandPrintsOneJsonObjectDescribingTheWrittenFiles() throws Exception {
        Path out = dir.resolve("c-command");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(stdout, true));
        int code;
        try {
            code = new picocli.CommandLine(new ExportCCommand()).execute(reluModel.toString(), "--out", out.toString(), "--json");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code);
        Map<String, Object> o = Json.parseObject(stdout.toString().strip());
        LoadedModel loaded = Q8ModelFile.read(reluModel);
        assertEquals(loaded.id(), o.get("model"));
        List<?> files = (List<?>) o.get("files");
        List<String> names = new ArrayList<>();
        for (Object f : files) {
            Map<?, ?> file = (Map<?, ?>) f;
            Path path = Path.of((String) file.get("file"));
            assertEquals(Files.size(path), ((Number) file.get("bytes")).longValue());
            names.add(path.getFileName().toString());
        }
        assertEquals(List.of("relu_model.h", "edgeml_infer.h", "edgeml_infer.c", "relu_golden.h", "edgeml_selftest.c"), names);
        CFootprint footprint = CFootprint.of(loaded.model());
        assertEquals(784L * 64 + 64 * 32 + 32 * 10 + 9 * (64 + 32 + 10) + 256, footprint.tableBytes());
        assertEquals(64, footprint.maxHidden());
        assertEquals(128, footprint.scratchBytes());
        assertEquals(footprint.tableBytes(), ((Number) o.get("table_bytes")).longValue());
        String header = Files.readString(out.resolve("relu_model.h"));
        assertTrue(header.contains("#define EDGEML_MODEL_ID \"" + loaded.id() + "\""), "model id macro");
        assertTrue(header.contains("#define EDGEML_LAYER1_OUTPUTS 32"), "layer size macros");
        assertTrue(header.contains("cc -std=c99 -O2 -Wall -Wextra -pedantic"), "build instructions");
    }

    @Test
    void badInputIsAOneLineError() throws Exception {
        EdgemlException missing = assertThrows(EdgemlException.class,
                () -> ExportCJob.run(new ExportCJob.Request(dir.resolve("nope.q8"), dir.resolve("c-nope"))));
        assertEquals(EdgemlException.EXIT_BAD_INPUT, missing.exitCode());
        assertTrue(missing.getMessage().contains("nope.q8"), missing.getMessage());
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        EdgemlException notDir = assertThrows(EdgemlException.class,
                () -> ExportCJob.run(new ExportCJob.Request(reluModel, file)));
        assertTrue(notDir.getMessage().contains("--out needs a directory"), notDir.getMessage());
    }
}
