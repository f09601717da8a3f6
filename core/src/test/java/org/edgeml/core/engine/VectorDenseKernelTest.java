package org.edgeml.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantizedDense;
import org.junit.jupiter.api.Test;

/** The Vector API kernel against the scalar reference, bit for bit (surefire runs with the module). */
class VectorDenseKernelTest {
    /** Sizes around every lane count (8, 16, 32 shorts; steps of 16, 32, 64) and the real model's. */
    private static final int[] INPUTS = {1, 2, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 129, 784, 785};
    /**
     * Output counts around the lane counts (4, 8, 16 ints), the two-block passes (8, 16, 32 outputs),
     * a last block alone in its pass, and the vector requantizer's steps.
     */
    private static final int[] OUTPUTS = {1, 2, 3, 5, 8, 10, 13, 16, 17, 24, 31, 32, 33, 40, 48, 49, 64, 65};

    @Test
    void theVectorKernelIsAvailableInTests() {
        assertTrue(DenseKernels.vectorAvailable(), "surefire runs with --add-modules jdk.incubator.vector");
        assertEquals("vector", new Int8Engine(TestModels.model(1, 4, Activation.RELU, 8, 3)).kernelName());
    }

    @Test
    void matchesTheReferenceOnRandomLayers() {
        Random rnd = new Random(20261122);
        for (int trial = 0; trial < 600; trial++) {
            int inputs = INPUTS[trial % INPUTS.length];
            int outputs = OUTPUTS[rnd.nextInt(OUTPUTS.length)];
            QuantizedDense layer = randomLayer(rnd, inputs, outputs, trial);
            assertSameOutputs(layer, rnd, "trial " + trial + " " + layer);
        }
    }

    @Test
    void matchesTheReferenceAtTheOverflowBounds() {
        Random rnd = new Random(7);
        for (int inputs : INPUTS) {
            for (int sign : new int[] {1, -1}) {
                // Every product at its largest (|w| = 127, |x - zp| = 255) with the bias at the limit:
                // the accumulator reaches +-(2^31 - 1) exactly.
                int outputs = 37;
                byte[] weights = new byte[inputs * outputs];
                Arrays.fill(weights, (byte) (127 * sign));
                int[] bias = new int[outputs];
                Arrays.fill(bias, sign * QuantizedDense.maxBias(inputs));
                for (int zp : new int[] {-128, 127}) {
                    QuantizedDense layer = layer(inputs, outputs, Activation.IDENTITY, weights, bias, zp, rnd, 0);
                    byte[] extreme = new byte[inputs];
                    Arrays.fill(extreme, (byte) (zp == -128 ? 127 : -128));
                    assertSame(layer, extreme, "inputs " + inputs + " sign " + sign + " zp " + zp);
                    assertSameOutputs(layer, rnd, "inputs " + inputs + " sign " + sign + " zp " + zp);
                }
            }
        }
    }

    @Test
    void identityRequantizationExposesTheExactAccumulator() {
        // multiplier 2^30 with shift 1 is exactly 1, so a small accumulator comes out unchanged.
        Random rnd = new Random(3);
        for (int inputs : INPUTS) {
            byte[] weights = new byte[inputs * 3];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (byte) (rnd.nextInt(3) - 1);
            }
            int[] bias = {0, 5, -5};
            int[] multiplier = {1 << 30, 1 << 30, 1 << 30};
            int[] shift = {1, 1, 1};
            QuantizedDense layer = new QuantizedDense(inputs, 3, Activation.IDENTITY, weights, new float[] {1, 1, 1},
                    bias, multiplier, shift, 1f, 0, 1f, 0, 1f, 0, -128, 127, null);
            byte[] x = new byte[inputs];
            for (int i = 0; i < inputs; i++) {
                x[i] = (byte) (rnd.nextInt(3) - 1);
            }
            assertSame(layer, x, "inputs " + inputs);
        }
    }

    @Test
    void wholeModelsGiveTheSameLogitsOnBothKernels() {
        Random rnd = new Random(11);
        Q8Model[] models = {
            TestModels.model(2, 28, Activation.RELU, 128, 10),
            TestModels.model(3, 9, Activation.TANH, 33, 17, 5),
            TestModels.model(4, 5, Activation.SIGMOID, 7, 3),
        };
        for (Q8Model model : models) {
            Int8Engine scalar = new Int8Engine(model, DenseKernels.SCALAR.factory());
            Int8Engine vector = new Int8Engine(model, DenseKernels.vector().factory());
            assertEquals("scalar", scalar.kernelName());
            assertEquals("vector", vector.kernelName());
            assertEquals(java.util.List.of(), vector.verifyGoldens());
            byte[] in = new byte[model.inputSize()];
            byte[] a = new byte[model.classes()];
            byte[] b = new byte[model.classes()];
            for (int n = 0; n < 200; n++) {
                scalar.quantizeInput(TestModels.randomPixels(rnd, in.length), in);
                scalar.infer(in, a);
                vector.infer(in, b);
                assertArrayEquals(a, b, "image " + n);
            }
        }
    }

    @Test
    void theSystemPropertyForcesTheKernel() {
        Q8Model model = TestModels.model(1, 4, Activation.RELU, 8, 3);
        String old = System.getProperty(DenseKernels.PROPERTY);
        try {
            System.setProperty(DenseKernels.PROPERTY, "scalar");
            assertEquals("scalar", new Int8Engine(model).kernelName());
            System.setProperty(DenseKernels.PROPERTY, "vector");
            assertEquals("vector", new Int8Engine(model).kernelName());
            System.setProperty(DenseKernels.PROPERTY, "auto");
            assertEquals("vector", new Int8Engine(model).kernelName());
            System.setProperty(DenseKernels.PROPERTY, "fast");
            EdgemlException e = assertThrows(EdgemlException.class, () -> new Int8Engine(model));
            assertTrue(e.getMessage().contains("use auto, scalar or vector"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(DenseKernels.PROPERTY);
            } else {
                System.setProperty(DenseKernels.PROPERTY, old);
            }
        }
    }

    private static QuantizedDense randomLayer(Random rnd, int inputs, int outputs, int trial) {
        byte[] weights = new byte[inputs * outputs];
        int style = trial % 3;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) switch (style) {
                case 0 -> rnd.nextInt(255) - 127;
                case 1 -> rnd.nextBoolean() ? 127 : -127;
                default -> rnd.nextInt(9) - 4;
            };
        }
        int limit = QuantizedDense.maxBias(inputs);
        int[] bias = new int[outputs];
        for (int o = 0; o < outputs; o++) {
            bias[o] = switch (rnd.nextInt(4)) {
                case 0 -> limit;
                case 1 -> -limit;
                default -> rnd.nextInt(2 * 100_000 + 1) - 100_000;
            };
        }
        int zp = switch (rnd.nextInt(3)) {
            case 0 -> -128;
            case 1 -> 127;
            default -> rnd.nextInt(256) - 128;
        };
        Activation activation = Activation.values()[rnd.nextInt(3)]; // identity, relu, leakyrelu (table)
        return layer(inputs, outputs, activation, weights, bias, zp, rnd, -1);
    }

    /** A layer with random requantization; {@code fixedShift} -1 means random shifts too. */
    private static QuantizedDense layer(int inputs, int outputs, Activation activation, byte[] weights, int[] bias,
                                        int inputZp, Random rnd, int fixedShift) {
        float[] scales = new float[outputs];
        int[] multiplier = new int[outputs];
        int[] shift = new int[outputs];
        for (int o = 0; o < outputs; o++) {
            scales[o] = 0.01f;
            multiplier[o] = (1 << 30) + rnd.nextInt(1 << 30);
            shift[o] = fixedShift >= 0 ? -24 : -rnd.nextInt(24);
        }
        int outZp = rnd.nextInt(256) - 128;
        byte[] table = null;
        int clampMin = -128;
        if (activation == Activation.RELU) {
            clampMin = outZp;
        } else if (activation.needsLookupTable()) {
            table = new byte[256];
            rnd.nextBytes(table);
        }
        int preZp = activation.needsLookupTable() ? rnd.nextInt(256) - 128 : outZp;
        float preScale = activation.needsLookupTable() ? 0.05f : 0.1f;
        return new QuantizedDense(inputs, outputs, activation, weights, scales, bias, multiplier, shift,
                0.02f, inputZp, preScale, preZp, 0.1f, outZp, clampMin, 127, table);
    }

    private static void assertSameOutputs(QuantizedDense layer, Random rnd, String what) {
        for (int n = 0; n < 4; n++) {
            byte[] x = new byte[layer.inputs()];
            rnd.nextBytes(x);
            assertSame(layer, x, what + " input " + n);
        }
        byte[] low = new byte[layer.inputs()];
        Arrays.fill(low, (byte) -128);
        assertSame(layer, low, what + " all -128");
        byte[] high = new byte[layer.inputs()];
        Arrays.fill(high, (byte) 127);
        assertSame(layer, high, what + " all 127");
    }

    private static void assertSame(QuantizedDense layer, byte[] x, String what) {
        byte[] expected = new byte[layer.outputs()];
        byte[] actual = new byte[layer.outputs()];
        new ScalarDenseKernel(layer).apply(x, expected);
        DenseKernel vector = DenseKernels.vector().factory().apply(layer);
        vector.apply(x, actual);
        assertArrayEquals(expected, actual, what);
        // A second run on the same kernel: no state leaks between inferences.
        vector.apply(x, actual);
        assertArrayEquals(expected, actual, what + " (again)");
    }
}
