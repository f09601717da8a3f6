package org.edgeml.bench.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import java.util.List;
import java.util.Random;
import org.edgeml.bench.OrtRunner;
import org.edgeml.bench.onnx.OnnxGraph.DataType;
import org.edgeml.core.engine.AveragePoolKernel;
import org.edgeml.core.engine.FixedPoint;
import org.edgeml.core.engine.LayerKernel;
import org.edgeml.core.engine.MaxPoolKernel;
import org.edgeml.core.engine.ScalarConv2DKernel;
import org.edgeml.core.engine.ScalarDepthwiseConv2DKernel;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.AveragePool2D;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDepthwiseConv2D;
import org.edgeml.core.model.QuantizedMultiplier;
import org.edgeml.core.model.Requantization;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.junit.jupiter.api.Test;

/**
 * core's reference feature kernels against ONNX Runtime's QLinearConv (also grouped, for depthwise),
 * MaxPool and QLinearAveragePool (com.microsoft) on random shapes, paddings and strides.
 *
 * <p>Conventions: ORT is NCHW and, on x86, best with uint8 activations, so each graph takes the NCHW
 * input flat as uint8 ({@code q + 128}, zero point + 128, which is the same real number) and reshapes
 * it; weights stay int8 with zero point 0 (per output channel scales). Where the two differ, and why:
 * ORT requantizes convolutions in float32 ({@code acc * (x_scale * w_scale / y_scale)}, rounded half to
 * even), TFLite (edgeml) with a Q31 fixed-point multiplier and ties rounded up (then away from zero for
 * the shift): the outputs may differ by one code, rarely. Weights here are 7-bit ([-63, 63], ORT's
 * {@code reduce_range}): ORT's x86 u8s8 kernels without VNNI add pairs of uint8 x int8 products in
 * saturating int16 ({@code vpmaddubsw}), which full-range weights can overflow (255*127*2 > 32767), and
 * then ORT is the one that is wrong (seen here: 8 codes off); edgeml accumulates in int32 and takes
 * [-127, 127]. ORT's QLinearAveragePool averages in float
 * and rounds half to even, TFLite rounds the integer average half away from zero: they agree except on
 * exact ties, where they may differ by one. Max pooling involves no arithmetic and must agree exactly.
 */
class FeatureKernelsOrtPeerTest {
    private static final int TRIALS = 30;

    private record Case(Window window, int outputChannels) {
        Shape in() {
            return window.input();
        }

        Shape out() {
            return window.output(outputChannels);
        }

        long[] pads() {
            int totalH = Math.max((window.outputHeight() - 1) * window.strideHeight() + window.kernelHeight() - in().height(), 0);
            int totalW = Math.max((window.outputWidth() - 1) * window.strideWidth() + window.kernelWidth() - in().width(), 0);
            if (window.padding() == Padding.VALID) {
                return new long[] {0, 0, 0, 0};
            }
            return new long[] {window.padTop(), window.padLeft(), totalH - window.padTop(), totalW - window.padLeft()};
        }

        Protobuf[] windowAttributes() {
            return new Protobuf[] {
                OnnxGraph.intsAttribute("kernel_shape", window.kernelHeight(), window.kernelWidth()),
                OnnxGraph.intsAttribute("strides", window.strideHeight(), window.strideWidth()),
                OnnxGraph.intsAttribute("pads", pads())};
        }
    }

    private static Case randomCase(Random rnd, int outputChannels) {
        Shape in = new Shape(2 + rnd.nextInt(8), 2 + rnd.nextInt(8), 1 + rnd.nextInt(4));
        Padding padding = rnd.nextBoolean() ? Padding.SAME : Padding.VALID;
        int kh = 1 + rnd.nextInt(padding == Padding.VALID ? Math.min(in.height(), 4) : 4);
        int kw = 1 + rnd.nextInt(padding == Padding.VALID ? Math.min(in.width(), 4) : 4);
        Window window = new Window(in, kh, kw, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), padding);
        return new Case(window, outputChannels < 0 ? in.channels() : outputChannels);
    }

    /** A graph: uint8 input [1, C*H*W] (NCHW) -> Reshape -> {@code op} -> Reshape -> uint8 output [1, O*OH*OW]. */
    private static OnnxGraph graph(Case c) {
        Shape in = c.in();
        Shape out = c.out();
        return new OnnxGraph("peer")
                .input("x", DataType.UINT8, in.size())
                .output("y", DataType.UINT8, out.size())
                .longs("in_shape", new long[] {1, in.channels(), in.height(), in.width()}, 4)
                .longs("out_shape", new long[] {1, out.size()}, 2)
                .node("Reshape", List.of("x", "in_shape"), "x4");
    }

    /** Runs the graph on one NHWC int8 input; returns ORT's output as NHWC int8. */
    private static byte[] runOrt(OnnxGraph graph, Case c, byte[] nhwc) {
        Shape in = c.in();
        Shape out = c.out();
        graph.node("Reshape", List.of("y4", "out_shape"), "y");
        try (OrtRunner ort = new OrtRunner(graph.encode("edgeml-test"), "x", OnnxJavaType.UINT8, in.size(), "y",
                OnnxJavaType.UINT8, out.size(), 1, null)) {
            for (int y = 0; y < in.height(); y++) {
                for (int x = 0; x < in.width(); x++) {
                    for (int ch = 0; ch < in.channels(); ch++) {
                        ort.input().put((ch * in.height() + y) * in.width() + x,
                                (byte) (nhwc[(y * in.width() + x) * in.channels() + ch] + 128));
                    }
                }
            }
            ort.run();
            byte[] result = new byte[out.size()];
            for (int y = 0; y < out.height(); y++) {
                for (int x = 0; x < out.width(); x++) {
                    for (int ch = 0; ch < out.channels(); ch++) {
                        result[(y * out.width() + x) * out.channels() + ch] =
                                (byte) ((ort.output().get((ch * out.height() + y) * out.width() + x) & 0xFF) - 128);
                    }
                }
            }
            return result;
        }
    }

    private static byte[] runEdgeml(LayerKernel kernel, Case c, byte[] input) {
        byte[] out = new byte[c.out().size()];
        kernel.apply(input, out);
        return out;
    }

    private static byte[] randomInt8(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    @Test
    void convolutionsAgreeWithQLinearConvWithinOneCode() {
        Random rnd = new Random(12);
        int values = 0;
        int differing = 0;
        int saturated = 0;
        for (int t = 0; t < 2 * TRIALS; t++) {
            boolean depthwise = t % 2 == 1;
            Case c = randomCase(rnd, depthwise ? -1 : 1 + rnd.nextInt(5));
            Shape in = c.in();
            Window w = c.window();
            int kh = w.kernelHeight();
            int kw = w.kernelWidth();
            int inputsPerOutput = depthwise ? 1 : in.channels();
            int o = c.outputChannels();
            byte[] weights = new byte[kh * kw * inputsPerOutput * o];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (byte) (rnd.nextInt(127) - 63); // 7-bit: see the class comment
            }
            QuantParams x = new QuantParams((float) (0.01 + rnd.nextDouble() * 0.05), rnd.nextInt(256) - 128);
            QuantParams y = new QuantParams((float) (x.scale() * 1.5 * Math.sqrt(kh * kw * inputsPerOutput)), rnd.nextInt(41) - 20);
            float[] weightScales = new float[o];
            int[] bias = new int[o];
            int[] multiplier = new int[o];
            int[] shift = new int[o];
            for (int ch = 0; ch < o; ch++) {
                weightScales[ch] = (float) (0.005 + rnd.nextDouble() * 0.02);
                bias[ch] = rnd.nextInt(4001) - 2000;
                QuantizedMultiplier m = FixedPoint.quantizeMultiplier((double) x.scale() * weightScales[ch] / y.scale());
                multiplier[ch] = m.multiplier();
                shift[ch] = m.shift();
            }
            Requantization r = new Requantization(Activation.IDENTITY, multiplier, shift, y, y, -128, 127, null);
            // ORT weights: OIHW ([O][C][kh][kw]), or [C][1][kh][kw] with group = C for depthwise
            byte[] oihw = new byte[weights.length];
            LayerKernel kernel;
            if (depthwise) {
                kernel = new ScalarDepthwiseConv2DKernel(new QuantizedDepthwiseConv2D(w, weights, weightScales, bias, x, r));
                for (int ch = 0; ch < o; ch++) {
                    for (int k = 0; k < kh * kw; k++) {
                        oihw[ch * kh * kw + k] = weights[k * o + ch];
                    }
                }
            } else {
                kernel = new ScalarConv2DKernel(new QuantizedConv2D(w, o, weights, weightScales, bias, x, r));
                for (int oc = 0; oc < o; oc++) {
                    for (int ic = 0; ic < in.channels(); ic++) {
                        for (int k = 0; k < kh * kw; k++) {
                            oihw[(oc * in.channels() + ic) * kh * kw + k] = weights[(oc * kh * kw + k) * in.channels() + ic];
                        }
                    }
                }
            }
            Protobuf[] attributes = c.windowAttributes();
            if (depthwise) {
                attributes = new Protobuf[] {attributes[0], attributes[1], attributes[2], OnnxGraph.intAttribute("group", o)};
            }
            OnnxGraph g = graph(c)
                    .floats("x_scale", new float[] {x.scale()})
                    .bytes("x_zp", DataType.UINT8, new byte[] {(byte) (x.zeroPoint() + 128)})
                    .bytes("w", DataType.INT8, oihw, o, inputsPerOutput, kh, kw)
                    .floats("w_scale", weightScales, o)
                    .bytes("w_zp", DataType.INT8, new byte[o], o)
                    .floats("y_scale", new float[] {y.scale()})
                    .bytes("y_zp", DataType.UINT8, new byte[] {(byte) (y.zeroPoint() + 128)})
                    .ints("b", bias, o)
                    .node("QLinearConv", List.of("x4", "x_scale", "x_zp", "w", "w_scale", "w_zp", "y_scale", "y_zp", "b"), "y4",
                            attributes);
            byte[] input = randomInt8(rnd, in.size());
            byte[] expected = runOrt(g, c, input);
            byte[] actual = runEdgeml(kernel, c, input);
            for (int i = 0; i < expected.length; i++) {
                int d = Math.abs(expected[i] - actual[i]);
                assertTrue(d <= 1, (depthwise ? "depthwise " : "conv2d ") + w + " output " + i + ": ORT " + expected[i]
                        + ", edgeml " + actual[i]);
                differing += d;
                saturated += actual[i] == 127 || actual[i] == -128 ? 1 : 0;
                values++;
            }
        }
        System.err.println("conv2d/depthwise vs ORT QLinearConv: " + differing + " of " + values + " outputs differ by one");
        assertTrue(differing * 50 < values, differing + " of " + values + " outputs differ by one");
        assertTrue(saturated * 10 < values, saturated + " of " + values + " outputs saturate: the comparison would be weak");
    }

    @Test
    void maxPoolAgreesExactly() {
        Random rnd = new Random(13);
        for (int t = 0; t < TRIALS; t++) {
            Case c = randomCase(rnd, -1);
            QuantParams q = new QuantParams(0.1f, rnd.nextInt(256) - 128);
            OnnxGraph g = graph(c).node("MaxPool", List.of("x4"), "y4", c.windowAttributes());
            byte[] input = randomInt8(rnd, c.in().size());
            byte[] expected = runOrt(g, c, input);
            byte[] actual = runEdgeml(new MaxPoolKernel(new MaxPool2D(c.window(), q)), c, input);
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual), c.window().toString());
        }
    }

    @Test
    void averagePoolAgreesWithQLinearAveragePoolExceptOnTies() {
        Random rnd = new Random(14);
        int ties = 0;
        int tiesDiffering = 0;
        for (int t = 0; t < TRIALS; t++) {
            Case c = randomCase(rnd, -1);
            QuantParams q = new QuantParams(0.1f, rnd.nextInt(256) - 128);
            Protobuf[] window = c.windowAttributes();
            OnnxGraph g = graph(c)
                    .floats("scale", new float[] {q.scale()})
                    .bytes("zp", DataType.UINT8, new byte[] {(byte) (q.zeroPoint() + 128)})
                    .node("com.microsoft", "QLinearAveragePool", List.of("x4", "scale", "zp", "scale", "zp"), "y4",
                            window[0], window[1], window[2], OnnxGraph.intAttribute("count_include_pad", 0));
            byte[] input = randomInt8(rnd, c.in().size());
            byte[] expected = runOrt(g, c, input);
            byte[] actual = runEdgeml(new AveragePoolKernel(new AveragePool2D(c.window(), q)), c, input);
            boolean[] tie = tiePositions(c, input);
            for (int i = 0; i < expected.length; i++) {
                if (tie[i]) {
                    ties++;
                    tiesDiffering += expected[i] == actual[i] ? 0 : 1;
                    assertTrue(Math.abs(expected[i] - actual[i]) <= 1, c.window() + " tie at output " + i);
                } else {
                    assertEquals(expected[i], actual[i], c.window() + " output " + i);
                }
            }
        }
        System.err.println("average pool vs ORT QLinearAveragePool: " + tiesDiffering + " of " + ties + " ties round differently");
        assertTrue(ties > 0, "no ties: the rounding rule was not exercised");
    }

    /** Where {@code sum / count} over the in-input window positions is exactly halfway between two integers. */
    private static boolean[] tiePositions(Case c, byte[] input) {
        Window w = c.window();
        Shape in = c.in();
        boolean[] tie = new boolean[c.out().size()];
        for (int oy = 0; oy < w.outputHeight(); oy++) {
            for (int ox = 0; ox < w.outputWidth(); ox++) {
                for (int ch = 0; ch < in.channels(); ch++) {
                    long sum = 0;
                    int count = 0;
                    for (int ky = 0; ky < w.kernelHeight(); ky++) {
                        for (int kx = 0; kx < w.kernelWidth(); kx++) {
                            int iy = oy * w.strideHeight() - w.padTop() + ky;
                            int ix = ox * w.strideWidth() - w.padLeft() + kx;
                            if (iy >= 0 && iy < in.height() && ix >= 0 && ix < in.width()) {
                                sum += input[(iy * in.width() + ix) * in.channels() + ch];
                                count++;
                            }
                        }
                    }
                    tie[(oy * w.outputWidth() + ox) * in.channels() + ch] = Math.floorMod(2 * sum, 2L * count) == count;
                }
            }
        }
        return tie;
    }
}
