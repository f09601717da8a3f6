package org.edgeml.core.engine;

import org.edgeml.core.model.Requantization;

/**
 * The scalar requantization step every reference kernel ends with (see {@link Requantization}): an
 * int32 accumulator of output channel {@code o} becomes its int8 output through
 * {@link FixedPoint#multiplyByQuantizedMultiplier}, the pre-activation zero point, the clamp and, for
 * non-clamp activations, the lookup table.
 */
final class Requantizer {
    private final int[] multiplier;
    private final int[] shift;
    private final int zeroPoint;
    private final int clampMin;
    private final int clampMax;
    private final byte[] lookupTable;

    Requantizer(Requantization r) {
        multiplier = r.multiplier().clone();
        shift = r.shift().clone();
        zeroPoint = r.preActivation().zeroPoint();
        clampMin = r.clampMin();
        clampMax = r.clampMax();
        lookupTable = r.lookupTable() == null ? null : r.lookupTable().clone();
    }

    /** The int8 output of channel {@code o} for the int32 accumulator {@code acc}. */
    byte apply(int acc, int o) {
        return activate(clamped(acc, o));
    }

    /** Channel {@code o}'s accumulator requantized, zero point added and clamped: the value before the lookup table. */
    int clamped(int acc, int o) {
        int v = FixedPoint.multiplyByQuantizedMultiplier(acc, multiplier[o], shift[o]) + zeroPoint;
        return Math.max(clampMin, Math.min(clampMax, v));
    }

    /** The output for a clamped value: itself for clamp activations, else its lookup table entry. */
    byte activate(int clamped) {
        return lookupTable == null ? (byte) clamped : lookupTable[clamped + 128];
    }
}
