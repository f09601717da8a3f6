package org.edgeml.core.engine;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.edgeml.core.model.QuantizedDense;

/**
 * Requantizes a layer's int32 accumulators to its int8 outputs with vectors, bit for bit as
 * {@link FixedPoint#multiplyByQuantizedMultiplier} and {@link ScalarDenseKernel} do it:
 *
 * <pre>
 *   a = (acc + bias) &lt;&lt; left                      left = max(shift, 0)
 *   h = (a * multiplier + 2^30) &gt;&gt; 31               64-bit lanes
 *   r = (h &gt;&gt; right) + (h &amp; mask &gt; mask/2 + (h &lt; 0 ? 1 : 0) ? 1 : 0)   right = max(-shift, 0), mask = 2^right - 1
 *   y = clamp(r + zeroPoint) [-&gt; lookup table]
 * </pre>
 *
 * The second line is gemmlowp's SaturatingRoundingDoublingHighMul: for a multiplier {@code >= 0} (the
 * model format's are in {@code [2^30, 2^31)} or 0) its "add 2^30 or 1 - 2^30 by sign, then divide by 2^31
 * toward zero" is exactly {@code floor((a * m + 2^30) / 2^31)}, and the saturating case needs a
 * multiplier of {@code -2^31}. The third is RoundingDivideByPOT as written. Per-channel constants are
 * laid out once; {@link #apply} allocates nothing. Accumulators go one int vector at a time, the
 * products in two long vectors of the same width, the last vector padded; where vectors are
 * narrower than 256 bits ({@link #VECTORS_PAY}) the scalar reference does it all.
 *
 * <p>Every vector here has the preferred shape, as in {@link VectorDenseKernel}: C2 compiles the
 * Vector API from the type profiles of the JDK's own methods, which all callers share, and once a
 * profile has seen two shapes of the same element type (a 256-bit and a 512-bit {@code IntVector},
 * say) the kernel's loop failed to compile to vector instructions in some runs and boxed its vectors
 * on every step, several times slower.
 */
final class VectorRequantizer {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    private static final int STEP = INTS.length();
    private static final int HALF = LONGS.length();
    /**
     * Vectors only from 256 bits up (x86 AVX2 and AVX-512): 128-bit NEON, as on a Raspberry Pi, has no
     * multiply of 64-bit lanes, and C2 leaves {@code LongVector.mul} to Java code that allocates
     * (seen under qemu as a Cortex-A72: several times slower than the scalar loop). Narrower
     * vectors requantize with the scalar reference.
     */
    static final boolean VECTORS_PAY = INTS.vectorBitSize() >= 256;

    /** The accumulators: one per row of weights ({@code layer.rows()}). */
    private final int outputs;
    /** The int8 outputs: the layer's outputs, each the largest of its {@code pieces} rows. */
    private final int units;
    private final int pieces;
    private final int vectorOutputs;
    private final int[] bias;
    private final int[] leftShift;
    private final long[] multiplier;
    private final int[] rightShift;
    private final int[] remainderMask;
    private final int[] halfMask;
    private final int[] shift;
    private final int zeroPoint;
    private final int clampMin;
    private final int clampMax;
    private final byte[] lookupTable;
    private final int[] requantized;

    /**
     * @param bias what to add to each accumulator first (the layer's bias, or a kernel's folded bias),
     *             at least {@code layer.rows()} entries
     */
    VectorRequantizer(QuantizedDense layer, int[] bias) {
        outputs = layer.rows();
        units = layer.outputs();
        pieces = layer.pieces();
        vectorOutputs = VECTORS_PAY ? paddedLength(outputs) : 0;
        int length = Math.max(outputs, vectorOutputs);
        this.bias = java.util.Arrays.copyOf(bias, length);
        shift = layer.shift().clone();
        leftShift = new int[length];
        multiplier = new long[length];
        rightShift = new int[length];
        remainderMask = new int[length];
        halfMask = new int[length];
        for (int o = 0; o < outputs; o++) {
            leftShift[o] = Math.max(shift[o], 0);
            multiplier[o] = layer.multiplier()[o]; // >= 0: QuantizedDense checks it
            rightShift[o] = Math.max(-shift[o], 0);
            remainderMask[o] = (int) ((1L << rightShift[o]) - 1);
            halfMask[o] = remainderMask[o] >> 1;
        }
        zeroPoint = layer.preActivationZeroPoint();
        clampMin = layer.clampMin();
        clampMax = layer.clampMax();
        lookupTable = layer.lookupTable() == null ? null : layer.lookupTable().clone();
        requantized = new int[length];
    }

    /**
     * How many accumulators {@link #apply} reads for a layer of {@code outputs}: whole vectors, the
     * lanes past the layer's outputs ignored (their constants are 0).
     */
    static int paddedLength(int outputs) {
        return (outputs + STEP - 1) / STEP * STEP;
    }

    /**
     * Writes the layer's {@code outputs} int8 values for the accumulators {@code acc[0 .. rows)} (one per row: for
     * maxout, each unit's largest piece);
     * {@code acc} holds at least {@link #paddedLength} values.
     */
    void apply(int[] acc, byte[] output) {
        for (int o = 0; o < vectorOutputs; o += STEP) {
            IntVector a = IntVector.fromArray(INTS, acc, o)
                    .add(IntVector.fromArray(INTS, bias, o))
                    .lanewise(VectorOperators.LSHL, IntVector.fromArray(INTS, leftShift, o));
            LongVector lower = highMul((LongVector) a.convertShape(VectorOperators.I2L, LONGS, 0), o);
            LongVector upper = highMul((LongVector) a.convertShape(VectorOperators.I2L, LONGS, 1), o + HALF);
            // Back to one int vector: the lower half's lanes first, the upper half's after them.
            IntVector high = ((IntVector) lower.convertShape(VectorOperators.L2I, INTS, 0))
                    .or((IntVector) upper.convertShape(VectorOperators.L2I, INTS, -1));
            IntVector threshold = IntVector.fromArray(INTS, halfMask, o).sub(high.lanewise(VectorOperators.ASHR, 31));
            IntVector remainder = high.and(IntVector.fromArray(INTS, remainderMask, o));
            high.lanewise(VectorOperators.ASHR, IntVector.fromArray(INTS, rightShift, o))
                    .add(1, remainder.compare(VectorOperators.GT, threshold))
                    .add(zeroPoint)
                    .max(clampMin)
                    .min(clampMax)
                    .intoArray(requantized, o);
        }
        for (int o = vectorOutputs; o < outputs; o++) {
            int v = FixedPoint.multiplyByQuantizedMultiplier(acc[o] + bias[o], (int) multiplier[o], shift[o]) + zeroPoint;
            requantized[o] = Math.max(clampMin, Math.min(clampMax, v));
        }
        if (pieces > 1) {
            maxout(output);
        } else if (lookupTable == null) {
            for (int o = 0; o < outputs; o++) {
                output[o] = (byte) requantized[o];
            }
        } else {
            for (int o = 0; o < outputs; o++) {
                output[o] = lookupTable[requantized[o] + 128];
            }
        }
    }

    /** Each unit's largest clamped piece, through the lookup table when there is one. */
    private void maxout(byte[] output) {
        for (int o = 0, row = 0; o < units; o++) {
            int best = requantized[row++];
            for (int j = 1; j < pieces; j++) {
                best = Math.max(best, requantized[row++]);
            }
            output[o] = lookupTable == null ? (byte) best : lookupTable[best + 128];
        }
    }

    /** {@code (a * multiplier + 2^30) >> 31} for the channels from {@code first}. */
    private LongVector highMul(LongVector a, int first) {
        return a.mul(LongVector.fromArray(LONGS, multiplier, first)).add(1L << 30).lanewise(VectorOperators.ASHR, 31);
    }
}
