package org.edgeml.quantizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.AveragePool2D;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Flatten;
import org.edgeml.core.model.GlobalAveragePool;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.ModelInfo;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDepthwiseConv2D;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.edgeml.host.data.DatasetSpec;
import org.edgeml.host.floatmodel.Conv2DLayer;
import org.edgeml.host.floatmodel.DepthwiseConv2DLayer;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.quantizer.calibration.Calibration;
import org.edgeml.quantizer.calibration.CalibrationMethod;
import org.edgeml.quantizer.calibration.Calibrator;
import org.edgeml.quantizer.check.CheckJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CnnQuantizationTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    /** The input quantization of 0..255 * 1/255: scale 1/255, zero point -128. */
    private static final QuantParams UNIT_INPUT = QuantParams.fromRange(0, 1);

    @Test
    void convWeightsGetOneScalePerFilterMaxAbsOver127() {
        Window window = new Window(new Shape(3, 3, 1), 2, 2, 1, 1, Padding.VALID);
        // OHWI: filter 0 then filter 1, 2x2x1 each.
        float[] weights = {0.5f, -1.27f, 0.2f, 0.1f, 0.254f, 0f, -0.128f, 0.05f};
        Conv2DLayer conv = new Conv2DLayer(window, 2, Activation.RELU, weights, new float[] {0.3f, -0.02f});
        QuantParams output = QuantParams.fromRange(0, 4);
        QuantizedConv2D q = (QuantizedConv2D) FeatureQuantizer.quantize(conv, UNIT_INPUT, null, output);
        // max|w| / 127: 1.27 / 127 = 0.01 and 0.254 / 127 = 0.002.
        assertEquals(0.01f, q.weightScales()[0], 1e-9f);
        assertEquals(0.002f, q.weightScales()[1], 1e-9f);
        assertArrayEquals(new byte[] {50, -127, 20, 10, 127, 0, -64, 25}, q.weights());
        // round(b / (inputScale * weightScale)) with inputScale 1/255: 0.3 * 255 / 0.01 and -0.02 * 255 / 0.002.
        assertArrayEquals(new int[] {7650, -2550}, q.bias());
        assertEquals(output.zeroPoint(), q.requantization().clampMin(), "ReLU clamps at the output zero point");
        assertEquals(UNIT_INPUT, q.input());
    }

    @Test
    void depthwiseWeightsGetOneScalePerChannelAcrossTheKernel() {
        Window window = new Window(new Shape(2, 3, 2), 1, 2, 1, 1, Padding.VALID);
        // [kh][kw][C]: tap 0 (c0, c1), tap 1 (c0, c1).
        float[] weights = {0.5f, 0.1f, -1.27f, -0.254f};
        DepthwiseConv2DLayer dw = new DepthwiseConv2DLayer(window, Activation.IDENTITY, weights, new float[] {0, 0.51f});
        QuantizedDepthwiseConv2D q = (QuantizedDepthwiseConv2D) FeatureQuantizer.quantize(dw, UNIT_INPUT, null,
                QuantParams.fromRange(-2, 2));
        assertEquals(0.01f, q.weightScales()[0], 1e-9f);
        assertEquals(0.002f, q.weightScales()[1], 1e-9f);
        assertArrayEquals(new byte[] {50, 50, -127, -127}, q.weights());
        assertArrayEquals(new int[] {0, 65025}, q.bias()); // 0.51 * 255 / 0.002
        assertEquals(-128, q.requantization().clampMin());
    }

    @Test
    void poolsAndFlattenKeepTheirInputQuantization() {
        FloatModel model = new CnnModels(5, 8, 8)
                .conv(3, 4, 1, Padding.SAME, Activation.RELU)
                .maxPool(2, 2, Padding.VALID)
                .averagePool(2, 1, Padding.SAME)
                .flatten()
                .dense(3, Activation.IDENTITY)
                .build();
        Q8Model q = quantize(model, CnnModels.images(50, 8, 8, 1));
        List<FeatureLayer> f = q.features();
        QuantParams conv = f.get(0).output();
        assertTrue(f.get(1) instanceof MaxPool2D && f.get(2) instanceof AveragePool2D && f.get(3) instanceof Flatten);
        for (int i = 1; i < 4; i++) {
            assertEquals(conv, f.get(i).input());
            assertEquals(conv, f.get(i).output());
        }
        assertEquals(conv, q.layers().get(0).input());
    }

    @Test
    void randomCnnsAndMaxoutAgreeWithTheFloatNetworkWithinTheDerivedBound() {
        List<FloatModel> models = List.of(
                new CnnModels(11, 10, 10)
                        .conv(3, 6, 1, Padding.SAME, Activation.RELU)
                        .maxPool(2, 2, Padding.VALID)
                        .depthwise(3, 1, Padding.SAME, Activation.TANH)
                        .averagePool(2, 1, Padding.SAME)
                        .flatten()
                        .dense(12, Activation.SIGMOID)
                        .dense(5, Activation.IDENTITY)
                        .build(),
                new CnnModels(12, 11, 9)
                        .conv(3, 4, 2, Padding.VALID, Activation.IDENTITY)
                        .depthwise(2, 1, Padding.VALID, Activation.RELU)
                        .globalAveragePool()
                        .dense(6, Activation.RELU)
                        .dense(4, Activation.IDENTITY)
                        .build(),
                new CnnModels(13, 12, 12)
                        .conv(5, 8, 2, Padding.SAME, Activation.TANH)
                        .conv(1, 4, 1, Padding.VALID, Activation.RELU)
                        .averagePool(3, 2, Padding.VALID)
                        .flatten()
                        .dense(6, Activation.IDENTITY)
                        .build(),
                new CnnModels(14, 9, 9)
                        .depthwise(3, 2, Padding.SAME, Activation.SIGMOID)
                        .conv(2, 5, 1, Padding.SAME, Activation.RELU)
                        .maxPool(3, 2, Padding.SAME)
                        .flatten()
                        .dense(7, Activation.TANH)
                        .dense(3, Activation.IDENTITY)
                        .build(),
                new CnnModels(15, 8, 8)
                        .conv(3, 6, 1, Padding.SAME, Activation.RELU)
                        .globalAveragePool()
                        .maxout(8, 3, Activation.IDENTITY)
                        .maxout(5, 2, Activation.TANH)
                        .dense(4, Activation.IDENTITY)
                        .build(),
                new CnnModels(16, 10, 10)
                        .conv(3, 4, 2, Padding.SAME, Activation.SIGMOID)
                        .flatten()
                        .maxout(6, 4, Activation.RELU)
                        .maxout(3, 2, Activation.IDENTITY)
                        .build());
        for (int m = 0; m < models.size(); m++) {
            FloatModel model = models.get(m);
            int h = model.input().height();
            int w = model.input().width();
            LabeledImages images = CnnModels.images(200, h, w, 100 + m);
            Q8Model q = quantize(model, images);
            double bound = ErrorBound.logits(model, q);
            FloatNetwork network = new FloatNetwork(model);
            Int8Engine engine = new Int8Engine(q);
            QuantParams logit = q.lastLayer().output();
            byte[] in = new byte[q.inputSize()];
            byte[] out = new byte[q.classes()];
            double worst = 0;
            int agree = 0;
            for (int i = 0; i < images.count(); i++) {
                float[] expected = network.logits(network.input(images.image(i)));
                engine.quantizeInput(images.image(i), in);
                engine.infer(in, out);
                float[] actual = new float[out.length];
                for (int c = 0; c < out.length; c++) {
                    actual[c] = (float) logit.dequantize(out[c]);
                    worst = Math.max(worst, Math.abs(actual[c] - expected[c]));
                }
                agree += FloatNetwork.argmax(actual) == FloatNetwork.argmax(expected) ? 1 : 0;
            }
            assertTrue(worst <= bound, "model " + m + ": worst logit error " + worst + " exceeds the bound " + bound);
            // Random networks often have near-ties; a trained one agrees far more (see docs/quantization.md).
            assertTrue(agree >= 0.9 * images.count(), "model " + m + ": argmax agrees on " + agree + "/" + images.count()
                    + " (worst logit error " + worst + ", logit step " + logit.scale() + ")");
        }
    }

    @Test
    void quantizeAndCheckATinyCnnEndToEnd(@TempDir Path dir) throws Exception {
        FloatModel model = new CnnModels(21, 28, 28)
                .conv(3, 4, 1, Padding.SAME, Activation.RELU)
                .maxPool(2, 2, Padding.VALID)
                .conv(3, 8, 2, Padding.VALID, Activation.RELU)
                .flatten()
                .maxout(32, 3, Activation.IDENTITY)
                .dense(10, Activation.IDENTITY)
                .build();
        Path floatFile = TestModels.writeModelAndData(dir, model, 300, 400);
        Path q8 = dir.resolve("cnn.q8");
        QuantizeJob.Result result = QuantizeJob.run(new QuantizeJob.Request(floatFile, q8, 200, CalibrationMethod.MINMAX,
                new DatasetSpec("idx", dir.resolve("data"), 7)), QUIET);
        Q8Model loaded = Q8ModelFile.read(q8).model();
        assertEquals(4, loaded.features().size());
        assertEquals(3, loaded.layers().get(0).pieces());
        assertEquals(List.of(), new Int8Engine(loaded).verifyGoldens());
        assertTrue(loaded.goldens().size() >= PostTrainingQuantizer.GOLDEN_IMAGES);
        assertEquals(1.0, result.evaluation().floatAccuracy(), 1e-9, "the float model labelled the images");
        assertTrue(result.evaluation().agreement() >= 0.95, "agreement " + result.evaluation().agreement());
        // The golden vectors (10 x 794 bytes) outweigh so small a model; the rest is within the 30%.
        long goldenBytes = (long) loaded.goldens().size() * (loaded.inputSize() + loaded.classes());
        assertTrue(result.fileBytes() - goldenBytes <= 0.30 * result.floatWeightBytes(),
                result.fileBytes() + " bytes (" + goldenBytes + " of goldens) vs " + result.floatWeightBytes() + " float bytes");
        CheckJob.Result check = CheckJob.run(new CheckJob.Request(q8, null, null, 0.5, 5), QUIET);
        assertEquals(result.evaluation().int8Accuracy(), check.int8Accuracy(), 1e-12);
        assertTrue(check.passed());

        String json = quantizeCommand(floatFile, dir, "--json");
        Map<String, Object> o = Json.parseObject(json.strip());
        List<?> features = (List<?>) o.get("features");
        assertEquals(List.of("conv2d", "max pool", "conv2d", "flatten"),
                features.stream().map(f -> ((Map<?, ?>) f).get("kind")).toList());
        assertEquals("28x28x1", ((Map<?, ?>) features.get(0)).get("input_shape"));
        assertEquals("28x28x4", ((Map<?, ?>) features.get(0)).get("output_shape"));
        assertEquals(3L, ((Number) ((Map<?, ?>) ((List<?>) o.get("layers")).get(0)).get("pieces")).longValue());
        String text = quantizeCommand(floatFile, dir);
        assertTrue(text.contains("f0 conv2d") && text.contains("f3 flatten") && text.contains("288x32 maxout 3"), text);
    }

    private static String quantizeCommand(Path floatFile, Path dir, String... extra) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(QUIET);
        int code;
        try {
            List<String> args = new java.util.ArrayList<>(List.of(floatFile.toString(), "--out", dir.resolve("cmd.q8").toString(),
                    "--calibration", "50", "--dataset", "idx", "--data", dir.resolve("data").toString()));
            args.addAll(List.of(extra));
            code = new picocli.CommandLine(new org.edgeml.quantizer.cli.QuantizeCommand()).execute(args.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        assertEquals(0, code, out.toString());
        return out.toString();
    }

    static Q8Model quantize(FloatModel model, LabeledImages images) {
        Calibration calibration = new Calibrator(new FloatNetwork(model), CalibrationMethod.MINMAX)
                .calibrate(images, images.count(), 1, QUIET);
        ModelInfo info = new ModelInfo("test", "random", model.labels(), Double.NaN, Double.NaN, "2026-01-01T00:00:00Z", Map.of());
        return PostTrainingQuantizer.quantize(model, calibration, info);
    }
}
