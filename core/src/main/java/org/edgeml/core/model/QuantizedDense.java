package org.edgeml.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * An int8 fully connected layer as the TFLite int8 spec defines it. For output channel {@code o}:
 *
 * <pre>
 *   acc[o] = bias[o] + sum_i weights[o*inputs + i] * (x[i] - inputZeroPoint)          (int32)
 *   v[o]   = clamp(MultiplyByQuantizedMultiplier(acc[o], multiplier[o], shift[o])
 *                  + preActivationZeroPoint, clampMin, clampMax)
 *   y[o]   = lookupTable == null ? v[o] : lookupTable[v[o] + 128]
 * </pre>
 *
 * Clamp activations (IDENTITY, RELU) requantize straight to the output: their pre-activation scale
 * and zero point equal the output's, and ReLU is {@code clampMin = outputZeroPoint}. Other activations
 * requantize to the pre-activation scale and zero point, keep the full range [-128, 127] and map it
 * through the 256-entry {@code lookupTable} (index {@code v + 128}) to the output scale and zero point.
 *
 * <p>Weights are symmetric per output channel (zero point 0, range [-127, 127], output-major);
 * {@code weightScales} and the float scales document what the integers mean (dequantization, export),
 * while {@code multiplier}/{@code shift} are what the arithmetic uses. The bias is bounded so that no
 * int32 accumulator can overflow. Arrays are not copied: do not change them after construction.
 */
public record QuantizedDense(int inputs, int outputs, Activation activation,
                             byte[] weights, float[] weightScales, int[] bias, int[] multiplier, int[] shift,
                             float inputScale, int inputZeroPoint,
                             float preActivationScale, int preActivationZeroPoint,
                             float outputScale, int outputZeroPoint,
                             int clampMin, int clampMax, byte[] lookupTable) {
    public static final int MAX_SIDE = 1 << 16;
    public static final int MAX_WEIGHTS = 1 << 26;
    /** The largest |weight * (x - inputZeroPoint)| term: 127 * 255. */
    public static final int MAX_PRODUCT = 127 * 255;

    public QuantizedDense {
        Objects.requireNonNull(activation, "activation");
        checkShape(inputs, outputs);
        requireLength("weights", weights.length, inputs * outputs);
        requireLength("weight scales", weightScales.length, outputs);
        requireLength("bias", bias.length, outputs);
        requireLength("multipliers", multiplier.length, outputs);
        requireLength("shifts", shift.length, outputs);
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == Byte.MIN_VALUE) {
                throw new IllegalArgumentException("weight " + i + " is -128: symmetric int8 weights are in [-127, 127]");
            }
        }
        int biasLimit = maxBias(inputs);
        for (int o = 0; o < outputs; o++) {
            if (!(weightScales[o] > 0) || !Float.isFinite(weightScales[o])) {
                throw new IllegalArgumentException("weight scale of channel " + o + " must be finite and > 0, got " + weightScales[o]);
            }
            if (Math.abs((long) bias[o]) > biasLimit) {
                throw new IllegalArgumentException("bias of channel " + o + " is " + bias[o]
                        + ": with " + inputs + " inputs it must be within +-" + biasLimit + " so int32 cannot overflow");
            }
            String problem = QuantizedMultiplier.problem(multiplier[o], shift[o]);
            if (problem != null) {
                throw new IllegalArgumentException("channel " + o + ": " + problem);
            }
        }
        new QuantParams(inputScale, inputZeroPoint);
        new QuantParams(preActivationScale, preActivationZeroPoint);
        new QuantParams(outputScale, outputZeroPoint);
        if (clampMin < -128 || clampMax > 127 || clampMin > clampMax) {
            throw new IllegalArgumentException("clamp range must satisfy -128 <= min <= max <= 127, got ["
                    + clampMin + ", " + clampMax + "]");
        }
        if (activation.needsLookupTable()) {
            if (lookupTable == null || lookupTable.length != 256) {
                throw new IllegalArgumentException(activation.cliName() + " needs a 256-entry lookup table");
            }
            if (clampMin != -128 || clampMax != 127) {
                throw new IllegalArgumentException(activation.cliName() + " uses a lookup table over the full range: the clamp must be [-128, 127]");
            }
        } else {
            if (lookupTable != null) {
                throw new IllegalArgumentException(activation.cliName() + " is a clamp and takes no lookup table");
            }
            if (preActivationScale != outputScale || preActivationZeroPoint != outputZeroPoint) {
                throw new IllegalArgumentException(activation.cliName()
                        + " requantizes straight to the output: pre-activation scale and zero point must equal the output's");
            }
        }
    }

    /** Checks the shape limits alone, so a reader can check them before allocating the arrays. */
    public static void checkShape(int inputs, int outputs) {
        if (inputs < 1 || outputs < 1 || inputs > MAX_SIDE || outputs > MAX_SIDE
                || (long) inputs * outputs > MAX_WEIGHTS) {
            throw new IllegalArgumentException("layer shape " + Integer.toUnsignedString(inputs) + "->"
                    + Integer.toUnsignedString(outputs) + " is impossible: each side must be 1.." + MAX_SIDE
                    + " and inputs*outputs at most " + MAX_WEIGHTS);
        }
    }

    /** The largest |bias| for which {@code bias + sum of inputs products} always fits in int32. */
    public static int maxBias(int inputs) {
        return (int) (Integer.MAX_VALUE - (long) MAX_PRODUCT * inputs);
    }

    private static void requireLength(String what, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + " hold " + actual + " values, expected " + expected);
        }
    }

    public QuantParams input() {
        return new QuantParams(inputScale, inputZeroPoint);
    }

    public QuantParams output() {
        return new QuantParams(outputScale, outputZeroPoint);
    }

    public byte weight(int output, int input) {
        return weights[output * inputs + input];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantizedDense d
                && inputs == d.inputs && outputs == d.outputs && activation == d.activation
                && Arrays.equals(weights, d.weights) && Arrays.equals(weightScales, d.weightScales)
                && Arrays.equals(bias, d.bias) && Arrays.equals(multiplier, d.multiplier) && Arrays.equals(shift, d.shift)
                && Float.compare(inputScale, d.inputScale) == 0 && inputZeroPoint == d.inputZeroPoint
                && Float.compare(preActivationScale, d.preActivationScale) == 0
                && preActivationZeroPoint == d.preActivationZeroPoint
                && Float.compare(outputScale, d.outputScale) == 0 && outputZeroPoint == d.outputZeroPoint
                && clampMin == d.clampMin && clampMax == d.clampMax && Arrays.equals(lookupTable, d.lookupTable);
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputs, outputs, activation, Arrays.hashCode(weights), Arrays.hashCode(bias),
                Arrays.hashCode(multiplier), Arrays.hashCode(shift), outputScale, outputZeroPoint);
    }

    @Override
    public String toString() {
        return "QuantizedDense[" + inputs + "->" + outputs + " " + activation.cliName()
                + ", in " + input() + ", out " + output() + ", clamp [" + clampMin + ", " + clampMax + "]]";
    }
}
