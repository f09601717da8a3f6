package org.edgeml.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * How a layer turns its int32 accumulators into int8 outputs, per the TFLite int8 spec; the same for
 * dense, conv2d and depthwise conv2d layers. For output channel {@code o}:
 *
 * <pre>
 *   v = clamp(MultiplyByQuantizedMultiplier(acc, multiplier[o], shift[o]) + preActivation.zeroPoint,
 *             clampMin, clampMax)
 *   y = lookupTable == null ? v : lookupTable[v + 128]
 * </pre>
 *
 * Clamp activations (IDENTITY, RELU) requantize straight to the output: the pre-activation scale and
 * zero point equal the output's, and ReLU is {@code clampMin = output.zeroPoint}. Other activations
 * requantize to the pre-activation parameters, keep the full range [-128, 127] and map it through the
 * 256-entry {@code lookupTable} to the output's. Arrays are not copied: do not change them after
 * construction.
 */
public record Requantization(Activation activation, int[] multiplier, int[] shift,
                             QuantParams preActivation, QuantParams output,
                             int clampMin, int clampMax, byte[] lookupTable) {
    public Requantization {
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(preActivation, "preActivation");
        Objects.requireNonNull(output, "output");
        LayerChecks.requireLength("shifts", shift.length, multiplier.length);
        for (int o = 0; o < multiplier.length; o++) {
            String problem = QuantizedMultiplier.problem(multiplier[o], shift[o]);
            if (problem != null) {
                throw new IllegalArgumentException("channel " + o + ": " + problem);
            }
        }
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
            if (!preActivation.equals(output)) {
                throw new IllegalArgumentException(activation.cliName()
                        + " requantizes straight to the output: pre-activation scale and zero point must equal the output's");
            }
        }
    }

    /** The number of output channels. */
    public int channels() {
        return multiplier.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Requantization r && activation == r.activation
                && Arrays.equals(multiplier, r.multiplier) && Arrays.equals(shift, r.shift)
                && preActivation.equals(r.preActivation) && output.equals(r.output)
                && clampMin == r.clampMin && clampMax == r.clampMax && Arrays.equals(lookupTable, r.lookupTable);
    }

    @Override
    public int hashCode() {
        return Objects.hash(activation, Arrays.hashCode(multiplier), Arrays.hashCode(shift), output);
    }

    @Override
    public String toString() {
        return activation.cliName() + " to " + output + ", clamp [" + clampMin + ", " + clampMax + "]";
    }
}
