package org.edgeml.core.engine;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.edgeml.core.model.QuantizedDense;

/**
 * The fast int8 dense kernel on the Vector API ({@code jdk.incubator.vector}), bit for bit the same as
 * {@link ScalarDenseKernel}. Only {@link DenseKernels} names this class, so a JVM without the module
 * never links it.
 *
 * <p>Output-stationary: each int lane of an accumulator vector is one output channel, so the sums
 * need no horizontal reduction. Inputs go four at a time ("quads"): {@code x[4q], x[4q+1]} packed into
 * one int and broadcast to every lane as a pair of shorts, {@code x[4q+2], x[4q+3]} likewise. The
 * weights are laid out once, at prepare time, so that one short vector holds, for {@code LANES}
 * consecutive outputs, the two weights that meet one broadcast pair. Two short multiplies and one
 * short add then give, in the two halves of every int lane,
 * {@code lo = w[o][4q]*x[4q] + w[o][4q+2]*x[4q+2]} and {@code hi = w[o][4q+1]*x[4q+1] + w[o][4q+3]*x[4q+3]}.
 *
 * <p>Why 16 bits are enough (the whole speed-up rests on it): {@code |w| <= 127} ({@link QuantizedDense}
 * refuses -128) and {@code -128 <= x <= 127}, so {@code |w * x| <= 16256} and {@code |lo|, |hi| <= 32512}:
 * each short lane is exact.
 *
 * <p>Adding both halves to an int accumulator: flipping bit 15 of the lane ({@code u = v ^ 0x8000})
 * turns the low half into {@code lo + 32768}, which lies in {@code [0, 65535]}, so the int lane is
 * exactly {@code u = (lo + 32768) + 65536 * hi} and {@code u >> 16 == hi}. Two int accumulators per
 * output then sum {@code s = sum u} and {@code h = sum hi}, and {@code s - 65536*h + h - 32768*quads} is
 * {@code sum lo + sum hi}: four vector operations per 64 products where sign-extending both halves
 * takes five, three of them shifts that share one port on x86. All of this is int arithmetic modulo
 * 2^32; the true accumulator fits in int32 ({@link QuantizedDense#maxBias}), so the final int is the
 * reference's exactly. The input zero point and the {@code -32768*quads} are folded into the bias:
 * {@code acc = (bias - zp * sum_i w[i] - 32768*quads) + s - 65535*h}.
 *
 * <p>Two blocks of {@code LANES} outputs per pass over the input (four accumulator vectors; three
 * blocks gained under 3%, and with four C2 keeps the eight vectors boxed in the loop, several times
 * slower). The weights
 * of each pass are contiguous and start on a vector-size boundary ({@link AlignedShorts}), so no load
 * straddles two cache lines. Requantization is {@link VectorRequantizer}'s, which also takes a maxout
 * unit's largest piece: here a maxout layer is simply a layer of {@code outputs * pieces} rows. Every vector, of every
 * element type, has the preferred shape: {@link VectorRequantizer} says why mixing shapes is costly.
 */
final class VectorDenseKernel implements DenseKernel {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;
    /** The input, a vector at a time, widened into two short vectors. */
    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED;
    /** Outputs per accumulator vector. */
    private static final int LANES = INTS.length();
    /** Outputs per pass over the input: two blocks of {@link #LANES}. */
    private static final int PASS_OUTPUTS = 2 * LANES;
    /** Shorts of weights per pass, quad and half: two short vectors. */
    private static final int CHUNK = 2 * SHORTS.length();
    private static final IntVector FLIP_BIT_15 = IntVector.broadcast(INTS, 0x8000);

    private final int inputs;
    /** The rows of weights: the layer's outputs, or for maxout its outputs times its pieces. */
    private final int outputs;
    private final int quads;
    /** Passes over two blocks of outputs. */
    private final int fullPasses;
    /** Whether one last block of outputs (at most {@code LANES}) goes in a pass of its own. */
    private final boolean lastBlockAlone;
    /**
     * For pass p, quad q, half h (0: inputs 4q, 4q+1; 1: inputs 4q+2, 4q+3), block b, lane j and k in
     * 0..1, at {@code p * quads * 2 * CHUNK + (q * 2 + h) * chunk + b * SHORTS.length() + 2j + k}: the
     * weight of output {@code p * PASS_OUTPUTS + b * LANES + j} for input {@code 4q + 2h + k} (0 past
     * the layer), where {@code chunk} is {@code CHUNK}, or half of it in the lone last block's pass.
     */
    private final AlignedShorts weights;
    private final VectorRequantizer requantizer;
    /** Per inference: {@code x[2k]} and {@code x[2k+1]} as the low and high short of {@code pairs[k]}. */
    private final int[] pairs;
    private final int[] acc;

    VectorDenseKernel(QuantizedDense layer) {
        inputs = layer.inputs();
        outputs = layer.rows();
        quads = (inputs + 3) / 4;
        fullPasses = outputs / PASS_OUTPUTS;
        int rest = outputs - fullPasses * PASS_OUTPUTS;
        lastBlockAlone = rest > 0 && rest <= LANES;
        int passes = fullPasses + (rest > 0 ? 1 : 0);
        weights = new AlignedShorts(passes * quads * 2 * CHUNK, INTS.vectorByteSize());
        short[] w = weights.array();
        int start = weights.start();
        int[] foldedBias = new int[outputs];
        int inputZeroPoint = layer.inputZeroPoint();
        for (int o = 0; o < outputs; o++) {
            int sum = 0;
            for (int i = 0; i < inputs; i++) {
                byte weight = layer.weight(o, i);
                w[start + weightIndex(i, o)] = weight;
                sum += weight;
            }
            foldedBias[o] = layer.bias()[o] - inputZeroPoint * sum - 32768 * quads;
        }
        requantizer = new VectorRequantizer(layer, foldedBias);
        pairs = new int[2 * quads];
        acc = new int[Math.max(passes * PASS_OUTPUTS, VectorRequantizer.paddedLength(outputs))];
    }

    private int weightIndex(int input, int output) {
        int pass = output / PASS_OUTPUTS;
        int block = output % PASS_OUTPUTS / LANES;
        int lane = output % LANES;
        int quad = input / 4;
        int half = input % 4 / 2;
        int chunk = pass == fullPasses && lastBlockAlone ? CHUNK / 2 : CHUNK;
        return pass * quads * 2 * CHUNK + (quad * 2 + half) * chunk + block * SHORTS.length() + 2 * lane + input % 2;
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
        packPairs(input);
        short[] w = weights.array();
        int start = weights.start();
        int p = 0;
        for (; p < fullPasses; p++) {
            accumulatePass(w, start + p * quads * 2 * CHUNK, p * PASS_OUTPUTS);
        }
        if (lastBlockAlone) {
            accumulateLoneBlock(w, start + p * quads * 2 * CHUNK, p * PASS_OUTPUTS);
        } else if (p * PASS_OUTPUTS < outputs) {
            accumulatePass(w, start + p * quads * 2 * CHUNK, p * PASS_OUTPUTS);
        }
        requantizer.apply(acc, output);
    }

    /** Sign-extends the int8 input to shorts, two to an int: a byte vector's worth at a time. */
    private void packPairs(byte[] input) {
        int step = BYTES.length();
        int i = 0;
        for (; i + step <= inputs; i += step) {
            ByteVector bytes = ByteVector.fromArray(BYTES, input, i);
            ((ShortVector) bytes.convertShape(VectorOperators.B2S, SHORTS, 0)).reinterpretAsInts().intoArray(pairs, i / 2);
            ((ShortVector) bytes.convertShape(VectorOperators.B2S, SHORTS, 1)).reinterpretAsInts().intoArray(pairs, i / 2 + step / 4);
        }
        for (; i < inputs; i += 2) {
            int next = i + 1 < inputs ? input[i + 1] : 0;
            pairs[i / 2] = (input[i] & 0xFFFF) | (next << 16);
        }
    }

    /*
     * The two loops below call nothing but the Vector API (whose methods C2 always inlines): a vector
     * that crosses a call C2 declined to inline (it stops inlining once a compilation grows large) is
     * boxed, and a loop that boxes allocates on every step and runs many times slower.
     */

    /** The accumulators of one pass's two blocks of outputs: see the class comment for the arithmetic. */
    private void accumulatePass(short[] w, int offset, int firstOutput) {
        IntVector s0 = IntVector.zero(INTS);
        IntVector h0 = s0;
        IntVector s1 = s0;
        IntVector h1 = s0;
        int block1 = SHORTS.length();
        for (int q = 0; q < quads; q++, offset += 2 * CHUNK) {
            ShortVector low = IntVector.broadcast(INTS, pairs[2 * q]).reinterpretAsShorts();
            ShortVector high = IntVector.broadcast(INTS, pairs[2 * q + 1]).reinterpretAsShorts();
            // (lo + 32768) + 65536 * hi per int lane, for each block.
            IntVector u0 = ShortVector.fromArray(SHORTS, w, offset).mul(low)
                    .add(ShortVector.fromArray(SHORTS, w, offset + CHUNK).mul(high))
                    .reinterpretAsInts().lanewise(VectorOperators.XOR, FLIP_BIT_15);
            IntVector u1 = ShortVector.fromArray(SHORTS, w, offset + block1).mul(low)
                    .add(ShortVector.fromArray(SHORTS, w, offset + block1 + CHUNK).mul(high))
                    .reinterpretAsInts().lanewise(VectorOperators.XOR, FLIP_BIT_15);
            s0 = s0.add(u0);
            h0 = h0.add(u0.lanewise(VectorOperators.ASHR, 16));
            s1 = s1.add(u1);
            h1 = h1.add(u1.lanewise(VectorOperators.ASHR, 16));
        }
        // s - 65535*h: the sum of both halves, before the folded bias.
        s0.add(h0.mul(-65535)).intoArray(acc, firstOutput);
        s1.add(h1.mul(-65535)).intoArray(acc, firstOutput + LANES);
    }

    /** The last block of outputs when it is alone in its pass: the same with half the vectors. */
    private void accumulateLoneBlock(short[] w, int offset, int firstOutput) {
        IntVector s = IntVector.zero(INTS);
        IntVector h = s;
        int halfStride = CHUNK / 2;
        for (int q = 0; q < quads; q++, offset += CHUNK) {
            IntVector u = ShortVector.fromArray(SHORTS, w, offset)
                    .mul(IntVector.broadcast(INTS, pairs[2 * q]).reinterpretAsShorts())
                    .add(ShortVector.fromArray(SHORTS, w, offset + halfStride)
                            .mul(IntVector.broadcast(INTS, pairs[2 * q + 1]).reinterpretAsShorts()))
                    .reinterpretAsInts().lanewise(VectorOperators.XOR, FLIP_BIT_15);
            s = s.add(u);
            h = h.add(u.lanewise(VectorOperators.ASHR, 16));
        }
        s.add(h.mul(-65535)).intoArray(acc, firstOutput);
    }
}
