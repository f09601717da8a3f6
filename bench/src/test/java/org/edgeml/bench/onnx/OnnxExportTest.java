package org.edgeml.bench.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgeml.bench.BenchModel;
import org.edgeml.bench.OrtRunner;
import org.edgeml.bench.RandomFloatCnn;
import org.edgeml.core.model.Padding;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.engine.FixedPoint;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.InputQuantization;
import org.edgeml.core.model.QuantizedMultiplier;
import org.edgeml.core.model.ModelInfo;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantizedDense;
import org.edgeml.host.floatmodel.DenseLayer;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.quantizer.PostTrainingQuantizer;
import org.edgeml.quantizer.calibration.CalibrationMethod;
import org.edgeml.quantizer.calibration.Calibrator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX exports, run by ONNX Runtime, against edgeml's own engines.
 *
 * <p>The int8 comparisons use weights of at most 63 in magnitude. On x86 CPUs without VNNI (AVX2 only, as
 * some of the machines this runs on), ONNX Runtime's u8 x s8 kernel adds products in pairs into saturating
 * 16-bit lanes ({@code vpmaddubsw}): 255 * 127 * 2 overflows and the logits come out several codes off, which
 * says nothing about the export. 255 * 63 * 2 = 32130 fits, so the comparison is exact on every x86 CPU.
 */
class OnnxExportTest {
    private static final int IMAGES = 400;

    @TempDir
    Path dir;

    @Test
    void ortRunsTheQdqExportWithTheInt8EnginesClassesAndFusesItToQGemm() throws Exception {
        BenchModel bench = BenchModel.random(3, IMAGES, System.err);
        Path optimized = dir.resolve("optimized.onnx");
        Agreement a = compareInt8(bench.int8Model(), bench.images(), optimized.toString());
        assertTrue(a.classes >= 0.99 * IMAGES, a.toString());
        assertTrue(a.maxCodeDifference <= 1, a.toString());
        String graph = new String(Files.readAllBytes(optimized), StandardCharsets.ISO_8859_1);
        assertTrue(graph.contains("QGemm"), "ORT did not fuse the QDQ graph into QGemm");
        assertTrue(!graph.contains("DequantizeLinear"), "ORT left float dequantization in the graph");
    }

    @Test
    void lookupTableActivationsRunThroughGather() throws Exception {
        FloatModel relu = BenchModel.randomFloatModel(5, 24, 10);
        List<DenseLayer> layers = new ArrayList<>();
        for (DenseLayer d : relu.layers()) {
            Activation activation = d.activation() == Activation.RELU ? Activation.TANH : d.activation();
            layers.add(new DenseLayer(d.inputs(), d.outputs(), activation, d.weights(), d.bias()));
        }
        FloatModel tanh = new FloatModel(relu.input(), layers, relu.labels(), relu.metadata());
        LabeledImages images = BenchModel.blobImages(tanh, IMAGES, 6);
        var calibration = new Calibrator(new FloatNetwork(tanh), CalibrationMethod.MINMAX).calibrate(images, IMAGES, 1, System.err);
        Q8Model q8 = PostTrainingQuantizer.quantize(tanh, calibration,
                new ModelInfo("tanh", "random", tanh.labels(), Double.NaN, Double.NaN, "2026", Map.of()));
        Agreement a = compareInt8(q8, images, null);
        assertTrue(a.classes >= 0.99 * IMAGES, a.toString());
        assertTrue(a.maxCodeDifference <= 1, a.toString());
    }

    @Test
    void ortRunsTheFloatExportLikeTheJavaFloatNetwork() {
        for (Activation hidden : new Activation[] {Activation.RELU, Activation.GELU, Activation.ELU, Activation.SIGMOID,
            Activation.GELU_ERF, Activation.GELU_TANH}) {
            FloatModel base = BenchModel.randomFloatModel(9, 16, 10);
            List<DenseLayer> layers = new ArrayList<>();
            for (DenseLayer d : base.layers()) {
                layers.add(new DenseLayer(d.inputs(), d.outputs(), d.activation() == Activation.RELU ? hidden : d.activation(),
                        d.weights(), d.bias()));
            }
            FloatModel model = new FloatModel(base.input(), layers, base.labels(), base.metadata());
            FloatNetwork network = new FloatNetwork(model);
            LabeledImages images = BenchModel.blobImages(model, 50, 2);
            try (OrtRunner ort = new OrtRunner(FloatOnnxExport.export(model), FloatOnnxExport.INPUT, OnnxJavaType.FLOAT, 784,
                    FloatOnnxExport.OUTPUT, OnnxJavaType.FLOAT, 10, images.count(), null)) {
                for (int n = 0; n < images.count(); n++) {
                    float[] x = network.input(images.image(n));
                    for (int i = 0; i < x.length; i++) {
                        ort.input().putFloat((n * 784 + i) * 4, x[i]);
                    }
                }
                ort.run();
                for (int n = 0; n < images.count(); n++) {
                    float[] expected = network.logits(network.input(images.image(n)));
                    for (int c = 0; c < 10; c++) {
                        assertEquals(expected[c], ort.output().getFloat((n * 10 + c) * 4), 1e-4, hidden + " image " + n);
                    }
                }
            }
        }
    }

    /**
     * Float CNNs of every feature layer kind (and a maxout layer) through ORT and {@code FloatNetwork}:
     * the same float arithmetic in another order, so equal within float rounding (1e-4 relative to the
     * largest logit).
     */
    @Test
    void ortRunsTheFloatCnnExportLikeTheJavaFloatNetwork() {
        List<FloatModel> models = List.of(
                RandomFloatCnn.preset(4),
                new RandomFloatCnn(5, 13, 11, 3)
                        .conv(3, 2, 2, 1, Padding.VALID, 6, Activation.TANH)
                        .depthwise(3, 3, 2, 2, Padding.SAME, Activation.RELU)
                        .averagePool(3, 2, 1, 2, Padding.SAME)
                        .conv(1, 1, 1, 1, Padding.VALID, 12, Activation.GELU)
                        .globalAveragePool().dense(8, 3, Activation.IDENTITY).dense(5, 1, Activation.IDENTITY).build(),
                new RandomFloatCnn(6, 9, 16, 1)
                        .conv(5, 5, 1, 2, Padding.SAME, 4, Activation.ELU)
                        .depthwise(2, 3, 1, 1, Padding.VALID, Activation.SIGMOID)
                        .maxPool(3, 2, Padding.SAME).averagePool(2, 2, 2, 2, Padding.VALID)
                        .flatten().dense(7, 1, Activation.LEAKYRELU).dense(3, 2, Activation.IDENTITY).build());
        for (FloatModel model : models) {
            FloatNetwork network = new FloatNetwork(model);
            int width = model.input().size();
            int classes = model.labels().size();
            java.util.Random rnd = new java.util.Random(7);
            int n = 20;
            float[][] inputs = new float[n][];
            try (OrtRunner ort = new OrtRunner(FloatOnnxExport.export(model), FloatOnnxExport.INPUT, OnnxJavaType.FLOAT, width,
                    FloatOnnxExport.OUTPUT, OnnxJavaType.FLOAT, classes, n, null)) {
                for (int i = 0; i < n; i++) {
                    byte[] pixels = new byte[width];
                    rnd.nextBytes(pixels);
                    inputs[i] = network.input(pixels);
                    for (int k = 0; k < width; k++) {
                        ort.input().putFloat((i * width + k) * 4, inputs[i][k]);
                    }
                }
                ort.run();
                for (int i = 0; i < n; i++) {
                    float[] expected = network.logits(inputs[i]);
                    float largest = 0;
                    for (float v : expected) {
                        largest = Math.max(largest, Math.abs(v));
                    }
                    for (int c = 0; c < classes; c++) {
                        assertEquals(expected[c], ort.output().getFloat((i * classes + c) * 4), 1e-4 * Math.max(1, largest),
                                model.features() + " input " + i + " class " + c);
                    }
                }
            }
        }
    }

    /**
     * A quantized random maxout network (maxout 3 pieces identity, 2 pieces ReLU, 4 pieces tanh, a plain
     * layer, then maxout logits of 2 pieces): ORT's Gemm over every row, Reshape and ReduceMax on the uint8
     * codes gives the engine's classes, each code at most one step off (float vs fixed-point requantization
     * of the largest piece), and ORT still fuses every Gemm into QGemm.
     */
    @Test
    void maxoutLayersRunAsQGemmAndReduceMaxWithTheInt8EnginesClasses() throws Exception {
        FloatModel model = new RandomFloatCnn(11, 12, 12, 1)
                .dense(24, 3, Activation.IDENTITY).dense(16, 2, Activation.RELU).dense(12, 4, Activation.TANH)
                .dense(12, 1, Activation.RELU).dense(6, 2, Activation.IDENTITY).build();
        LabeledImages images = BenchModel.blobImages(model, IMAGES, 12);
        var calibration = new Calibrator(new FloatNetwork(model), CalibrationMethod.MINMAX).calibrate(images, IMAGES, 1, System.err);
        Q8Model q8 = PostTrainingQuantizer.quantize(model, calibration,
                new ModelInfo("maxout", "random", model.labels(), Double.NaN, Double.NaN, "2026", Map.of()));
        assertEquals(List.of(3, 2, 4, 1, 2), q8.layers().stream().map(QuantizedDense::pieces).toList());
        Path optimized = dir.resolve("maxout.onnx");
        Agreement a = compareInt8(q8, images, optimized.toString());
        assertTrue(a.classes >= 0.99 * IMAGES, a.toString());
        assertTrue(a.maxCodeDifference <= 1, a.toString());
        String graph = new String(Files.readAllBytes(optimized), StandardCharsets.ISO_8859_1);
        assertTrue(graph.contains("QGemm") && graph.contains("ReduceMax"), "ORT did not keep QGemm + ReduceMax");
        assertTrue(!graph.contains("DequantizeLinear"), "ORT left float dequantization in the graph");
    }

    /**
     * Maxout with every scale 1 (each real multiplier exactly 1, so both requantizations are exact):
     * ORT gives the engine's bytes, which checks the row order (unit o's pieces in rows o*k ..), the
     * ReLU clamp before the max and the table after it. Weights in {-1, 0, 1} and inputs near the zero
     * point keep the accumulators inside int8; the table is decreasing, so a table before the max would
     * give other bytes.
     */
    @Test
    void withExactMultipliersOrtGivesTheEnginesMaxoutBytes() {
        java.util.Random rnd = new java.util.Random(13);
        for (int trial = 0; trial < 4; trial++) {
            int side = 3 + trial;
            InputQuantization input = new InputQuantization(side, side, false, 1, 0, 1f, rnd.nextInt(21) - 10);
            QuantizedDense a = unitMaxout(rnd, side * side, 6, 2 + trial, Activation.IDENTITY, input.zeroPoint(), null);
            QuantizedDense b = unitMaxout(rnd, 6, 5, 3, Activation.RELU, a.outputZeroPoint(), null);
            byte[] table = new byte[256];
            for (int k = 0; k < 256; k++) {
                table[k] = (byte) -Math.round(20 * Math.tanh((k - 128) / 10.0));
            }
            QuantizedDense c = unitMaxout(rnd, 5, 4, 2, Activation.TANH, b.outputZeroPoint(), table);
            QuantizedDense d = unitMaxout(rnd, 4, 3, 4, Activation.IDENTITY, c.outputZeroPoint(), null);
            List<String> labels = List.of("x", "y", "z");
            Q8Model model = new Q8Model(new ModelInfo("unit-maxout", "random", labels, Double.NaN, Double.NaN, "2026", Map.of()),
                    input, List.of(), List.of(a, b, c, d), List.of());
            Int8Engine engine = new Int8Engine(model, org.edgeml.core.engine.DenseKernels.SCALAR);
            int n = 100;
            int width = model.inputSize();
            try (OrtRunner ort = new OrtRunner(QdqOnnxExport.export(model), QdqOnnxExport.INPUT, OnnxJavaType.UINT8, width,
                    QdqOnnxExport.OUTPUT, OnnxJavaType.UINT8, 3, n, null)) {
                byte[][] x = new byte[n][width];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < width; k++) {
                        x[i][k] = (byte) (input.zeroPoint() + rnd.nextInt(9) - 4);
                        ort.input().put(i * width + k, QdqOnnxExport.shifted(x[i][k]));
                    }
                }
                ort.run();
                java.util.Set<String> distinct = new java.util.HashSet<>();
                for (int i = 0; i < n; i++) {
                    byte[] expected = new byte[3];
                    engine.infer(x[i], expected);
                    byte[] actual = new byte[3];
                    for (int k = 0; k < 3; k++) {
                        actual[k] = (byte) ((ort.output().get(i * 3 + k) & 0xFF) - 128);
                    }
                    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, "trial " + trial + " input " + i);
                    distinct.add(java.util.Arrays.toString(expected));
                }
                assertTrue(distinct.size() >= 10, "the logits vary: " + distinct.size() + " distinct of " + n);
            }
        }
    }

    /** A maxout layer with every scale 1 and multipliers exactly 1, sparse weights in {-1, 0, 1}, small biases. */
    private static QuantizedDense unitMaxout(java.util.Random rnd, int inputs, int outputs, int pieces, Activation activation,
                                             int inputZeroPoint, byte[] table) {
        int rows = outputs * pieces;
        byte[] weights = new byte[inputs * rows];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (rnd.nextInt(3) == 0 ? rnd.nextInt(3) - 1 : 0);
        }
        int[] bias = new int[rows];
        float[] scales = new float[rows];
        int[] multiplier = new int[rows];
        int[] shift = new int[rows];
        QuantizedMultiplier one = FixedPoint.quantizeMultiplier(1.0);
        for (int r = 0; r < rows; r++) {
            bias[r] = rnd.nextInt(11) - 5;
            scales[r] = 1f;
            multiplier[r] = one.multiplier();
            shift[r] = one.shift();
        }
        int pre = rnd.nextInt(11) - 5;
        int out = table == null ? pre : 0;
        int clampMin = activation == Activation.RELU ? pre : -128;
        return new QuantizedDense(inputs, outputs, activation, weights, scales, bias, multiplier, shift, 1f, inputZeroPoint,
                1f, pre, 1f, out, clampMin, 127, table, pieces);
    }

    private record Agreement(int classes, int identicalLogits, int maxCodeDifference) {}

    /** The same model with every weight halved (towards zero), so no weight exceeds 63 in magnitude. */
    private static Q8Model withSevenBitWeights(Q8Model model) {
        List<QuantizedDense> layers = new ArrayList<>();
        for (QuantizedDense d : model.layers()) {
            byte[] halved = d.weights().clone();
            for (int i = 0; i < halved.length; i++) {
                halved[i] = (byte) (halved[i] / 2);
            }
            layers.add(new QuantizedDense(d.inputs(), d.outputs(), d.activation(), halved, d.weightScales(), d.bias(),
                    d.multiplier(), d.shift(), d.inputScale(), d.inputZeroPoint(), d.preActivationScale(),
                    d.preActivationZeroPoint(), d.outputScale(), d.outputZeroPoint(), d.clampMin(), d.clampMax(),
                    d.lookupTable(), d.pieces()));
        }
        return new Q8Model(model.info(), model.input(), model.features(), layers, List.of());
    }

    private static Agreement compareInt8(Q8Model fullRange, LabeledImages images, String optimized) {
        Q8Model model = withSevenBitWeights(fullRange);
        Int8Engine engine = new Int8Engine(model);
        int n = images.count();
        int width = model.inputSize();
        int classes = model.classes();
        try (OrtRunner ort = new OrtRunner(QdqOnnxExport.export(model), QdqOnnxExport.INPUT, OnnxJavaType.UINT8, width,
                QdqOnnxExport.OUTPUT, OnnxJavaType.UINT8, classes, n, optimized)) {
            byte[] q = new byte[width];
            for (int i = 0; i < n; i++) {
                engine.quantizeInput(images.image(i), q);
                for (int k = 0; k < width; k++) {
                    ort.input().put(i * width + k, QdqOnnxExport.shifted(q[k]));
                }
            }
            ort.run();
            int sameClass = 0;
            int sameLogits = 0;
            int maxDiff = 0;
            byte[] logits = new byte[classes];
            for (int i = 0; i < n; i++) {
                engine.quantizeInput(images.image(i), q);
                engine.infer(q, logits);
                int ortBest = 0;
                boolean same = true;
                for (int c = 0; c < classes; c++) {
                    int ortCode = (ort.output().get(i * classes + c) & 0xFF) - 128;
                    maxDiff = Math.max(maxDiff, Math.abs(ortCode - logits[c]));
                    same &= ortCode == logits[c];
                    if (ortCode > (ort.output().get(i * classes + ortBest) & 0xFF) - 128) {
                        ortBest = c;
                    }
                }
                sameLogits += same ? 1 : 0;
                sameClass += ortBest == engine.classify(q) ? 1 : 0;
            }
            Agreement a = new Agreement(sameClass, sameLogits, maxDiff);
            System.err.println("int8 engine vs ORT on " + n + " images of " + model.info().name() + ": " + a);
            return a;
        }
    }
}
