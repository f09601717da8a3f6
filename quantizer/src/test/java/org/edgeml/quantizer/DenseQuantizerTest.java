package org.edgeml.quantizer;

import org.edgeml.core.engine.FixedPoint;
import org.edgeml.core.engine.ScalarDenseKernel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedDense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A seeded random layer quantized and run in int8 against the float computation it stands for. */
class DenseQuantizerTest {
    private static final int INPUTS = 64;
    private static final int OUTPUTS = 32;

    @ParameterizedTest
    @EnumSource(Activation.class)
    void int8LayerTracksTheFloatLayer(Activation activation) {
        Random rnd = new Random(17 + activation.ordinal());
        TestModels.FloatLayer layer = TestModels.FloatLayer.random(rnd, INPUTS, OUTPUTS, activation);
        QuantParams input = QuantParams.fromRange(-1, 2);
        QuantParams pre = QuantParams.fromRange(-3, 3);
        double outLo = Double.POSITIVE_INFINITY;
        double outHi = Double.NEGATIVE_INFINITY;
        for (double v = -3; v <= 3; v += 0.01) {
            outLo = Math.min(outLo, activation.apply(v));
            outHi = Math.max(outHi, activation.apply(v));
        }
        QuantParams output = QuantParams.fromRange(outLo, outHi);
        QuantizedDense q = DenseQuantizer.quantize(INPUTS, OUTPUTS, activation, layer.weights(), layer.bias(), input, pre, output);
        ScalarDenseKernel kernel = new ScalarDenseKernel(q);
        double maxSlope = switch (activation) {
            case SIGMOID -> 0.25;
            case GELU, GELU_ERF, GELU_TANH -> 1.13;
            default -> 1.0;
        };
        // Clamp activations: requantization rounds once or twice (< 1 LSB); a table adds one pre-activation LSB.
        double tolerance = activation.needsLookupTable() ? maxSlope * pre.scale() + output.scale() : output.scale();
        double worstDequantized = 0;
        double worstFloat = 0;
        for (int n = 0; n < 200; n++) {
            byte[] x = new byte[INPUTS];
            rnd.nextBytes(x);
            byte[] y = new byte[OUTPUTS];
            kernel.apply(x, y);
            double[] xf = new double[INPUTS];
            for (int i = 0; i < INPUTS; i++) {
                xf[i] = input.dequantize(x[i]);
            }
            for (int o = 0; o < OUTPUTS; o++) {
                double sumDequantized = q.bias()[o] * (double) input.scale() * q.weightScales()[o];
                for (int i = 0; i < INPUTS; i++) {
                    sumDequantized += q.weight(o, i) * (double) q.weightScales()[o] * xf[i];
                }
                double got = output.dequantize(y[o]);
                worstDequantized = Math.max(worstDequantized, Math.abs(got - representable(output, q, sumDequantized, pre)));
                worstFloat = Math.max(worstFloat, Math.abs(got - representable(output, q, layer.preActivation(xf, o), pre)));
            }
        }
        assertTrue(worstDequantized <= tolerance + 1e-9, activation + ": " + worstDequantized / output.scale()
                + " LSB from the float result of the int8 weights");
        assertTrue(worstFloat <= tolerance + output.scale(), activation + ": " + worstFloat / output.scale()
                + " LSB from the float layer");
    }

    /** The float activation of {@code preActivation}, limited to what the layer's int8 output can represent. */
    private static double representable(QuantParams output, QuantizedDense q, double preActivation, QuantParams pre) {
        double p = q.activation().needsLookupTable()
                ? Math.max(pre.dequantize(-128), Math.min(pre.dequantize(127), preActivation)) : preActivation;
        double y = q.activation().apply(p);
        return Math.max(output.dequantize(q.clampMin()), Math.min(output.dequantize(q.clampMax()), y));
    }

    @Test
    void quantizesWeightsPerChannelSymmetrically() {
        float[] w = {0.5f, -1.0f, 0.25f, 0f, 0f, 0f, 2f, 1f, -0.01f};
        float[] b = {0.1f, 0f, -3f};
        QuantParams in = new QuantParams(0.5f, -10);
        QuantParams out = new QuantParams(0.25f, -128);
        QuantizedDense q = DenseQuantizer.quantize(3, 3, Activation.RELU, w, b, in, null, out);
        assertEquals(1f / 127, q.weightScales()[0]);
        assertEquals(1f, q.weightScales()[1], "an all-zero channel gets scale 1");
        assertEquals(2f / 127, q.weightScales()[2]);
        assertEquals(64, q.weight(0, 0)); // 0.5 * 127 = 63.5, ties away from zero
        assertEquals(-127, q.weight(0, 1));
        assertEquals(127, q.weight(2, 0));
        assertEquals(64, q.weight(2, 1)); // 1 / (2/127) = 63.5
        assertEquals(-1, q.weight(2, 2));
        assertEquals(Math.round(0.1 / (0.5 * (1.0f / 127))), q.bias()[0]);
        assertEquals(-128, q.clampMin());
        assertEquals(FixedPoint.quantizeMultiplier(0.5 * (double) (1f / 127) / 0.25).multiplier(), q.multiplier()[0]);
        assertEquals(FixedPoint.quantizeMultiplier(0.5 * (double) (1f / 127) / 0.25).shift(), q.shift()[0]);
        assertThrows(IllegalArgumentException.class,
                () -> DenseQuantizer.quantize(3, 3, Activation.TANH, w, b, in, null, out));
    }

    @Test
    void clampsBiasesSoTheAccumulatorCannotOverflow() {
        float[] w = {1e-6f, 0f};
        QuantizedDense q = DenseQuantizer.quantize(2, 1, Activation.IDENTITY, w, new float[] {1e6f}, new QuantParams(1e-3f, 0), null,
                new QuantParams(1f, 0));
        assertEquals(QuantizedDense.maxBias(2), q.bias()[0]);
    }
}
