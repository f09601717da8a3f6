package org.edgeml.core.model;

import java.util.Objects;

/**
 * A sliding window over an NHWC input, as convolutions and pools use it: a
 * {@code kernelHeight x kernelWidth} window moved by {@code strideHeight}/{@code strideWidth}, with
 * TensorFlow's padding rules (TFLite's {@code ComputePaddingHeightWidth} with dilation 1):
 *
 * <pre>
 *   VALID: out = (in - kernel) / stride + 1   (integer division; kernel <= in)   pad = 0
 *   SAME:  out = ceil(in / stride)                  pad = max((out - 1) * stride + kernel - in, 0) / 2
 * </pre>
 *
 * {@code pad} is the padding before the first row (column); an odd total puts the extra row after the
 * last. Output pixel {@code (oy, ox)} covers input rows {@code oy * strideHeight - padTop + ky}, columns
 * {@code ox * strideWidth - padLeft + kx}; positions outside the input are padding.
 */
public record Window(Shape input, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, Padding padding) {
    public static final int MAX_KERNEL = 255;
    public static final int MAX_STRIDE = 255;

    public Window {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(padding, "padding");
        if (kernelHeight < 1 || kernelWidth < 1 || kernelHeight > MAX_KERNEL || kernelWidth > MAX_KERNEL) {
            throw new IllegalArgumentException("kernel " + kernelHeight + "x" + kernelWidth + " is impossible: each side must be 1.." + MAX_KERNEL);
        }
        if (strideHeight < 1 || strideWidth < 1 || strideHeight > MAX_STRIDE || strideWidth > MAX_STRIDE) {
            throw new IllegalArgumentException("stride " + strideHeight + "x" + strideWidth + " is impossible: each side must be 1.." + MAX_STRIDE);
        }
        if (padding == Padding.VALID && (kernelHeight > input.height() || kernelWidth > input.width())) {
            throw new IllegalArgumentException("kernel " + kernelHeight + "x" + kernelWidth + " is larger than the "
                    + input + " input: valid padding needs kernel <= input");
        }
    }

    public int outputHeight() {
        return outputSide(input.height(), kernelHeight, strideHeight);
    }

    public int outputWidth() {
        return outputSide(input.width(), kernelWidth, strideWidth);
    }

    /** Padding rows before the first input row. */
    public int padTop() {
        return padBefore(input.height(), outputHeight(), kernelHeight, strideHeight);
    }

    /** Padding columns before the first input column. */
    public int padLeft() {
        return padBefore(input.width(), outputWidth(), kernelWidth, strideWidth);
    }

    /** The output shape for {@code channels} output channels. */
    public Shape output(int channels) {
        return new Shape(outputHeight(), outputWidth(), channels);
    }

    private int outputSide(int in, int kernel, int stride) {
        return padding == Padding.VALID ? (in - kernel) / stride + 1 : (in + stride - 1) / stride;
    }

    private int padBefore(int in, int out, int kernel, int stride) {
        return padding == Padding.VALID ? 0 : Math.max((out - 1) * stride + kernel - in, 0) / 2;
    }

    @Override
    public String toString() {
        return kernelHeight + "x" + kernelWidth + " stride " + strideHeight + "x" + strideWidth + " "
                + padding.name().toLowerCase(java.util.Locale.ROOT) + " over " + input;
    }
}
