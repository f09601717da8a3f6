package org.edgeml.core.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDense;
import org.edgeml.core.model.Requantization;

/**
 * The fast int8 conv2d kernel on the Vector API, bit for bit the same as {@link ScalarConv2DKernel}:
 * one matrix product per frame, {@code patches [pixels][terms] x weights [terms][outputChannels]}, in
 * float32 fused multiply-adds whose result is the reference's integer accumulator exactly. Only
 * {@link FeatureKernels} names this class, by reflection, so a JVM without the module never links it.
 *
 * <p>Why float is exact (the whole speed-up rests on it): the product takes {@code x - inputZeroPoint}
 * (in {@code [-255, 255]}) and a weight ({@code |w| <= 127}, the model refuses -128), so every product
 * is an integer of magnitude at most {@code 127 * 255 = 32385}, and every partial sum of at most
 * {@value #MAX_TERMS} of them is an integer of magnitude below {@code 2^24}. float32 represents every
 * such integer, so each multiply-add (fused or not) rounds nothing and the float sum is the integer
 * sum. Windows of more terms go in chunks of at most {@value #MAX_TERMS}, each chunk's exact sum
 * converted to int and added in int arithmetic, as the bias is (by {@link VectorRequantizer}, the dense
 * kernel's requantization: the same bytes as {@link Requantizer}). Padding positions hold
 * {@code 0 = zeroPoint - zeroPoint}, exactly what the reference's skipping contributes.
 *
 * <p>Per frame: the input, minus its zero point, goes to floats once; each output pixel's window is
 * copied from it into a row of patches, a window row at a time; then a register-blocked product takes
 * {@value #PIXELS} pixels by two vectors of output channels (eight float accumulators; per term two
 * weight loads, four broadcasts, eight FMAs) over weights laid out at prepare time in panels of
 * {@code [terms][2 * LANES]}. The sums go to ints in a plain loop: JDK 17's C2 has no AVX2 vector
 * float-to-int conversion, and the Vector API's falls back to Java code that allocates. Padding entries of the patches and the rows past the last pixel stay 0
 * from prepare time; every buffer is sized here, so {@link #apply} allocates nothing.
 */
final class VectorConv2DKernel implements LayerKernel {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = FLOATS.length();
    /** Output channels per panel: two vectors. */
    private static final int PANEL = 2 * LANES;
    /** Output pixels per block of the product. */
    private static final int PIXELS = 4;
    /** The most terms whose float sum stays exact: {@code MAX_TERMS * 127 * 255 < 2^24}. */
    static final int MAX_TERMS = (1 << 24) / (127 * 255);

    private final WindowGeometry g;
    private final int outputChannels;
    private final int terms;
    private final int pixels;
    private final int pixelBlocks;
    private final int panels;
    /** The row length of {@link #sums}: the output channels padded to whole panels. */
    private final int accRow;
    private final int inputZeroPoint;
    /** For panel p, term k, lane j, at {@code (p * terms + k) * PANEL + j}: the weight of output {@code p * PANEL + j} (0 past the layer). */
    private final float[] weights;
    private final VectorRequantizer requantizer;
    /** Per frame: the input minus its zero point. */
    private final float[] image;
    /** Per frame: pixel p's window at {@code p * terms}, in the order of a row of OHWI weights. */
    private final float[] patches;
    /** Per frame and chunk of terms: the exact float sums, pixel p's at {@code p * accRow}. */
    private final float[] sums;
    /** Per frame, for windows of several chunks: the chunks but the last summed, laid out as {@link #sums}; else empty. */
    private final int[] acc;
    /** Per pixel: its accumulators (bias not added), {@link VectorRequantizer}'s input, and its outputs. */
    private final int[] pixelAcc;
    private final byte[] pixelOut;

    VectorConv2DKernel(QuantizedConv2D layer) {
        g = new WindowGeometry(layer.window());
        outputChannels = layer.outputChannels();
        terms = g.kernelHeight * g.kernelWidth * g.inputChannels;
        pixels = g.outputHeight * g.outputWidth;
        pixelBlocks = (pixels + PIXELS - 1) / PIXELS;
        panels = (outputChannels + PANEL - 1) / PANEL;
        accRow = Math.max(panels * PANEL, VectorRequantizer.paddedLength(outputChannels));
        inputZeroPoint = layer.input().zeroPoint();
        weights = new float[panels * terms * PANEL];
        byte[] ohwi = layer.weights();
        for (int o = 0; o < outputChannels; o++) {
            for (int k = 0; k < terms; k++) {
                weights[((o / PANEL) * terms + k) * PANEL + o % PANEL] = ohwi[o * terms + k];
            }
        }
        Requantization r = layer.requantization();
        QuantizedDense asDense = new QuantizedDense(terms, outputChannels, r.activation(), layer.weights(),
                layer.weightScales(), layer.bias(), r.multiplier(), r.shift(),
                layer.input().scale(), layer.input().zeroPoint(), r.preActivation().scale(), r.preActivation().zeroPoint(),
                r.output().scale(), r.output().zeroPoint(), r.clampMin(), r.clampMax(), r.lookupTable());
        requantizer = new VectorRequantizer(asDense, layer.bias());
        image = new float[g.inputHeight * g.inputWidth * g.inputChannels];
        patches = new float[pixelBlocks * PIXELS * terms];
        sums = new float[pixelBlocks * PIXELS * accRow];
        acc = new int[terms > MAX_TERMS ? sums.length : 0];
        pixelAcc = new int[accRow];
        pixelOut = new byte[outputChannels];
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void apply(byte[] input, byte[] output) {
        for (int i = 0; i < image.length; i++) {
            image[i] = input[i] - inputZeroPoint;
        }
        gatherPatches();
        for (int from = 0; from < terms; from += MAX_TERMS) {
            int to = Math.min(terms, from + MAX_TERMS);
            for (int b = 0; b < pixelBlocks; b++) {
                for (int p = 0; p < panels; p++) {
                    multiplyBlock(b, p, from, to);
                }
            }
            if (to < terms) {
                addChunk(from == 0);
            }
        }
        boolean chunked = terms > MAX_TERMS;
        for (int pixel = 0, at = 0; pixel < pixels; pixel++, at += accRow) {
            if (chunked) {
                for (int o = 0; o < outputChannels; o++) {
                    pixelAcc[o] = acc[at + o] + (int) sums[at + o];
                }
            } else {
                for (int o = 0; o < outputChannels; o++) {
                    pixelAcc[o] = (int) sums[at + o];
                }
            }
            requantizer.apply(pixelAcc, pixelOut);
            System.arraycopy(pixelOut, 0, output, pixel * outputChannels, outputChannels);
        }
    }

    /** Adds a chunk's exact sums, as ints, to {@link #acc} (or sets it, for the first chunk). */
    private void addChunk(boolean first) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] = (first ? 0 : acc[i]) + (int) sums[i];
        }
    }

    /** Copies each output pixel's window inside the input into its row of patches (padding entries stay 0). */
    private void gatherPatches() {
        int rowTerms = g.kernelWidth * g.inputChannels;
        int pixel = 0;
        for (int oy = 0; oy < g.outputHeight; oy++) {
            int originY = oy * g.strideHeight - g.padTop;
            int yStart = Math.max(0, -originY);
            int yEnd = Math.min(g.kernelHeight, g.inputHeight - originY);
            for (int ox = 0; ox < g.outputWidth; ox++, pixel++) {
                int originX = ox * g.strideWidth - g.padLeft;
                int xStart = Math.max(0, -originX);
                int xEnd = Math.min(g.kernelWidth, g.inputWidth - originX);
                int length = (xEnd - xStart) * g.inputChannels;
                for (int ky = yStart; ky < yEnd; ky++) {
                    int from = ((originY + ky) * g.inputWidth + originX + xStart) * g.inputChannels;
                    int to = pixel * terms + ky * rowTerms + xStart * g.inputChannels;
                    if (length < 16) { // a call costs more than a few floats (3 for a 3x3 window on grey)
                        for (int i = 0; i < length; i++) {
                            patches[to + i] = image[from + i];
                        }
                    } else {
                        System.arraycopy(image, from, patches, to, length);
                    }
                }
            }
        }
    }

    /*
     * The loop below calls nothing but the Vector API (whose methods C2 always inlines): see
     * VectorDenseKernel on why a vector must never cross a call C2 might not inline.
     */

    /** Terms {@code [from, to)} of pixel block {@code block} by panel {@code panel}, their exact float sums into {@link #sums}. */
    private void multiplyBlock(int block, int panel, int from, int to) {
        float[] w = weights;
        float[] x = patches;
        int row0 = block * PIXELS * terms;
        int row1 = row0 + terms;
        int row2 = row1 + terms;
        int row3 = row2 + terms;
        int wi = (panel * terms + from) * PANEL;
        FloatVector c00 = FloatVector.zero(FLOATS);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int k = from; k < to; k++, wi += PANEL) {
            FloatVector w0 = FloatVector.fromArray(FLOATS, w, wi);
            FloatVector w1 = FloatVector.fromArray(FLOATS, w, wi + LANES);
            FloatVector x0 = FloatVector.broadcast(FLOATS, x[row0 + k]);
            c00 = w0.fma(x0, c00);
            c01 = w1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(FLOATS, x[row1 + k]);
            c10 = w0.fma(x1, c10);
            c11 = w1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(FLOATS, x[row2 + k]);
            c20 = w0.fma(x2, c20);
            c21 = w1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(FLOATS, x[row3 + k]);
            c30 = w0.fma(x3, c30);
            c31 = w1.fma(x3, c31);
        }
        float[] out = sums;
        int at = block * PIXELS * accRow + panel * PANEL;
        c00.intoArray(out, at);
        c01.intoArray(out, at + LANES);
        at += accRow;
        c10.intoArray(out, at);
        c11.intoArray(out, at + LANES);
        at += accRow;
        c20.intoArray(out, at);
        c21.intoArray(out, at + LANES);
        at += accRow;
        c30.intoArray(out, at);
        c31.intoArray(out, at + LANES);
    }
}
