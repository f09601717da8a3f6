package org.edgeml.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.ModelInfo;
import org.edgeml.core.model.Q8Model;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.quantizer.PostTrainingQuantizer;
import org.edgeml.quantizer.calibration.CalibrationMethod;
import org.edgeml.quantizer.calibration.Calibrator;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Q8ModelFile;
import java.io.OutputStream;
import org.edgeml.core.model.Padding;
import org.edgeml.quantizer.calibration.Calibration;
import org.edgeml.host.floatmodel.FloatModelFile;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    @Test
    void quickJsonRunPrintsOneObjectWithAResultPerBenchmark() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new BenchCommand()).execute("--quick", "--json", "--only", "int8Vector|int8Scalar|preprocessFrame");
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, exit);
        String out = captured.toString(StandardCharsets.UTF_8).trim();
        assertEquals(1, out.lines().count(), out);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(out);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) json.get("results");
        assertEquals(List.of("int8_vector_b1", "int8_scalar_b1", "preprocess_640x480"),
                results.stream().map(r -> r.get("name")).toList());
        for (Map<String, Object> r : results) {
            double us = ((Number) r.get("us_per_image")).doubleValue();
            assertTrue(us > 0, r.toString());
            assertEquals(1e6 / us, ((Number) r.get("images_per_s")).doubleValue(), 1e-6 * (1e6 / us));
            assertTrue(r.containsKey("error"));
        }
    }

    @Test
    void quickCnnRowsRunOnThePresetAndOnAGivenCnnPair(@TempDir Path dir) {
        Map<String, Object> json = runJson("--quick", "--json", "--only", "cnnInt8Vector|cnnInt8Scalar|cnnOrtInt8|cnnOrtFloat|cnnDl4j");
        assertEquals(List.of("cnn_int8_vector_b1", "cnn_int8_scalar_b1", "cnn_ort_int8_b1", "cnn_ort_float_b1", "cnn_dl4j_float_b1"),
                names(json));
        assertTrue(json.containsKey("cnn_model_id"), json.toString());

        Path int8 = dir.resolve("cnn.q8");
        Path floats = dir.resolve("cnn.zip");
        Q8ModelFile.write(RandomCnn.preset(7), int8);
        FloatModelFile.write(RandomFloatCnn.preset(7), floats, null);
        json = runJson("--quick", "--json", "--model", int8.toString(), "--float", floats.toString(), "--only", "cnnInt8Scalar");
        assertEquals(List.of("cnn_int8_scalar_b1"), names(json));
        assertEquals(int8.toString(), json.get("cnn_model"));
    }

    /**
     * Colour (HxWx3) pairs: a dense one through the dense rows (BenchModel's images take the model's three
     * channels) and a CNN one through ONNX Runtime's QDQ export (its NHWC input transposed to [1, 3, H, W]).
     */
    @Test
    void colourModelPairsRunTheirRows(@TempDir Path dir) {
        FloatModel denseFloat = new RandomFloatCnn(8, 6, 5, 3).dense(12, 1, Activation.RELU).dense(4, 1, Activation.IDENTITY).build();
        LabeledImages images = BenchModel.blobImages(denseFloat, 100, 9);
        assertEquals(List.of(6, 5, 3, 100), List.of(images.rows(), images.cols(), images.channels(), images.count()));
        Calibration calibration = new Calibrator(new FloatNetwork(denseFloat), CalibrationMethod.MINMAX)
                .calibrate(images, images.count(), 1, new PrintStream(OutputStream.nullOutputStream()));
        ModelInfo info = new ModelInfo("colour-dense", "random", denseFloat.labels(), Double.NaN, Double.NaN,
                "2026-11-30T00:00:00Z", Map.of());
        Q8Model denseInt8 = PostTrainingQuantizer.withGoldens(PostTrainingQuantizer.quantize(denseFloat, calibration, info), images);
        assertEquals(3, denseInt8.input().channels());
        Path int8 = dir.resolve("colour-dense.q8");
        Path floats = dir.resolve("colour-dense.zip");
        Q8ModelFile.write(denseInt8, int8);
        FloatModelFile.write(denseFloat, floats, null);
        Map<String, Object> json = runJson("--quick", "--json", "--model", int8.toString(), "--float", floats.toString(),
                "--only", "int8Scalar|ortFloat");
        assertEquals(List.of("int8_scalar_b1", "ort_float_b1"), names(json));

        Path cnnInt8 = dir.resolve("colour-cnn.q8");
        Path cnnFloats = dir.resolve("colour-cnn.zip");
        Q8ModelFile.write(new RandomCnn(3, 10, 9, 3, 127).conv(3, 3, 1, 1, Padding.SAME, 4, Activation.RELU)
                .maxPool(2, 2, Padding.VALID).flatten().dense(5, Activation.IDENTITY).build("colour-cnn", 4), cnnInt8);
        FloatModelFile.write(new RandomFloatCnn(3, 10, 9, 3).conv(3, 3, 1, 1, Padding.SAME, 4, Activation.RELU)
                .maxPool(2, 2, Padding.VALID).flatten().dense(5, 1, Activation.IDENTITY).build(), cnnFloats, null);
        json = runJson("--quick", "--json", "--model", cnnInt8.toString(), "--float", cnnFloats.toString(),
                "--only", "cnnOrtInt8|cnnOrtFloat");
        assertEquals(List.of("cnn_ort_int8_b1", "cnn_ort_float_b1"), names(json));
    }

    /** The device runtime on the preset CNN, publishing to a real mosquitto (which the test needs). */
    @Test
    @SuppressWarnings("unchecked")
    void cnnRuntimeEndToEndDeliversEveryFrame() {
        Map<String, Object> json = runJson("--quick", "--json", "--only", "cnn_runtime_e2e");
        assertEquals(List.of("cnn_runtime_e2e"), names(json));
        Map<String, Object> runtime = (Map<String, Object>) json.get("cnn_runtime");
        assertEquals(500, ((Number) runtime.get("frames")).intValue(), runtime.toString());
        assertEquals(0, ((Number) runtime.get("exit_code")).intValue(), runtime.toString());
    }

    /** A dense model pair with maxout layers runs every peer: the int8 engine, ONNX Runtime int8 and float, and DL4J. */
    @Test
    void aMaxoutPairRunsEveryPeer(@TempDir Path dir) {
        FloatModel model = new RandomFloatCnn(8, 28, 28, 1).dense(32, 3, Activation.RELU).dense(10, 2, Activation.IDENTITY).build();
        LabeledImages images = BenchModel.blobImages(model, 200, 3);
        var calibration = new Calibrator(new FloatNetwork(model), CalibrationMethod.MINMAX).calibrate(images, 200, 1, System.err);
        Q8Model q8 = PostTrainingQuantizer.quantize(model, calibration,
                new ModelInfo("maxout", "random", model.labels(), Double.NaN, Double.NaN, "2026", Map.of()));
        Path int8 = dir.resolve("maxout.q8");
        Path floats = dir.resolve("maxout.zip");
        Q8ModelFile.write(PostTrainingQuantizer.withGoldens(q8, images), int8);
        FloatModelFile.write(model, floats, null);
        Map<String, Object> json = runJson("--quick", "--json", "--model", int8.toString(), "--float", floats.toString(),
                "--only", "int8Scalar|ortInt8|ortFloat|dl4j");
        assertEquals(List.of("int8_scalar_b1", "ort_int8_b1", "ort_float_b1", "dl4j_float_b1"), names(json));
    }

    @Test
    void aCnnWithADenseFloatModelIsABadInput(@TempDir Path dir) {
        Path int8 = dir.resolve("cnn.q8");
        Path floats = dir.resolve("dense.zip");
        Q8ModelFile.write(RandomCnn.preset(7), int8);
        FloatModelFile.write(BenchModel.randomFloatModel(7, 16, 10), floats, null);
        BenchCommand command = new BenchCommand();
        command.model = int8;
        command.floatModel = floats;
        EdgemlException e = assertThrows(EdgemlException.class, command::call);
        assertEquals(EdgemlException.EXIT_BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("are not the same model"), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> runJson(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new BenchCommand()).execute(args);
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, exit);
        String out = captured.toString(StandardCharsets.UTF_8).trim();
        assertEquals(1, out.lines().count(), out);
        return (Map<String, Object>) Json.parse(out);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> names(Map<String, Object> json) {
        return ((List<Map<String, Object>>) json.get("results")).stream().map(r -> r.get("name")).toList();
    }

    @Test
    void aModelWithoutItsFloatModelIsABadInput() {
        BenchCommand command = new BenchCommand();
        command.model = java.nio.file.Path.of("m.q8");
        EdgemlException e = assertThrows(EdgemlException.class, command::call);
        assertEquals(EdgemlException.EXIT_BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith("--model and --float go together"), e.getMessage());
    }
}
