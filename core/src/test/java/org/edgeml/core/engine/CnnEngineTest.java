package org.edgeml.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Flatten;
import org.edgeml.core.model.GoldenVector;
import org.edgeml.core.model.InputQuantization;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.ModelInfo;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDense;
import org.edgeml.core.model.Requantization;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.junit.jupiter.api.Test;

class CnnEngineTest {
    private static final Q8Model CNN = TestModels.cnn(12, 12, Activation.TANH, 6, 5, 4);

    @Test
    void runsAMixedStackComputedByHand() {
        // 2x2 input (zero point -128, scale 1/255) -> conv2d 1x1 (2 channels: weights 1 and -1, multiplier 1,
        // output zero point 0) -> max pool 2x2 -> flatten -> dense 2->1 (weights 1, 1, multiplier 0.5).
        // Raw pixels 0, 10, 200, 255 are int8 -128, -118, 72, 127; minus the zero point 0, 10, 200, 255:
        // channel 0 = 0, 10, 200, 255 clamps to 0, 10, 127, 127 (max 127); channel 1 = 0, -10, -128, -128 (max 0);
        // dense: (127 + 0) * 0.5 = 63.5 -> 64
        InputQuantization input = InputQuantization.covering(2, 2, false, 1 / 255.0, 0);
        QuantParams q = new QuantParams(1f, 0);
        Requantization one = new Requantization(Activation.IDENTITY, new int[] {1 << 30, 1 << 30}, new int[] {1, 1}, q, q, -128, 127, null);
        QuantizedConv2D conv = new QuantizedConv2D(new Window(new Shape(2, 2, 1), 1, 1, 1, 1, Padding.VALID), 2,
                new byte[] {1, -1}, new float[] {1f, 1f}, new int[] {0, 0}, input.quantParams(), one);
        MaxPool2D pool = new MaxPool2D(new Window(new Shape(2, 2, 2), 2, 2, 2, 2, Padding.VALID), q);
        Flatten flatten = new Flatten(new Shape(1, 1, 2), q);
        QuantizedDense dense = new QuantizedDense(2, 1, Activation.IDENTITY, new byte[] {1, 1}, new float[] {1f}, new int[] {0},
                new int[] {1 << 30}, new int[] {0}, 1f, 0, 1f, 0, 1f, 0, -128, 127, null);
        ModelInfo info = new ModelInfo("hand", "none", List.of("only"), Double.NaN, Double.NaN, "now", java.util.Map.of());
        Q8Model model = new Q8Model(info, input, List.<FeatureLayer>of(conv, pool, flatten), List.of(dense), List.of());
        Int8Engine engine = new Int8Engine(model);
        byte[] int8 = new byte[4];
        engine.quantizeInput(new byte[] {0, 10, (byte) 200, (byte) 255}, int8);
        assertArrayEquals(new byte[] {-128, -118, 72, 127}, int8);
        byte[] logits = new byte[1];
        engine.infer(int8, logits);
        assertArrayEquals(new byte[] {64}, logits);
    }

    @Test
    void reproducesItsGoldensOnEveryDenseKernel() {
        assertEquals(List.of(), new Int8Engine(CNN, DenseKernels.SCALAR.factory()).verifyGoldens());
        assertEquals(List.of(), new Int8Engine(CNN, DenseKernels.SCALAR).verifyGoldens());
        assertEquals(List.of(), new Int8Engine(CNN, DenseKernels.vector()).verifyGoldens());
        assertEquals("vector", new Int8Engine(CNN, DenseKernels.vector()).kernelName());
    }

    @Test
    void goldenCheckCatchesASingleBitChangeInAConvWeight() {
        QuantizedConv2D first = (QuantizedConv2D) CNN.features().get(0);
        int caught = 0;
        for (int bit = 0; bit < 7; bit++) {
            byte[] weights = first.weights().clone();
            weights[4] ^= (byte) (1 << bit);
            if (weights[4] == Byte.MIN_VALUE) {
                continue;
            }
            List<FeatureLayer> features = new ArrayList<>(CNN.features());
            features.set(0, new QuantizedConv2D(first.window(), first.outputChannels(), weights, first.weightScales(),
                    first.bias(), first.input(), first.requantization()));
            Q8Model changed = new Q8Model(CNN.info(), CNN.input(), features, CNN.layers(), CNN.goldens());
            caught += new Int8Engine(changed).verifyGoldens().isEmpty() ? 0 : 1;
        }
        assertTrue(caught >= 5, "only " + caught + " of 7 conv weight bit flips changed a golden output");
    }

    /** On the scalar kernels (Vector API code allocates until the JIT compiles it, see DenseKernels.JIT_OPTIONS). */
    @Test
    void inferenceAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        Int8Engine engine = new Int8Engine(CNN, DenseKernels.SCALAR.factory());
        byte[] pixels = TestModels.randomPixels(new Random(1), engine.inputSize());
        for (int i = 0; i < 2000; i++) {
            engine.classifyPixels(pixels); // warm up: the JIT may allocate while compiling
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1000; i++) {
            engine.classifyPixels(pixels);
        }
        long used = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(used < 1000, "1000 frames allocated " + used + " bytes");
    }

    @Test
    void goldensKeepTheirOutputsForOneInput() {
        GoldenVector g = CNN.goldens().get(0);
        byte[] out = new byte[CNN.classes()];
        new Int8Engine(CNN).infer(g.input(), out);
        assertArrayEquals(g.output(), out);
    }
}
