package org.edgeml.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.edgeml.core.model.Activation;
import org.edgeml.core.model.AveragePool2D;
import org.edgeml.core.model.GlobalAveragePool;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDepthwiseConv2D;
import org.edgeml.core.model.Requantization;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.junit.jupiter.api.Test;

/**
 * The reference feature kernels on small cases computed by hand (the sums are written out in the
 * comments). The input is the 4x4 grid 1..16, row by row; the filter is Sobel-x
 * {@code [1 0 -1; 2 0 -2; 1 0 -1]} (TFLite convolves without flipping: cross-correlation).
 * Multiplier {@code (2^30, 0)} is exactly 0.5 and {@code (2^30, -1)} exactly 0.25.
 */
class FeatureKernelsTest {
    private static final Shape GRID_SHAPE = new Shape(4, 4, 1);
    private static final byte[] SOBEL_X = {1, 0, -1, 2, 0, -2, 1, 0, -1};
    private static final int HALF = 1 << 30;

    private static byte[] grid(int zeroPoint) {
        byte[] g = new byte[16];
        for (int i = 0; i < 16; i++) {
            g[i] = (byte) (i + 1 + zeroPoint);
        }
        return g;
    }

    private static QuantizedConv2D sobel(Padding padding, int stride, int inputZeroPoint, int bias,
                                         Activation activation, int outputZeroPoint) {
        QuantParams out = new QuantParams(0.5f, outputZeroPoint);
        int clampMin = activation == Activation.RELU ? outputZeroPoint : -128;
        Requantization r = new Requantization(activation, new int[] {HALF}, new int[] {0}, out, out, clampMin, 127, null);
        return new QuantizedConv2D(new Window(GRID_SHAPE, 3, 3, stride, stride, padding), 1, SOBEL_X,
                new float[] {1f}, new int[] {bias}, new QuantParams(1f, inputZeroPoint), r);
    }

    private static byte[] run(LayerKernel kernel, byte[] input, int outputs) {
        byte[] out = new byte[outputs];
        kernel.apply(input, out);
        return out;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void conv2dSamePaddingStride1() {
        // accumulators (padding rows/columns contribute nothing):
        //  -10  -6  -6  13
        //  -24  -8  -8  28
        //  -40  -8  -8  44
        //  -38  -6  -6  41
        // times 0.5, ties toward +infinity (SaturatingRoundingDoublingHighMul): 6.5 -> 7, 20.5 -> 21
        byte[] expected = bytes(-5, -3, -3, 7, -12, -4, -4, 14, -20, -4, -4, 22, -19, -3, -3, 21);
        assertArrayEquals(expected, run(new ScalarConv2DKernel(sobel(Padding.SAME, 1, 0, 0, Activation.IDENTITY, 0)), grid(0), 16));
    }

    @Test
    void conv2dValidPaddingStride1And2() {
        // the four interior windows all give -8 -> -4; stride 2 keeps only the first
        assertArrayEquals(bytes(-4, -4, -4, -4),
                run(new ScalarConv2DKernel(sobel(Padding.VALID, 1, 0, 0, Activation.IDENTITY, 0)), grid(0), 4));
        assertArrayEquals(bytes(-4), run(new ScalarConv2DKernel(sobel(Padding.VALID, 2, 0, 0, Activation.IDENTITY, 0)), grid(0), 1));
    }

    @Test
    void conv2dSamePaddingStride2PadsAfterWhenTheTotalIsOdd() {
        // out = ceil(4/2) = 2, total padding (2-1)*2 + 3 - 4 = 1: none before, one row/column after, so
        // the windows are centred on (1,1), (1,3), (3,1), (3,3): -8, 28, -6, 41 -> -4, 14, -3, 21
        assertArrayEquals(bytes(-4, 14, -3, 21),
                run(new ScalarConv2DKernel(sobel(Padding.SAME, 2, 0, 0, Activation.IDENTITY, 0)), grid(0), 4));
    }

    @Test
    void conv2dSubtractsTheInputZeroPointAddsBiasAndClampsForRelu() {
        // input stored with zero point -5 (same reals); bias 4 adds 2 after scaling; output zero point 10;
        // ReLU clamps at the output zero point: accumulators -4, 32, -2, 45 -> -2, 16, -1, 22.5 -> 23
        QuantizedConv2D layer = sobel(Padding.SAME, 2, -5, 4, Activation.RELU, 10);
        assertArrayEquals(bytes(10, 26, 10, 33), run(new ScalarConv2DKernel(layer), grid(-5), 4));
    }

    @Test
    void conv2dMixesInputChannelsPerOutputChannel() {
        // 1x1 kernel over 2 input channels, 2 output channels (OHWI weights [o][c]): y0 = 2*a - b, y1 = b,
        // multiplier 1 (2^30 with shift 1): pixel (a, b) = (3, 5) -> (1, 5); (-4, 7) -> (-15, 7)
        Shape in = new Shape(1, 2, 2);
        QuantParams q = new QuantParams(1f, 0);
        Requantization r = new Requantization(Activation.IDENTITY, new int[] {HALF, HALF}, new int[] {1, 1}, q, q, -128, 127, null);
        QuantizedConv2D layer = new QuantizedConv2D(new Window(in, 1, 1, 1, 1, Padding.VALID), 2, bytes(2, -1, 0, 1),
                new float[] {1f, 1f}, new int[] {0, 0}, q, r);
        assertArrayEquals(bytes(1, 5, -15, 7), run(new ScalarConv2DKernel(layer), bytes(3, 5, -4, 7), 4));
    }

    @Test
    void depthwiseConvFiltersEachChannelWithItsOwnFilterAndMultiplier() {
        // channel 0: the grid with Sobel-x times 0.5; channel 1: the negated grid with all-ones times 0.25.
        // Same padding, stride 2 (windows at rows/columns 0..2 and 2..3, see above).
        // channel 0: -4, 14, -3, 21 (as conv2d); channel 1 sums: -54, -45, -72, -54;
        // times 0.25 = round(round(x/2)/2): -54 -> -27 -> -13.5 -> -14 (away from zero); -45 -> -22.5 -> -22 -> -11;
        // -72 -> -18; -54 -> -14
        Shape in = new Shape(4, 4, 2);
        byte[] input = new byte[32];
        for (int i = 0; i < 16; i++) {
            input[2 * i] = (byte) (i + 1);
            input[2 * i + 1] = (byte) -(i + 1);
        }
        byte[] weights = new byte[18];
        for (int k = 0; k < 9; k++) {
            weights[2 * k] = SOBEL_X[k];
            weights[2 * k + 1] = 1;
        }
        QuantParams q = new QuantParams(1f, 0);
        Requantization r = new Requantization(Activation.IDENTITY, new int[] {HALF, HALF}, new int[] {0, -1}, q, q, -128, 127, null);
        QuantizedDepthwiseConv2D layer = new QuantizedDepthwiseConv2D(new Window(in, 3, 3, 2, 2, Padding.SAME), weights,
                new float[] {1f, 1f}, new int[] {0, 0}, q, r);
        assertArrayEquals(bytes(-4, -14, 14, -11, -3, -18, 21, -14), run(new ScalarDepthwiseConv2DKernel(layer), input, 8));
    }

    @Test
    void maxPoolIgnoresPadding() {
        // the grid minus 20 (-19..-4), 3x3 stride 2 same: windows rows/cols {0..2, 2..3}: maxima of
        // 11, 12, 15, 16 minus 20; padding (were it 0 or -128) must not win
        QuantParams q = new QuantParams(1f, 0);
        MaxPool2D pool = new MaxPool2D(new Window(GRID_SHAPE, 3, 3, 2, 2, Padding.SAME), q);
        assertArrayEquals(bytes(-9, -8, -5, -4), run(new MaxPoolKernel(pool), grid(-20), 4));
        MaxPool2D valid = new MaxPool2D(new Window(GRID_SHAPE, 2, 2, 2, 2, Padding.VALID), q);
        assertArrayEquals(bytes(6, 8, 14, 16), run(new MaxPoolKernel(valid), grid(0), 4));
    }

    @Test
    void averagePoolRoundsHalvesAwayFromZeroAndDoesNotCountPadding() {
        QuantParams q = new QuantParams(1f, 0);
        // 2x2 stride 2 valid: 14/4 = 3.5 -> 4, 22/4 = 5.5 -> 6, 46/4 = 11.5 -> 12, 54/4 = 13.5 -> 14
        AveragePool2D valid = new AveragePool2D(new Window(GRID_SHAPE, 2, 2, 2, 2, Padding.VALID), q);
        assertArrayEquals(bytes(4, 6, 12, 14), run(new AveragePoolKernel(valid), grid(0), 4));
        // 3x3 stride 2 same over the grid minus 20: in-input counts 9, 6, 6, 4;
        // sums -126, -75, -48, -26: -14, -12.5 -> -13, -8, -6.5 -> -7
        AveragePool2D same = new AveragePool2D(new Window(GRID_SHAPE, 3, 3, 2, 2, Padding.SAME), q);
        assertArrayEquals(bytes(-14, -13, -8, -7), run(new AveragePoolKernel(same), grid(-20), 4));
    }

    @Test
    void globalAveragePoolAveragesEachChannel() {
        // channel 0: 1..16, sum 136, 8.5 -> 9; channel 1: -1..-16, -8.5 -> -9; channel 2: all 3
        byte[] input = new byte[48];
        for (int i = 0; i < 16; i++) {
            input[3 * i] = (byte) (i + 1);
            input[3 * i + 1] = (byte) -(i + 1);
            input[3 * i + 2] = 3;
        }
        GlobalAveragePool pool = new GlobalAveragePool(new Shape(4, 4, 3), new QuantParams(1f, 0));
        assertArrayEquals(bytes(9, -9, 3), run(new GlobalAveragePoolKernel(pool), input, 3));
    }
}
