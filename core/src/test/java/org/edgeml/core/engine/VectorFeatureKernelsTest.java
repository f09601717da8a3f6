package org.edgeml.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedMultiplier;
import org.edgeml.core.model.Requantization;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.junit.jupiter.api.Test;

/**
 * The Vector API feature kernels (the float-product conv2d, the byte-max pool) give the scalar
 * references' bytes on many random shapes, paddings, strides, zero points, channel counts and
 * activations, windows longer than one exact float chunk included.
 */
class VectorFeatureKernelsTest {
    @Test
    void convGivesTheReferencesBytes() {
        assertTrue(DenseKernels.vectorAvailable(), "the tests run with the Vector API module");
        Random rnd = new Random(2024);
        List<Activation> activations = List.of(Activation.IDENTITY, Activation.RELU, Activation.TANH);
        for (int t = 0; t < 400; t++) {
            boolean long_ = t % 25 == 0; // windows of more than one exact chunk (VectorConv2DKernel.MAX_TERMS)
            Shape in = new Shape(1 + rnd.nextInt(long_ ? 6 : 14), 1 + rnd.nextInt(long_ ? 6 : 14),
                    long_ ? 60 + rnd.nextInt(70) : 1 + rnd.nextInt(t % 10 == 0 ? 40 : 6));
            Padding padding = rnd.nextBoolean() ? Padding.SAME : Padding.VALID;
            int kh = 1 + rnd.nextInt(padding == Padding.VALID ? Math.min(in.height(), 5) : 5);
            int kw = 1 + rnd.nextInt(padding == Padding.VALID ? Math.min(in.width(), 5) : 5);
            Window window = new Window(in, kh, kw, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), padding);
            int outputs = 1 + rnd.nextInt(t % 7 == 0 ? 70 : 20);
            int zeroPoint = switch (t % 4) {
                case 0 -> -128;
                case 1 -> 127;
                default -> rnd.nextInt(256) - 128;
            };
            QuantizedConv2D layer = randomConv(rnd, window, outputs, activations.get(t % 3), zeroPoint);
            byte[] input = new byte[in.size()];
            rnd.nextBytes(input);
            assertSameBytes(new ScalarConv2DKernel(layer), FeatureKernels.vector(layer), input,
                    window.output(outputs).size(), window + " to " + outputs + ", zero point " + zeroPoint);
        }
    }

    /**
     * The largest products, all of one sign, over 1,080 terms: the accumulator 255 * 127 * 1080 =
     * 34,975,800 is past 2^24, where float32 can no longer hold every integer (a single float sum of
     * these odd products would round). The bias takes it back to {@code 7 * o}, which a multiplier of
     * exactly 1 passes through: channel o's output is {@code 7 * o} only if the sum was exact.
     */
    @Test
    void longWindowsOfLargestProductsStayExact() {
        Window window = new Window(new Shape(3, 3, 120), 3, 3, 1, 1, Padding.VALID);
        int outputs = 17;
        int terms = 3 * 3 * 120;
        byte[] weights = new byte[terms * outputs];
        Arrays.fill(weights, (byte) 127);
        int[] bias = new int[outputs];
        int[] multiplier = new int[outputs];
        int[] shift = new int[outputs];
        float[] weightScales = new float[outputs];
        for (int o = 0; o < outputs; o++) {
            bias[o] = -255 * 127 * terms + 7 * o;
            multiplier[o] = 1 << 30; // with shift 1: exactly 1
            shift[o] = 1;
            weightScales[o] = 1f;
        }
        QuantParams unit = new QuantParams(1f, 0);
        Requantization r = new Requantization(Activation.IDENTITY, multiplier, shift, unit, unit, -128, 127, null);
        QuantizedConv2D layer = new QuantizedConv2D(window, outputs, weights, weightScales, bias, new QuantParams(1f, -128), r);
        byte[] input = new byte[window.input().size()];
        Arrays.fill(input, (byte) 127);
        byte[] expected = new byte[outputs];
        for (int o = 0; o < outputs; o++) {
            expected[o] = (byte) (7 * o);
        }
        byte[] actual = new byte[outputs];
        FeatureKernels.vector(layer).apply(input, actual);
        assertArrayEquals(expected, actual);
        byte[] reference = new byte[outputs];
        new ScalarConv2DKernel(layer).apply(input, reference);
        assertArrayEquals(expected, reference);
    }

    @Test
    void maxPoolGivesTheReferencesBytes() {
        Random rnd = new Random(4048);
        for (int t = 0; t < 300; t++) {
            int channels = t % 3 == 0 ? 1 + rnd.nextInt(100) : 1 + rnd.nextInt(40);
            Shape in = new Shape(1 + rnd.nextInt(14), 1 + rnd.nextInt(14), channels);
            Padding padding = rnd.nextBoolean() ? Padding.SAME : Padding.VALID;
            int kh = 1 + rnd.nextInt(padding == Padding.VALID ? Math.min(in.height(), 4) : 4);
            int kw = 1 + rnd.nextInt(padding == Padding.VALID ? Math.min(in.width(), 4) : 4);
            Window window = new Window(in, kh, kw, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), padding);
            MaxPool2D pool = new MaxPool2D(window, new QuantParams(0.05f, rnd.nextInt(256) - 128));
            byte[] input = new byte[in.size()];
            rnd.nextBytes(input);
            assertSameBytes(new MaxPoolKernel(pool), FeatureKernels.vector(pool), input, window.output(channels).size(),
                    window.toString());
        }
    }

    @Test
    void theVectorChoicePicksTheVectorKernels() {
        Q8Model cnn = TestModels.cnn(5, 10, Activation.RELU, 16, 8, 3);
        var kernels = FeatureKernels.forChoice(DenseKernels.vector());
        assertEquals("VectorConv2DKernel", kernels.apply(cnn.features().get(0)).getClass().getSimpleName());
        assertEquals("VectorMaxPoolKernel", kernels.apply(cnn.features().get(1)).getClass().getSimpleName());
        assertEquals(List.of(), new Int8Engine(cnn, DenseKernels.vector()).verifyGoldens());
    }

    /** After the JIT has compiled them (until then Vector API code allocates), the vector kernels allocate nothing per frame. */
    @Test
    void vectorInferenceAllocatesNothingOnceCompiled() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        Q8Model cnn = TestModels.cnn(7, 12, Activation.RELU, 32, 16, 4);
        Int8Engine engine = new Int8Engine(cnn, DenseKernels.vector());
        byte[] pixels = TestModels.randomPixels(new Random(1), engine.inputSize());
        for (int i = 0; i < 30_000; i++) {
            engine.classifyPixels(pixels);
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1000; i++) {
            engine.classifyPixels(pixels);
        }
        long used = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(used < 1000, "1000 frames allocated " + used + " bytes");
    }

    private static void assertSameBytes(LayerKernel reference, LayerKernel fast, byte[] input, int outputs, String what) {
        byte[] expected = new byte[outputs];
        reference.apply(input, expected);
        byte[] actual = new byte[outputs];
        fast.apply(input, actual);
        assertArrayEquals(expected, actual, what);
        assertEquals("vector", fast.name(), what);
    }

    private static QuantizedConv2D randomConv(Random rnd, Window window, int outputs, Activation activation, int inputZeroPoint) {
        int terms = window.kernelHeight() * window.kernelWidth() * window.input().channels();
        byte[] weights = new byte[terms * outputs];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (rnd.nextInt(255) - 127);
        }
        QuantParams x = new QuantParams(0.02f, inputZeroPoint);
        QuantParams pre = new QuantParams((float) (0.02 * 0.01 * 40 * Math.sqrt(terms)), rnd.nextInt(41) - 20);
        QuantParams out = activation.needsLookupTable() ? new QuantParams(1 / 128f, 0) : pre;
        float[] weightScales = new float[outputs];
        int[] bias = new int[outputs];
        int[] multiplier = new int[outputs];
        int[] shift = new int[outputs];
        for (int o = 0; o < outputs; o++) {
            weightScales[o] = (float) (0.005 + 0.01 * rnd.nextDouble());
            bias[o] = rnd.nextInt(20001) - 10000;
            QuantizedMultiplier m = FixedPoint.quantizeMultiplier((double) x.scale() * weightScales[o] / pre.scale());
            multiplier[o] = m.multiplier();
            shift[o] = m.shift();
        }
        Requantization r = new Requantization(activation, multiplier, shift, pre, out,
                activation == Activation.RELU ? out.zeroPoint() : -128, 127,
                activation.needsLookupTable() ? activation.lookupTable(pre, out) : null);
        return new QuantizedConv2D(window, outputs, weights, weightScales, bias, x, r);
    }
}
