package org.edgeml.host.floatmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The float CNN layers against hand-computed values, and the version 2 file. */
class FloatCnnTest {
    @TempDir
    Path dir;

    private static float[] seq(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i + 1;
        }
        return v;
    }

    @Test
    void validConvolutionByHand() {
        // 3x3 input 1..9, 2x2 kernel [1 2; 3 4], bias 0.5: out(0,0) = 1*1 + 2*2 + 4*3 + 5*4 + 0.5 = 37.5
        Window window = new Window(new Shape(3, 3, 1), 2, 2, 1, 1, Padding.VALID);
        Conv2DLayer conv = new Conv2DLayer(window, 1, Activation.IDENTITY, new float[] {1, 2, 3, 4}, new float[] {0.5f});
        assertArrayEquals(new float[] {37.5f, 47.5f, 67.5f, 77.5f}, conv.linear(seq(9)));
        assertEquals(new Shape(2, 2, 1), conv.outputShape());
    }

    @Test
    void samePaddingWithStrideTwoPadsAfterTheInput() {
        // 4x4 input 1..16, 3x3 kernel of ones, stride 2, same: out 2x2, total padding 1 goes after (pad top/left 0)
        Window window = new Window(new Shape(4, 4, 1), 3, 3, 2, 2, Padding.SAME);
        float[] ones = new float[9];
        java.util.Arrays.fill(ones, 1);
        Conv2DLayer conv = new Conv2DLayer(window, 1, Activation.IDENTITY, ones, new float[] {0});
        float r0 = 1 + 2 + 3 + 5 + 6 + 7 + 9 + 10 + 11;     // rows 0-2, cols 0-2
        float r1 = 3 + 4 + 7 + 8 + 11 + 12;                 // rows 0-2, cols 2-3 (col 4 is padding)
        float r2 = 9 + 10 + 11 + 13 + 14 + 15;              // rows 2-3, cols 0-2
        float r3 = 11 + 12 + 15 + 16;                       // rows 2-3, cols 2-3
        assertArrayEquals(new float[] {r0, r1, r2, r3}, conv.linear(seq(16)));
    }

    @Test
    void convolutionWeightsAreFilterMajorThenRowColumnChannel() {
        // 1x1 input with 2 channels (values 1, 2), 1x1 kernel, 2 filters: OHWI weights [f0c0 f0c1 f1c0 f1c1]
        Window window = new Window(new Shape(1, 1, 2), 1, 1, 1, 1, Padding.VALID);
        Conv2DLayer conv = new Conv2DLayer(window, 2, Activation.RELU, new float[] {1, 10, -1, -10}, new float[] {0, 0});
        assertArrayEquals(new float[] {21, -21}, conv.linear(new float[] {1, 2}));
    }

    @Test
    void depthwiseConvolutionKeepsChannelsApart() {
        // 2x2 input, channels (1,10),(2,20),(3,30),(4,40); 2x2 kernel per channel, [kh][kw][C] weights
        Window window = new Window(new Shape(2, 2, 2), 2, 2, 1, 1, Padding.VALID);
        float[] w = {1, 0, 0, 0, 0, 0, 0, 1}; // channel 0 picks the top-left value, channel 1 the bottom-right
        DepthwiseConv2DLayer dw = new DepthwiseConv2DLayer(window, Activation.IDENTITY, w, new float[] {0.5f, -0.5f});
        assertArrayEquals(new float[] {1.5f, 39.5f}, dw.linear(new float[] {1, 10, 2, 20, 3, 30, 4, 40}));
    }

    @Test
    void poolsSkipPaddingAsTensorFlowDoes() {
        // 3x3 input 1..9 (one channel), 2x2 window, stride 2, same: out 2x2; the border windows are partial
        Window window = new Window(new Shape(3, 3, 1), 2, 2, 2, 2, Padding.SAME);
        assertArrayEquals(new float[] {5, 6, 8, 9}, new MaxPoolLayer(window).linear(seq(9)));
        assertArrayEquals(new float[] {3, 4.5f, 7.5f, 9}, new AveragePoolLayer(window).linear(seq(9)));
        float[] negative = {-5, -1, -3, -2, -7, -8, -9, -4, -6};
        assertArrayEquals(new float[] {-1, -3, -4, -6}, new MaxPoolLayer(window).linear(negative));
    }

    @Test
    void globalAveragePoolAndFlatten() {
        Shape shape = new Shape(2, 2, 2);
        float[] x = {1, 10, 2, 20, 3, 30, 4, 40};
        assertArrayEquals(new float[] {2.5f, 25}, new GlobalAveragePoolLayer(shape).linear(x));
        FlattenLayer flatten = new FlattenLayer(shape);
        assertArrayEquals(x, flatten.linear(x));
        assertEquals(new Shape(1, 1, 8), flatten.outputShape());
    }

    @Test
    void maxoutTakesTheLargestPieceOfEachUnit() {
        // 2 inputs, 2 units of 3 pieces: rows 0-2 are unit 0, rows 3-5 unit 1
        float[] w = {1, 0, 0, 1, -1, -1, 2, 0, 0, -2, 1, 1};
        float[] b = {0, 0, 0.5f, 0, 0, -10};
        DenseLayer maxout = new DenseLayer(2, 2, Activation.IDENTITY, w, b, 3);
        // x = (3, -4): unit 0 pieces 3, -4, 1.5 -> 3; unit 1 pieces 6, 8, -11 -> 8
        assertArrayEquals(new float[] {3, 8}, maxout.linear(new float[] {3, -4}));
        assertEquals(12 + 6, maxout.parameterCount());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DenseLayer(2, 2, Activation.IDENTITY, w, b, 2));
        assertTrue(e.getMessage().contains("expected 2x2x2 pieces"), e.getMessage());
    }

    /** conv 3x3 same, relu -> max pool 2 -> depthwise 3x3 valid -> avg pool 2 same -> conv 1x1 stride 1 -> flatten -> maxout -> dense. */
    static FloatModel cnn() {
        InputSpec input = new InputSpec(8, 8, 3, false, 1 / 255.0, -0.5);
        java.util.Random random = new java.util.Random(7);
        Window w1 = new Window(input.shape(), 3, 3, 1, 1, Padding.SAME);
        Conv2DLayer c1 = new Conv2DLayer(w1, 4, Activation.RELU, gaussian(random, 4 * 9 * 3), gaussian(random, 4));
        MaxPoolLayer p1 = new MaxPoolLayer(new Window(c1.outputShape(), 2, 2, 2, 2, Padding.VALID));
        Window w2 = new Window(p1.outputShape(), 3, 3, 1, 1, Padding.VALID);
        DepthwiseConv2DLayer d = new DepthwiseConv2DLayer(w2, Activation.TANH, gaussian(random, 9 * 4), gaussian(random, 4));
        AveragePoolLayer p2 = new AveragePoolLayer(new Window(d.outputShape(), 2, 2, 2, 2, Padding.SAME));
        Conv2DLayer c2 = new Conv2DLayer(new Window(p2.outputShape(), 1, 1, 1, 1, Padding.VALID), 3, Activation.IDENTITY,
                gaussian(random, 3 * 4), gaussian(random, 3));
        FlattenLayer f = new FlattenLayer(c2.outputShape());
        int n = f.outputShape().size();
        DenseLayer maxout = new DenseLayer(n, 5, Activation.IDENTITY, gaussian(random, n * 5 * 2), gaussian(random, 10), 2);
        DenseLayer out = new DenseLayer(5, 2, Activation.IDENTITY, gaussian(random, 10), gaussian(random, 2));
        return new FloatModel(input, List.of(c1, p1, d, p2, c2, f), List.of(maxout, out), List.of("a", "b"),
                Map.of("architecture", "test cnn"));
    }

    private static float[] gaussian(java.util.Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    @Test
    void networkChainsFeatureAndDenseLayers() {
        FloatModel model = cnn();
        FloatNetwork net = new FloatNetwork(model);
        byte[] raw = new byte[8 * 8 * 3];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 37);
        }
        float[] x = net.input(raw);
        FloatNetwork.Trace trace = net.trace(x);
        float[] v = x;
        for (int l = 0; l < model.features().size(); l++) {
            FloatFeatureLayer layer = model.features().get(l);
            float[] pre = layer.linear(v);
            assertArrayEquals(pre, trace.featurePre()[l]);
            v = trace.featureOut()[l];
            for (int i = 0; i < v.length; i++) {
                assertEquals(layer.activation().apply(pre[i]), v[i], 1e-6);
            }
        }
        assertEquals(2, trace.logits().length);
        assertArrayEquals(trace.logits(), net.logits(x));
        assertEquals(4L * (4 * 27 + 4 + 36 + 4 + 12 + 3 + 3 * 5 * 2 + 10 + 10 + 2), model.floatWeightBytes());
    }

    @Test
    void modelNamesTheBrokenLink() {
        FloatModel good = cnn();
        List<FloatFeatureLayer> withoutFlatten = good.features().subList(0, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FloatModel(good.input(), withoutFlatten, good.layers(), good.labels(), Map.of()));
        assertTrue(e.getMessage().contains("end in a conv2d"), e.getMessage());
        List<FloatFeatureLayer> skipping = List.of(good.features().get(0), good.features().get(2));
        e = assertThrows(IllegalArgumentException.class,
                () -> new FloatModel(good.input(), skipping, good.layers(), good.labels(), Map.of()));
        assertTrue(e.getMessage().contains("feature layer 1 (depthwise_conv2d) takes 4x4x4 but feature layer 0 gives 8x8x4"),
                e.getMessage());
    }

    @Test
    void version2RoundTripKeepsEveryLayer() {
        Path file = dir.resolve("cnn.zip");
        FloatModel model = cnn();
        FloatModelFile.write(model, file, null);
        FloatModel read = FloatModelFile.read(file);
        assertEquals(model.input(), read.input());
        assertEquals(model.features().size(), read.features().size());
        for (int l = 0; l < model.features().size(); l++) {
            assertEquals(model.features().get(l).kind(), read.features().get(l).kind());
            assertEquals(model.features().get(l).outputShape(), read.features().get(l).outputShape());
        }
        Conv2DLayer c = (Conv2DLayer) read.features().get(0);
        assertEquals(((Conv2DLayer) model.features().get(0)).window(), c.window());
        assertArrayEquals(((Conv2DLayer) model.features().get(0)).weights(), c.weights());
        assertEquals(2, read.layers().get(0).pieces());
        float[] x = new FloatNetwork(model).input(new byte[192]);
        assertArrayEquals(new FloatNetwork(model).logits(x), new FloatNetwork(read).logits(x));
    }

    @Test
    void versionIsOneForWhatVersionOneCanHold() throws IOException {
        Path dense = dir.resolve("dense.zip");
        FloatModelFile.write(FloatModelFileTest.model(), dense, null);
        assertEquals(1L, modelJson(dense).get("version"));
        Path cnn = dir.resolve("cnn.zip");
        FloatModelFile.write(cnn(), cnn, null);
        Map<String, Object> json = modelJson(cnn);
        assertEquals(2L, json.get("version"));
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) ((List<Object>) json.get("layers")).get(0);
        assertEquals(Map.of("type", "conv2d", "kernel", List.of(3L, 3L), "stride", List.of(1L, 1L), "padding", "same",
                "filters", 4L, "activation", "relu", "weights", "layers/0/weights.f32", "bias", "layers/0/bias.f32"), first);
    }

    @Test
    void everyBadVersion2FieldIsNamed() throws IOException {
        assertCorrupt(j -> j.replace("\"padding\": \"same\"", "\"padding\": \"full\""), "layers[0] with padding \"full\"; use \"same\" or \"valid\"");
        assertCorrupt(j -> j.replaceFirst("\"kernel\": \\[\\s*3,\\s*3\\s*\\]", "\"kernel\": [3]"), "layers[0] with \"kernel\" [3]; it must be two integers");
        assertCorrupt(j -> j.replaceFirst("\"stride\": \\[\\s*1,\\s*1\\s*\\]", "\"stride\": [0, 1]"), "layers[0] with kernel 3x3 and stride 0x1");
        assertCorrupt(j -> j.replaceFirst("\"filters\": 4", "\"filters\": 0"), "layers[0] with 0 filters");
        assertCorrupt(j -> j.replaceFirst("\"filters\": 4", "\"filters\": 5"), "entry layers/0/weights.f32 of 432 bytes, expected 540");
        assertCorrupt(j -> j.replaceFirst("\"max_pool\"", "\"min_pool\""), "layers[1] of unknown type \"min_pool\"");
        assertCorrupt(j -> j.replaceFirst("\"pieces\": 2", "\"pieces\": 99"), "99 maxout pieces; a unit has 1..16");
        assertCorrupt(j -> j.replaceFirst("\"kernel\": \\[\\s*3,\\s*3\\s*\\],\\s*\"stride\": \\[\\s*1,\\s*1\\s*\\],\\s*\"padding\": \"valid\"",
                "\"kernel\": [9, 9], \"stride\": [1, 1], \"padding\": \"valid\""), "kernel 9x9 is larger than the 4x4x4 input");
        assertCorrupt(j -> j.replaceFirst("\"type\": \"flatten\"", "\"type\": \"max_pool\", \"kernel\": [1, 1], \"stride\": [1, 1], \"padding\": \"same\""),
                "must end in a flatten or a global average pool");
        assertCorrupt(j -> j.replace("\"version\": 2", "\"version\": 1"), "version 1 files hold only \"dense\" layers");
        assertCorrupt(j -> j.replace("\"version\": 2", "\"version\": 3"), "format version 3; this edgeml reads versions 1 and 2");
    }

    @Test
    void aFeatureLayerAfterADenseLayerIsRefused() throws IOException {
        // move the flatten after the dense layers by editing the JSON structurally
        Path good = dir.resolve("good.zip");
        FloatModelFile.write(cnn(), good, null);
        Map<String, Object> json = modelJson(good);
        @SuppressWarnings("unchecked")
        List<Object> layers = new java.util.ArrayList<>((List<Object>) json.get("layers"));
        layers.add(layers.remove(5));
        json.put("layers", layers);
        Path bad = rewrite(j -> Json.pretty(json));
        assertMessage(bad, "layers[7] of type \"flatten\" after a dense layer");
    }

    private void assertCorrupt(UnaryOperator<String> edit, String expected) throws IOException {
        assertMessage(rewrite(edit), expected);
    }

    private static void assertMessage(Path file, String expected) {
        EdgemlException e = assertThrows(EdgemlException.class, () -> FloatModelFile.read(file));
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        assertEquals(EdgemlException.EXIT_BAD_INPUT, e.exitCode());
    }

    private static Map<String, Object> modelJson(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile()); InputStream in = zip.getInputStream(zip.getEntry("model.json"))) {
            return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private Path rewrite(UnaryOperator<String> editJson) throws IOException {
        Path good = dir.resolve("good.zip");
        FloatModelFile.write(cnn(), good, null);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(good.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        String json = new String(entries.get("model.json"), StandardCharsets.UTF_8);
        String edited = editJson.apply(json);
        if (edited.equals(json)) {
            throw new AssertionError("the edit changed nothing in " + json);
        }
        entries.put("model.json", edited.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return Files.write(Files.createTempFile(dir, "bad", ".zip"), bytes.toByteArray());
    }
}
