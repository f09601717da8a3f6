package org.edgeml.bench.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgeml.bench.OrtRunner;
import org.edgeml.bench.RandomCnn;
import org.edgeml.bench.onnx.OnnxGraph.DataType;
import org.edgeml.core.engine.DenseKernels;
import org.edgeml.core.engine.FeatureKernels;
import org.edgeml.core.engine.LayerKernel;
import org.edgeml.core.engine.FixedPoint;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.AveragePool2D;
import org.edgeml.core.model.GlobalAveragePool;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Flatten;
import org.edgeml.core.model.InputQuantization;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.ModelInfo;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDense;
import org.edgeml.core.model.QuantizedDepthwiseConv2D;
import org.edgeml.core.model.QuantizedMultiplier;
import org.edgeml.core.model.Requantization;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX export of CNN models, run by ONNX Runtime, against edgeml's integer engine.
 *
 * <p>Where ORT's arithmetic is the spec's the outputs must be equal: with every real multiplier exactly 1
 * (all scales 1) both requantizations are exact ({@code acc + zeroPoint}, saturated), so a model of
 * convolutions, depthwise convolutions, ReLU clamps, a lookup table, max pools, a flatten and a dense layer
 * checks the layout (NHWC input to NCHW, weights OHWI to OIHW and depthwise to grouped, TensorFlow's
 * padding, the flatten back in NHWC order) exactly.
 *
 * <p>With real scales the two differ by rounding: ORT requantizes in float32 ({@code acc * (x_scale *
 * w_scale / y_scale)}, ties to even) and averages in float, TFLite (edgeml) with a Q31 fixed-point
 * multiplier and integer rounding (ties away from zero), so a code may be one off in any layer and the
 * difference travels on through the later layers. Weights are 7-bit ([-63, 63]) for the reason in
 * {@code FeatureKernelsOrtPeerTest}: ORT's AVX2 u8s8 kernels add product pairs in saturating int16.
 */
class CnnOnnxExportTest {
    private static final int IMAGES = 200;

    @TempDir
    Path dir;

    @Test
    void withExactMultipliersOrtGivesTheEnginesBytes() {
        Random rnd = new Random(21);
        for (int trial = 0; trial < 9; trial++) { // trials 6..8 on colour (HxWx3) inputs
            Q8Model model = unitScaleModel(rnd, trial);
            int zp = model.input().zeroPoint();
            byte[][] inputs = new byte[IMAGES][model.inputSize()];
            for (byte[] x : inputs) {
                for (int k = 0; k < x.length; k++) {
                    x[k] = (byte) (zp + rnd.nextInt(7) - 3);
                }
            }
            Result r = compare(model, inputs, null);
            for (int i = 0; i < IMAGES; i++) {
                assertArrayEquals(r.engine[i], r.ort[i], "trial " + trial + " image " + i + ": " + model.features());
            }
            assertTrue(r.saturated * 5 < r.values, r.saturated + " of " + r.values + " logits saturate: the comparison would be weak");
        }
    }

    /** The random models: the preset's shape (small), strides and valid padding with every layer kind, ReLU clamped above its zero point, a colour input. */
    private static List<Q8Model> randomModels() {
        return List.of(
                new RandomCnn(1, 14, 14, 63)
                        .conv(3, 3, 1, 1, Padding.SAME, 8, Activation.RELU).maxPool(2, 2, Padding.VALID)
                        .conv(3, 3, 1, 1, Padding.SAME, 16, Activation.RELU).maxPool(2, 2, Padding.VALID)
                        .flatten().dense(32, Activation.RELU).dense(10, Activation.IDENTITY).build("preset-like", 0),
                new RandomCnn(2, 13, 11, 63)
                        .conv(3, 2, 2, 1, Padding.VALID, 6, Activation.IDENTITY)
                        .depthwise(3, 3, 2, 2, Padding.SAME, Activation.RELU)
                        .averagePool(3, 2, 1, 2, Padding.SAME)
                        .conv(1, 1, 1, 1, Padding.VALID, 12, Activation.TANH)
                        .globalAveragePool().dense(5, Activation.IDENTITY).build("strided", 0),
                new RandomCnn(3, 9, 16, 63).reluZeroPoint(-7)
                        .conv(5, 5, 1, 2, Padding.SAME, 4, Activation.RELU)
                        .depthwise(2, 3, 1, 1, Padding.VALID, Activation.SIGMOID)
                        .maxPool(3, 2, Padding.SAME).averagePool(2, 2, 2, 2, Padding.VALID)
                        .flatten().dense(7, Activation.RELU).dense(3, Activation.IDENTITY).build("clamped", 0),
                new RandomCnn(4, 12, 10, 3, 63)
                        .conv(3, 3, 1, 1, Padding.SAME, 6, Activation.RELU).maxPool(2, 2, Padding.VALID)
                        .depthwise(3, 3, 1, 1, Padding.SAME, Activation.RELU)
                        .flatten().dense(4, Activation.IDENTITY).build("colour", 0));
    }

    /**
     * Each feature layer of the random models exported alone (NHWC in, NHWC out, the export's own nodes)
     * and fed the engine's own input for that layer: max pools and flattens agree exactly; a
     * convolution's code differs by at most one, on under 2% of the values (float vs fixed-point
     * requantization); through a lookup table, ORT's output is the table's entry at most one code away
     * from the engine's pre-activation; average pools differ by at most one, and only where the average
     * is a tie (ORT averages in float and rounds half to even, TFLite rounds half away from zero).
     */
    @Test
    void everyFeatureLayerAgreesWithinOneCodeOfItsRequantization() {
        Random rnd = new Random(23);
        for (Q8Model model : randomModels()) {
            byte[][] activations = new byte[IMAGES][];
            for (int i = 0; i < IMAGES; i++) {
                activations[i] = new byte[model.inputSize()];
                rnd.nextBytes(activations[i]);
            }
            for (int l = 0; l < model.features().size(); l++) {
                FeatureLayer layer = model.features().get(l);
                String what = model.info().name() + " layer " + l + " (" + layer.kind() + ")";
                byte[][] expected = run(FeatureKernels.scalar(layer), activations, layer.outputShape().size());
                byte[][] preActivation = preActivation(layer) == null ? null
                        : run(FeatureKernels.scalar(preActivation(layer)), activations, layer.outputShape().size());
                byte[][] actual = runOrt(layer, activations);
                int values = 0;
                int differing = 0;
                for (int i = 0; i < IMAGES; i++) {
                    for (int k = 0; k < expected[i].length; k++) {
                        values++;
                        int e = expected[i][k];
                        int a = actual[i][k];
                        if (e == a) {
                            continue;
                        }
                        differing++;
                        String where = what + " input " + i + " value " + k + ": engine " + e + ", ORT " + a;
                        if (layer instanceof MaxPool2D || layer instanceof Flatten) {
                            throw new AssertionError(where + ": must agree exactly");
                        } else if (preActivation != null) {
                            byte[] table = requantization(layer).lookupTable();
                            int v = preActivation[i][k] + 128;
                            boolean neighbour = v > 0 && table[v - 1] == a || v < 255 && table[v + 1] == a;
                            assertTrue(neighbour, where + ": not the table's entry one code away");
                        } else {
                            assertTrue(Math.abs(e - a) <= 1, where);
                            if (layer instanceof AveragePool2D || layer instanceof GlobalAveragePool) {
                                assertTrue(isTie(layer, activations[i], k), where + ": the average is no tie");
                            }
                        }
                    }
                }
                System.err.println(what + ": " + differing + " of " + values + " values differ");
                boolean pool = layer instanceof AveragePool2D || layer instanceof GlobalAveragePool;
                assertTrue(pool || differing * 50 < values, what + ": " + differing + " of " + values + " values differ");
                activations = expected;
            }
        }
    }

    /**
     * The whole random models: a code that differs in one layer moves the later layers' accumulators, so
     * differences travel and grow (a lookup table steeper than one code per code multiplies them), but
     * the classes agree.
     */
    @Test
    void wholeRandomCnnsGiveTheEnginesClassesAndOrtFusesNoFloat() {
        Random rnd = new Random(22);
        for (Q8Model model : randomModels()) {
            Path optimized = dir.resolve(model.info().name() + ".onnx");
            byte[][] inputs = new byte[IMAGES][model.inputSize()];
            for (byte[] x : inputs) {
                rnd.nextBytes(x);
            }
            Result r = compare(model, inputs, optimized.toString());
            System.err.println(model.info().name() + ": ORT vs engine on " + IMAGES + " inputs: " + r);
            assertTrue(r.sameClass >= 0.97 * IMAGES, model.info().name() + ": " + r);
            assertTrue(r.saturated * 5 < r.values, model.info().name() + ": " + r);
            String graph = new String(readAll(optimized), StandardCharsets.ISO_8859_1);
            assertTrue(graph.contains("QLinearConv"), model.info().name() + ": no QLinearConv in ORT's optimized graph");
            assertTrue(!graph.contains("DequantizeLinear"), model.info().name() + ": ORT left float dequantization in the graph");
        }
    }

    /** Whether output {@code k} of an average pool is an exact half: {@code 2 * sum} an odd multiple of {@code count}. */
    private static boolean isTie(FeatureLayer layer, byte[] input, int k) {
        Shape in = layer.inputShape();
        Window w = layer instanceof AveragePool2D p ? p.window()
                : new Window(in, in.height(), in.width(), 1, 1, Padding.VALID);
        int c = k % in.channels();
        int ox = k / in.channels() % w.outputWidth();
        int oy = k / in.channels() / w.outputWidth();
        long sum = 0;
        int count = 0;
        for (int ky = 0; ky < w.kernelHeight(); ky++) {
            for (int kx = 0; kx < w.kernelWidth(); kx++) {
                int iy = oy * w.strideHeight() - w.padTop() + ky;
                int ix = ox * w.strideWidth() - w.padLeft() + kx;
                if (iy >= 0 && iy < in.height() && ix >= 0 && ix < in.width()) {
                    sum += input[(iy * in.width() + ix) * in.channels() + c];
                    count++;
                }
            }
        }
        return Math.floorMod(2 * sum, 2L * count) == count;
    }

    private static byte[][] run(LayerKernel kernel, byte[][] inputs, int outputs) {
        byte[][] out = new byte[inputs.length][outputs];
        for (int i = 0; i < inputs.length; i++) {
            kernel.apply(inputs[i], out[i]);
        }
        return out;
    }

    private static Requantization requantization(FeatureLayer layer) {
        if (layer instanceof QuantizedConv2D c) {
            return c.requantization();
        }
        return layer instanceof QuantizedDepthwiseConv2D d ? d.requantization() : null;
    }

    /** A table-activation convolution without its table (its int8 pre-activation), or null. */
    private static FeatureLayer preActivation(FeatureLayer layer) {
        Requantization r = requantization(layer);
        if (r == null || r.lookupTable() == null) {
            return null;
        }
        Requantization identity = new Requantization(Activation.IDENTITY, r.multiplier(), r.shift(), r.preActivation(),
                r.preActivation(), -128, 127, null);
        if (layer instanceof QuantizedConv2D c) {
            return new QuantizedConv2D(c.window(), c.outputChannels(), c.weights(), c.weightScales(), c.bias(), c.input(), identity);
        }
        QuantizedDepthwiseConv2D d = (QuantizedDepthwiseConv2D) layer;
        return new QuantizedDepthwiseConv2D(d.window(), d.weights(), d.weightScales(), d.bias(), d.input(), identity);
    }

    /** One feature layer as the export emits it, between an NHWC uint8 input and an NHWC uint8 output. */
    private static byte[][] runOrt(FeatureLayer layer, byte[][] inputs) {
        Shape in = layer.inputShape();
        Shape out = layer.outputShape();
        OnnxGraph g = new OnnxGraph("layer").input("x", DataType.UINT8, in.size()).output("y", DataType.UINT8, out.size())
                .longs("in_shape", new long[] {-1, in.height(), in.width(), in.channels()}, 4)
                .longs("out_shape", new long[] {-1, out.size()}, 2)
                .node("Reshape", List.of("x", "in_shape"), "x_nhwc")
                .node("Transpose", List.of("x_nhwc"), "x_nchw", OnnxGraph.intsAttribute("perm", 0, 3, 1, 2));
        String y = FeatureLayers.emit(g, layer, "f_", "x_nchw");
        if (!(layer instanceof Flatten)) {
            g.node("Transpose", List.of(y), "y_nhwc", OnnxGraph.intsAttribute("perm", 0, 2, 3, 1));
            y = "y_nhwc";
        }
        g.node("Reshape", List.of(y, "out_shape"), "y");
        byte[][] result = new byte[inputs.length][out.size()];
        try (OrtRunner ort = new OrtRunner(g.encode("edgeml-test"), "x", OnnxJavaType.UINT8, in.size(), "y",
                OnnxJavaType.UINT8, out.size(), inputs.length, null)) {
            for (int i = 0; i < inputs.length; i++) {
                for (int k = 0; k < in.size(); k++) {
                    ort.input().put(i * in.size() + k, QdqOnnxExport.shifted(inputs[i][k]));
                }
            }
            ort.run();
            for (int i = 0; i < inputs.length; i++) {
                for (int k = 0; k < out.size(); k++) {
                    result[i][k] = (byte) ((ort.output().get(i * out.size() + k) & 0xFF) - 128);
                }
            }
        }
        return result;
    }

    private record Result(byte[][] engine, byte[][] ort, int values, int differing, int maxDifference, int sameClass,
                          int saturated) {
        @Override
        public String toString() {
            return differing + " of " + values + " logits differ (at most by " + maxDifference + "), " + sameClass
                    + " same classes, " + saturated + " saturated";
        }
    }

    private static Result compare(Q8Model model, byte[][] inputs, String optimized) {
        Int8Engine engine = new Int8Engine(model, DenseKernels.SCALAR);
        int width = model.inputSize();
        int classes = model.classes();
        byte[][] expected = new byte[IMAGES][classes];
        byte[][] actual = new byte[IMAGES][classes];
        try (OrtRunner ort = new OrtRunner(QdqOnnxExport.export(model), QdqOnnxExport.INPUT, OnnxJavaType.UINT8, width,
                QdqOnnxExport.OUTPUT, OnnxJavaType.UINT8, classes, IMAGES, optimized)) {
            for (int i = 0; i < IMAGES; i++) {
                for (int k = 0; k < width; k++) {
                    ort.input().put(i * width + k, QdqOnnxExport.shifted(inputs[i][k]));
                }
            }
            ort.run();
            for (int i = 0; i < IMAGES; i++) {
                for (int c = 0; c < classes; c++) {
                    actual[i][c] = (byte) ((ort.output().get(i * classes + c) & 0xFF) - 128);
                }
            }
        }
        int differing = 0;
        int max = 0;
        int sameClass = 0;
        int saturated = 0;
        for (int i = 0; i < IMAGES; i++) {
            engine.infer(inputs[i], expected[i]);
            for (int c = 0; c < classes; c++) {
                int d = Math.abs(expected[i][c] - actual[i][c]);
                differing += d == 0 ? 0 : 1;
                max = Math.max(max, d);
                saturated += expected[i][c] == 127 || expected[i][c] == -128 ? 1 : 0;
            }
            sameClass += argmax(expected[i]) == argmax(actual[i]) ? 1 : 0;
        }
        return new Result(expected, actual, IMAGES * classes, differing, max, sameClass, saturated);
    }

    private static int argmax(byte[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * A random model (on a grey or a colour input) whose every scale is 1, so every real multiplier is exactly 1: conv2d (ReLU clamped
     * at a zero point above -128), depthwise (tanh through a table), max pool, conv2d, flatten, dense.
     * Weights in {-1, 0, 1} (sparse in the dense layer) and inputs near the zero point keep the accumulators
     * inside int8.
     */
    private static Q8Model unitScaleModel(Random rnd, int trial) {
        Shape in = new Shape(4 + rnd.nextInt(6), 4 + rnd.nextInt(6), trial < 6 ? 1 : 3);
        InputQuantization input = new InputQuantization(in.height(), in.width(), in.channels(), false, 1, 0, 1f,
                rnd.nextInt(21) - 10);
        Padding[] paddings = {trial % 2 == 0 ? Padding.SAME : Padding.VALID, trial % 3 == 0 ? Padding.VALID : Padding.SAME};
        List<FeatureLayer> features = new ArrayList<>();
        QuantParams q = input.quantParams();
        int c1 = 1 + rnd.nextInt(4);
        features.add(conv(rnd, new Window(in, 2, 3, 1, 1 + trial % 2, paddings[0]), c1, q,
                Activation.RELU, new QuantParams(1f, rnd.nextInt(21) - 10)));
        Shape s = features.get(0).outputShape();
        features.add(depthwise(rnd, new Window(s, Math.min(3, s.height()), Math.min(2, s.width()), 1 + trial % 3, 1, paddings[1]),
                features.get(0).output()));
        s = features.get(1).outputShape();
        features.add(new MaxPool2D(new Window(s, Math.min(2, s.height()), Math.min(2, s.width()), 1, 2, paddings[0]),
                features.get(1).output()));
        s = features.get(2).outputShape();
        features.add(conv(rnd, new Window(s, 1, 1, 1, 1, Padding.VALID), 2 + rnd.nextInt(3), features.get(2).output(),
                Activation.IDENTITY, new QuantParams(1f, rnd.nextInt(21) - 10)));
        s = features.get(3).outputShape();
        features.add(new Flatten(s, features.get(3).output()));
        QuantParams last = features.get(4).output();
        int inputs = s.size();
        int classes = 3 + rnd.nextInt(6);
        byte[] weights = new byte[inputs * classes];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (rnd.nextInt(16) == 0 ? rnd.nextInt(3) - 1 : 0);
        }
        QuantParams out = new QuantParams(1f, rnd.nextInt(21) - 10);
        int[][] m = unitMultipliers(classes);
        QuantizedDense dense = new QuantizedDense(inputs, classes, Activation.IDENTITY, weights, ones(classes),
                smallBias(rnd, classes), m[0], m[1], 1f, last.zeroPoint(), 1f, out.zeroPoint(), 1f, out.zeroPoint(), -128, 127, null);
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            labels.add("c" + c);
        }
        ModelInfo info = new ModelInfo("unit-" + trial, "random", labels, Double.NaN, Double.NaN, "2026-11-30T00:00:00Z", Map.of());
        return new Q8Model(info, input, features, List.of(dense), List.of());
    }

    private static QuantizedConv2D conv(Random rnd, Window w, int channels, QuantParams in, Activation activation, QuantParams out) {
        byte[] weights = unitWeights(rnd, w.kernelHeight() * w.kernelWidth() * w.input().channels() * channels);
        int[][] m = unitMultipliers(channels);
        int clampMin = activation == Activation.RELU ? out.zeroPoint() + 3 : -128; // a clamp above the zero point too
        Requantization r = new Requantization(activation == Activation.RELU ? Activation.RELU : Activation.IDENTITY,
                m[0], m[1], out, out, clampMin, 120, null);
        return new QuantizedConv2D(w, channels, weights, ones(channels), smallBias(rnd, channels), in, r);
    }

    private static QuantizedDepthwiseConv2D depthwise(Random rnd, Window w, QuantParams in) {
        int channels = w.input().channels();
        byte[] weights = unitWeights(rnd, w.kernelHeight() * w.kernelWidth() * channels);
        int[][] m = unitMultipliers(channels);
        QuantParams pre = new QuantParams(1f, rnd.nextInt(21) - 10);
        QuantParams out = new QuantParams(1f, 0);
        byte[] table = new byte[256]; // any table will do: a small tanh-like one, so the next layers do not saturate
        for (int k = 0; k < 256; k++) {
            table[k] = (byte) Math.round(8 * Math.tanh((k - 128 - pre.zeroPoint()) / 8.0));
        }
        Requantization r = new Requantization(Activation.TANH, m[0], m[1], pre, out, -128, 127, table);
        return new QuantizedDepthwiseConv2D(w, weights, ones(channels), smallBias(rnd, channels), in, r);
    }

    private static byte[] unitWeights(Random rnd, int n) {
        byte[] w = new byte[n];
        for (int i = 0; i < n; i++) {
            w[i] = (byte) (rnd.nextInt(3) - 1);
        }
        return w;
    }

    private static int[][] unitMultipliers(int channels) {
        QuantizedMultiplier one = FixedPoint.quantizeMultiplier(1.0);
        int[][] m = new int[2][channels];
        java.util.Arrays.fill(m[0], one.multiplier());
        java.util.Arrays.fill(m[1], one.shift());
        return m;
    }

    private static float[] ones(int n) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, 1f);
        return f;
    }

    private static int[] smallBias(Random rnd, int n) {
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
            b[i] = rnd.nextInt(11) - 5;
        }
        return b;
    }

    private static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
