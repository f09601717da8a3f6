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
 * <p>With {@code pieces = k > 1} the layer is maxout: each of the {@code outputs} units has {@code k}
 * linear pieces, the rows {@code o*k .. o*k + k - 1} of the {@code rows() = outputs*k} rows of weights,
 * biases, weight scales, multipliers and shifts. Each row is requantized as above up to the clamp, and
 * unit {@code o} gets the largest: {@code y[o] = lookup(max_j v[o*k + j])}. That is exactly the int8 of
 * the largest piece, because the pieces of a unit share the pre-activation scale and zero point and
 * requantization is monotone (rows may differ in multiplier, which carries their own weight scale).
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
                             int clampMin, int clampMax, byte[] lookupTable, int pieces) {
    public static final int MAX_SIDE = 1 << 16;
    /** The most linear pieces of a maxout unit. */
    public static final int MAX_PIECES = 16;
    public static final int MAX_WEIGHTS = 1 << 26;
    /** The largest |weight * (x - inputZeroPoint)| term: 127 * 255. */
    public static final int MAX_PRODUCT = 127 * 255;

    public QuantizedDense {
        Objects.requireNonNull(activation, "activation");
        checkShape(inputs, outputs, pieces);
        int rows = outputs * pieces;
        LayerChecks.requireLength("weights", weights.length, inputs * rows);
        LayerChecks.requireLength("weight scales", weightScales.length, rows);
        LayerChecks.requireLength("bias", bias.length, rows);
        LayerChecks.requireLength("multipliers", multiplier.length, rows);
        LayerChecks.requireLength("shifts", shift.length, rows);
        LayerChecks.symmetricWeights(weights);
        LayerChecks.channelScalesAndBias(weightScales, bias, inputs);
        new QuantParams(inputScale, inputZeroPoint);
        requantization(activation, multiplier, shift, preActivationScale, preActivationZeroPoint,
                outputScale, outputZeroPoint, clampMin, clampMax, lookupTable);
    }

    /** A plain dense layer: one piece per output. */
    public QuantizedDense(int inputs, int outputs, Activation activation,
                          byte[] weights, float[] weightScales, int[] bias, int[] multiplier, int[] shift,
                          float inputScale, int inputZeroPoint, float preActivationScale, int preActivationZeroPoint,
                          float outputScale, int outputZeroPoint, int clampMin, int clampMax, byte[] lookupTable) {
        this(inputs, outputs, activation, weights, weightScales, bias, multiplier, shift, inputScale, inputZeroPoint,
                preActivationScale, preActivationZeroPoint, outputScale, outputZeroPoint, clampMin, clampMax, lookupTable, 1);
    }

    /** Checks the shape limits of a maxout layer alone, so a reader can check them before allocating the arrays. */
    public static void checkShape(int inputs, int outputs, int pieces) {
        if (pieces < 1 || pieces > MAX_PIECES) {
            throw new IllegalArgumentException("a maxout unit has 1.." + MAX_PIECES + " pieces, got "
                    + Integer.toUnsignedString(pieces));
        }
        checkShape(inputs, outputs);
        if ((long) inputs * outputs * pieces > MAX_WEIGHTS) {
            throw new IllegalArgumentException("layer shape " + inputs + "->" + outputs + " with " + pieces
                    + " pieces is impossible: inputs*outputs*pieces must be at most " + MAX_WEIGHTS);
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

    private static Requantization requantization(Activation activation, int[] multiplier, int[] shift,
                                                 float preActivationScale, int preActivationZeroPoint,
                                                 float outputScale, int outputZeroPoint,
                                                 int clampMin, int clampMax, byte[] lookupTable) {
        return new Requantization(activation, multiplier, shift,
                new QuantParams(preActivationScale, preActivationZeroPoint), new QuantParams(outputScale, outputZeroPoint),
                clampMin, clampMax, lookupTable);
    }

    /** This layer's requantization (shares the arrays). */
    public Requantization requantization() {
        return requantization(activation, multiplier, shift, preActivationScale, preActivationZeroPoint,
                outputScale, outputZeroPoint, clampMin, clampMax, lookupTable);
    }

    public QuantParams input() {
        return new QuantParams(inputScale, inputZeroPoint);
    }

    public QuantParams output() {
        return new QuantParams(outputScale, outputZeroPoint);
    }

    /** The rows of weights: {@code outputs * pieces}. */
    public int rows() {
        return outputs * pieces;
    }

    public boolean isMaxout() {
        return pieces > 1;
    }

    /** The weight of row {@code row} (output {@code row} of a plain layer, piece {@code row % pieces} of a maxout unit). */
    public byte weight(int row, int input) {
        return weights[row * inputs + input];
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
                && clampMin == d.clampMin && clampMax == d.clampMax && Arrays.equals(lookupTable, d.lookupTable)
                && pieces == d.pieces;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputs, outputs, activation, Arrays.hashCode(weights), Arrays.hashCode(bias),
                Arrays.hashCode(multiplier), Arrays.hashCode(shift), outputScale, outputZeroPoint);
    }

    @Override
    public String toString() {
        return "QuantizedDense[" + inputs + "->" + outputs + (pieces > 1 ? " maxout " + pieces : "") + " " + activation.cliName()
                + ", in " + input() + ", out " + output() + ", clamp [" + clampMin + ", " + clampMax + "]]";
    }
}
