package org.edgeml.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedMultiplier;
import org.edgeml.core.model.Requantization;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.junit.jupiter.api.Test;

/** The conv2d fast path gives the reference's bytes on many random shapes, paddings, strides and activations. */
class PatchConv2DKernelTest {
    @Test
    void givesTheReferencesBytesOnEveryDenseKernel() {
        assertTrue(DenseKernels.vectorAvailable(), "the tests run with the Vector API module");
        Random rnd = new Random(77);
        List<Activation> activations = List.of(Activation.IDENTITY, Activation.RELU, Activation.TANH);
        for (int t = 0; t < 300; t++) {
            Shape in = new Shape(1 + rnd.nextInt(12), 1 + rnd.nextInt(12), 1 + rnd.nextInt(t % 10 == 0 ? 40 : 6));
            Padding padding = rnd.nextBoolean() ? Padding.SAME : Padding.VALID;
            int kh = 1 + rnd.nextInt(padding == Padding.VALID ? Math.min(in.height(), 5) : 5);
            int kw = 1 + rnd.nextInt(padding == Padding.VALID ? Math.min(in.width(), 5) : 5);
            Window window = new Window(in, kh, kw, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), padding);
            int outputs = 1 + rnd.nextInt(t % 7 == 0 ? 70 : 20);
            QuantizedConv2D layer = randomConv(rnd, window, outputs, activations.get(t % 3));
            byte[] input = new byte[in.size()];
            rnd.nextBytes(input);
            byte[] expected = new byte[window.output(outputs).size()];
            new ScalarConv2DKernel(layer).apply(input, expected);
            for (DenseKernels.Choice choice : List.of(DenseKernels.SCALAR, DenseKernels.vector())) {
                byte[] actual = new byte[expected.length];
                LayerKernel kernel = new PatchConv2DKernel(layer, choice.factory());
                kernel.apply(input, actual);
                assertArrayEquals(expected, actual, choice.name() + " " + window + " to " + outputs);
                assertEquals(choice.name(), kernel.name());
            }
        }
    }

    private static QuantizedConv2D randomConv(Random rnd, Window window, int outputs, Activation activation) {
        int terms = window.kernelHeight() * window.kernelWidth() * window.input().channels();
        byte[] weights = new byte[terms * outputs];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (rnd.nextInt(255) - 127);
        }
        QuantParams x = new QuantParams(0.02f, rnd.nextInt(256) - 128);
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
