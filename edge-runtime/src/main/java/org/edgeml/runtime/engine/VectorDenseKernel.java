package org.edgeml.runtime.engine;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.edgeml.runtime.model.QuantizedDense;

/**
 * The fast int8 dense kernel on the Vector API ({@code jdk.incubator.vector}), bit for bit the same as
 * {@link ScalarDenseKernel}. Only {@link DenseKernels} names this class, so a JVM without the module
 * never links it.
 *
 * <p>Output-stationary: each int lane of an accumulator vector is one output channel, so the sums
 * need no horizontal reduction. Inputs go four at a time ("quads"): {@code x[4q], x[4q+1]} packed into
 * one int and broadcast to every lane as a pair of shorts, {@code x[4q+2], x[4q+3]} likewise. The
 * weights are laid out once, at prepare time, so that one short vector holds, for {@code lanes}
 * consecutive outputs, the two weights that meet one broadcast pair. Two short multiplies and one
 * short add then give, in the two halves of every int lane,
 * {@code w[o][4q]*x[4q] + w[o][4q+2]*x[4q+2]} and {@code w[o][4q+1]*x[4q+1] + w[o][4q+3]*x[4q+3]},
 * which are sign-extended and added to the output's int accumulator. The input zero point is folded
 * into the bias: {@code acc = (bias - zp * sum_i w[i]) + sum_i w[i] * x[i]}.
 *
 * <p>Why 16 bits are enough (the whole speed-up rests on it): {@code |w| <= 127} ({@link QuantizedDense}
 * refuses -128) and {@code -128 <= x <= 127}, so {@code |w * x| <= 16256} and the sum of two such
 * products is at most {@code 32512 <= Short.MAX_VALUE}: each short lane is exact. The halves of an int
 * lane are read back exactly as {@code v >> 16} and {@code (v << 16) >> 16}. An int accumulator sums at
 * most {@code inputs <= 65536} products, {@code |sum| <= 16256 * 65536 < 2^31}, so nothing overflows
 * before the bias is added. The folded bias may wrap, but int arithmetic is exact modulo 2^32 and the
 * true accumulator fits in int32 ({@link QuantizedDense#maxBias}), so the final int is the reference's
 * exactly. Requantization is the reference's own scalar code.
 */
final class VectorDenseKernel implements DenseKernel {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;
    /** Outputs per accumulator vector. */
    private static final int LANES = INTS.length();
    /** Accumulator vectors kept in registers per pass over the input (more makes C2 spill them). */
    private static final int BLOCKS_PER_PASS = 4;

    private final int inputs;
    private final int outputs;
    private final int quads;
    private final int paddedOutputs;
    /** For quad q, half h (0: inputs 4q, 4q+1; 1: inputs 4q+2, 4q+3), output o, k in 0..1: w[o][4q+2h+k]. */
    private final short[] weights;
    private final int[] foldedBias;
    private final int[] multiplier;
    private final int[] shift;
    private final int zeroPoint;
    private final int clampMin;
    private final int clampMax;
    private final byte[] lookupTable;
    /** Per inference: x[4q], x[4q+1] as the low and high short of one int; then x[4q+2], x[4q+3]. */
    private final int[] lowPairs;
    private final int[] highPairs;
    private final int[] acc;

    VectorDenseKernel(QuantizedDense layer) {
        inputs = layer.inputs();
        outputs = layer.outputs();
        quads = (inputs + 3) / 4;
        paddedOutputs = (outputs + LANES - 1) / LANES * LANES;
        weights = new short[quads * 4 * paddedOutputs];
        foldedBias = new int[outputs];
        int inputZeroPoint = layer.inputZeroPoint();
        for (int o = 0; o < outputs; o++) {
            int sum = 0;
            for (int i = 0; i < inputs; i++) {
                byte w = layer.weight(o, i);
                weights[weightIndex(i, o)] = w;
                sum += w;
            }
            foldedBias[o] = layer.bias()[o] - inputZeroPoint * sum;
        }
        multiplier = layer.multiplier().clone();
        shift = layer.shift().clone();
        zeroPoint = layer.preActivationZeroPoint();
        clampMin = layer.clampMin();
        clampMax = layer.clampMax();
        lookupTable = layer.lookupTable() == null ? null : layer.lookupTable().clone();
        lowPairs = new int[quads];
        highPairs = new int[quads];
        acc = new int[paddedOutputs];
    }

    private int weightIndex(int input, int output) {
        int q = input / 4;
        int half = (input % 4) / 2;
        return ((q * 2 + half) * paddedOutputs + output) * 2 + input % 2;
    }

    @Override
    public String name() {
        return "vector";
    }

    /** The width of the vectors this kernel uses, in bits. */
    static int vectorBits() {
        return INTS.vectorBitSize();
    }

    @Override
    public void apply(byte[] input, byte[] output) {
        packInput(input);
        int blocks = paddedOutputs / LANES;
        int b = 0;
        for (; b + BLOCKS_PER_PASS <= blocks; b += BLOCKS_PER_PASS) {
            accumulateFourBlocks(b * LANES);
        }
        for (; b < blocks; b++) {
            accumulateOneBlock(b * LANES);
        }
        for (int o = 0; o < outputs; o++) {
            int v = FixedPoint.multiplyByQuantizedMultiplier(foldedBias[o] + acc[o], multiplier[o], shift[o]) + zeroPoint;
            v = Math.max(clampMin, Math.min(clampMax, v));
            output[o] = lookupTable == null ? (byte) v : lookupTable[v + 128];
        }
    }

    private void packInput(byte[] input) {
        int full = inputs / 4;
        for (int q = 0; q < full; q++) {
            int i = 4 * q;
            lowPairs[q] = (input[i] & 0xFFFF) | (input[i + 1] << 16);
            highPairs[q] = (input[i + 2] & 0xFFFF) | (input[i + 3] << 16);
        }
        if (full < quads) {
            int i = 4 * full;
            int x1 = i + 1 < inputs ? input[i + 1] : 0;
            int x2 = i + 2 < inputs ? input[i + 2] : 0;
            lowPairs[full] = (input[i] & 0xFFFF) | (x1 << 16);
            highPairs[full] = x2 & 0xFFFF;
        }
    }

    private void accumulateFourBlocks(int firstOutput) {
        IntVector a0 = IntVector.zero(INTS);
        IntVector a1 = a0;
        IntVector a2 = a0;
        IntVector a3 = a0;
        int halfStride = 2 * paddedOutputs;
        int offset = 2 * firstOutput;
        for (int q = 0; q < quads; q++, offset += 2 * halfStride) {
            ShortVector low = IntVector.broadcast(INTS, lowPairs[q]).reinterpretAsShorts();
            ShortVector high = IntVector.broadcast(INTS, highPairs[q]).reinterpretAsShorts();
            a0 = accumulate(a0, offset, halfStride, low, high);
            a1 = accumulate(a1, offset + 2 * LANES, halfStride, low, high);
            a2 = accumulate(a2, offset + 4 * LANES, halfStride, low, high);
            a3 = accumulate(a3, offset + 6 * LANES, halfStride, low, high);
        }
        a0.intoArray(acc, firstOutput);
        a1.intoArray(acc, firstOutput + LANES);
        a2.intoArray(acc, firstOutput + 2 * LANES);
        a3.intoArray(acc, firstOutput + 3 * LANES);
    }

    private void accumulateOneBlock(int firstOutput) {
        IntVector a = IntVector.zero(INTS);
        int halfStride = 2 * paddedOutputs;
        int offset = 2 * firstOutput;
        for (int q = 0; q < quads; q++, offset += 2 * halfStride) {
            a = accumulate(a, offset, halfStride,
                    IntVector.broadcast(INTS, lowPairs[q]).reinterpretAsShorts(),
                    IntVector.broadcast(INTS, highPairs[q]).reinterpretAsShorts());
        }
        a.intoArray(acc, firstOutput);
    }

    /** Adds one quad of inputs to {@code LANES} outputs' accumulators: exact, see the class comment. */
    private IntVector accumulate(IntVector accumulator, int offset, int halfStride, ShortVector low, ShortVector high) {
        IntVector v = ShortVector.fromArray(SHORTS, weights, offset).mul(low)
                .add(ShortVector.fromArray(SHORTS, weights, offset + halfStride).mul(high))
                .reinterpretAsInts();
        return accumulator.add(v.lanewise(VectorOperators.ASHR, 16))
                .add(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
    }
}
