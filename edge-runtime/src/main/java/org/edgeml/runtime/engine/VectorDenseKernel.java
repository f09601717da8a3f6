package org.edgeml.runtime.engine;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.edgeml.runtime.model.QuantizedDense;

/**
 * The fast int8 dense kernel on the Vector API ({@code jdk.incubator.vector}), bit for bit the same as
 * {@link ScalarDenseKernel}. Only {@link DenseKernels} names this class, so a JVM without the module
 * never links it.
 *
 * <p>Prepared once: the weights widened to 16-bit lanes, each row zero-padded to a whole number of
 * steps (two short vectors), and the input zero point folded into the bias,
 * {@code acc = (bias - zp * sum_i w[i]) + sum_i w[i] * x[i]}. Per inference: the int8 input is
 * widened to shorts once, then four output rows at a time share each input load.
 *
 * <p>Why 16 bits are enough (the whole speed-up rests on it): {@code |w| <= 127} ({@link QuantizedDense}
 * refuses -128) and {@code -128 <= x <= 127}, so {@code |w * x| <= 16256} and the sum of two such
 * products is at most {@code 32512 <= Short.MAX_VALUE}: {@code w0*x0 + w1*x1} is exact in a short
 * lane. Its two halves are then sign-extended into int lanes (a pair of short lanes read as one int:
 * {@code hi = v >> 16}, {@code lo = (v << 16) >> 16}) and added to int accumulators. Each int lane
 * sums at most {@code inputs <= 65536} products, {@code |sum| <= 16256 * 65536 < 2^31}, so nothing
 * overflows before the bias is added. The folded bias may wrap, but int arithmetic is exact modulo
 * 2^32 and the true accumulator fits in int32 ({@link QuantizedDense#maxBias}), so the final int is
 * the reference's exactly. Requantization is the reference's own scalar code.
 */
final class VectorDenseKernel implements DenseKernel {
    static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    /** Bytes that widen to exactly one short vector. */
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(SHORTS.vectorBitSize() / 2));
    private static final int LANES = SHORTS.length();
    private static final int STEP = 2 * LANES;
    private static final int ROWS = 4;

    private final int inputs;
    private final int outputs;
    private final int stride;
    private final short[] weights;
    private final int[] foldedBias;
    private final int[] multiplier;
    private final int[] shift;
    private final int zeroPoint;
    private final int clampMin;
    private final int clampMax;
    private final byte[] lookupTable;
    private final short[] x;
    private final int[] acc;

    VectorDenseKernel(QuantizedDense layer) {
        inputs = layer.inputs();
        outputs = layer.outputs();
        stride = (inputs + STEP - 1) / STEP * STEP;
        weights = new short[outputs * stride];
        foldedBias = new int[outputs];
        int inputZeroPoint = layer.inputZeroPoint();
        for (int o = 0; o < outputs; o++) {
            int sum = 0;
            for (int i = 0; i < inputs; i++) {
                byte w = layer.weight(o, i);
                weights[o * stride + i] = w;
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
        x = new short[stride];
        acc = new int[outputs];
    }

    @Override
    public String name() {
        return "vector";
    }

    /** The width of the lanes this kernel uses, in bits. */
    static int vectorBits() {
        return SHORTS.vectorBitSize();
    }

    @Override
    public void apply(byte[] input, byte[] output) {
        widenInput(input);
        int o = 0;
        for (; o + ROWS <= outputs; o += ROWS) {
            accumulateFourRows(o);
        }
        for (; o < outputs; o++) {
            accumulateOneRow(o);
        }
        for (o = 0; o < outputs; o++) {
            int v = FixedPoint.multiplyByQuantizedMultiplier(acc[o], multiplier[o], shift[o]) + zeroPoint;
            v = Math.max(clampMin, Math.min(clampMax, v));
            output[o] = lookupTable == null ? (byte) v : lookupTable[v + 128];
        }
    }

    private void widenInput(byte[] input) {
        int i = 0;
        for (int end = BYTES.loopBound(inputs); i < end; i += LANES) {
            ((ShortVector) ByteVector.fromArray(BYTES, input, i).convertShape(VectorOperators.B2S, SHORTS, 0)).intoArray(x, i);
        }
        for (; i < inputs; i++) {
            x[i] = input[i];
        }
        // x[inputs..stride) stays 0 and meets zero weights anyway.
    }

    private void accumulateFourRows(int o) {
        IntVector a0 = IntVector.zero(INTS);
        IntVector a1 = a0;
        IntVector a2 = a0;
        IntVector a3 = a0;
        int r0 = o * stride;
        int r1 = r0 + stride;
        int r2 = r1 + stride;
        int r3 = r2 + stride;
        for (int i = 0; i < stride; i += STEP) {
            ShortVector x0 = ShortVector.fromArray(SHORTS, x, i);
            ShortVector x1 = ShortVector.fromArray(SHORTS, x, i + LANES);
            a0 = addPairs(a0, pairs(r0 + i, x0, x1));
            a1 = addPairs(a1, pairs(r1 + i, x0, x1));
            a2 = addPairs(a2, pairs(r2 + i, x0, x1));
            a3 = addPairs(a3, pairs(r3 + i, x0, x1));
        }
        acc[o] = foldedBias[o] + a0.reduceLanes(VectorOperators.ADD);
        acc[o + 1] = foldedBias[o + 1] + a1.reduceLanes(VectorOperators.ADD);
        acc[o + 2] = foldedBias[o + 2] + a2.reduceLanes(VectorOperators.ADD);
        acc[o + 3] = foldedBias[o + 3] + a3.reduceLanes(VectorOperators.ADD);
    }

    private void accumulateOneRow(int o) {
        IntVector a = IntVector.zero(INTS);
        int r = o * stride;
        for (int i = 0; i < stride; i += STEP) {
            a = addPairs(a, pairs(r + i, ShortVector.fromArray(SHORTS, x, i), ShortVector.fromArray(SHORTS, x, i + LANES)));
        }
        acc[o] = foldedBias[o] + a.reduceLanes(VectorOperators.ADD);
    }

    /** {@code w[i]*x[i] + w[i+LANES]*x[i+LANES]} per short lane: exact, see the class comment. */
    private ShortVector pairs(int offset, ShortVector x0, ShortVector x1) {
        return ShortVector.fromArray(SHORTS, weights, offset).mul(x0)
                .add(ShortVector.fromArray(SHORTS, weights, offset + LANES).mul(x1));
    }

    /** Adds both sign-extended shorts of every int-sized pair of lanes to the int accumulator. */
    private static IntVector addPairs(IntVector accumulator, ShortVector pairs) {
        IntVector v = pairs.reinterpretAsInts();
        return accumulator.add(v.lanewise(VectorOperators.ASHR, 16))
                .add(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
    }
}
