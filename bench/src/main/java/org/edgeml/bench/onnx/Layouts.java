package org.edgeml.bench.onnx;

import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;

/**
 * What edgeml's NHWC layers become in ONNX's NCHW: weight orders and window attributes, shared by the
 * int8 and the float export.
 */
final class Layouts {
    private Layouts() {}

    /**
     * For each index of ONNX's OIHW conv weights ({@code [O][C][kh][kw]}), the index of the same weight in
     * edgeml's OHWI ({@code [O][kh][kw][C]}).
     */
    static int[] oihwFromOhwi(int outputChannels, int kernelHeight, int kernelWidth, int inputChannels) {
        int k = kernelHeight * kernelWidth;
        int[] source = new int[outputChannels * k * inputChannels];
        for (int o = 0; o < outputChannels; o++) {
            for (int c = 0; c < inputChannels; c++) {
                for (int s = 0; s < k; s++) {
                    source[(o * inputChannels + c) * k + s] = (o * k + s) * inputChannels + c;
                }
            }
        }
        return source;
    }

    /**
     * For each index of ONNX's grouped depthwise weights ({@code [C][1][kh][kw]}), the index of the same
     * weight in edgeml's {@code [kh][kw][C]}.
     */
    static int[] groupedFromDepthwise(int kernelHeight, int kernelWidth, int channels) {
        int k = kernelHeight * kernelWidth;
        int[] source = new int[k * channels];
        for (int c = 0; c < channels; c++) {
            for (int s = 0; s < k; s++) {
                source[c * k + s] = s * channels + c;
            }
        }
        return source;
    }

    static byte[] permute(byte[] values, int[] source) {
        byte[] out = new byte[source.length];
        for (int i = 0; i < source.length; i++) {
            out[i] = values[source[i]];
        }
        return out;
    }

    static float[] permute(float[] values, int[] source) {
        float[] out = new float[source.length];
        for (int i = 0; i < source.length; i++) {
            out[i] = values[source[i]];
        }
        return out;
    }

    /**
     * {@code kernel_shape}, {@code strides} and {@code pads} (top, left, bottom, right) of a window: TensorFlow's
     * same padding puts {@code padTop}/{@code padLeft} before and the rest of the total after.
     */
    static Protobuf[] window(Window w) {
        long[] pads = {0, 0, 0, 0};
        if (w.padding() == Padding.SAME) {
            Shape in = w.input();
            int totalH = Math.max((w.outputHeight() - 1) * w.strideHeight() + w.kernelHeight() - in.height(), 0);
            int totalW = Math.max((w.outputWidth() - 1) * w.strideWidth() + w.kernelWidth() - in.width(), 0);
            pads = new long[] {w.padTop(), w.padLeft(), totalH - w.padTop(), totalW - w.padLeft()};
        }
        return new Protobuf[] {
            OnnxGraph.intsAttribute("kernel_shape", w.kernelHeight(), w.kernelWidth()),
            OnnxGraph.intsAttribute("strides", w.strideHeight(), w.strideWidth()),
            OnnxGraph.intsAttribute("pads", pads)};
    }

    /** Reshapes a flat NHWC input {@code [batch, H*W*C]} to NCHW; returns the NCHW tensor's name. */
    static String nchwInput(OnnxGraph g, String input, Shape shape) {
        g.longs("input_nhwc_shape", new long[] {-1, shape.height(), shape.width(), shape.channels()}, 4);
        g.node("Reshape", java.util.List.of(input, "input_nhwc_shape"), "input_nhwc");
        g.node("Transpose", java.util.List.of("input_nhwc"), "input_nchw", OnnxGraph.intsAttribute("perm", 0, 3, 1, 2));
        return "input_nchw";
    }

    /** Flattens an NCHW tensor in NHWC order to {@code [batch, H*W*C]}; returns the flat tensor's name. */
    static String flattenNhwc(OnnxGraph g, String in, Shape shape, String p) {
        g.node("Transpose", java.util.List.of(in), p + "nhwc", OnnxGraph.intsAttribute("perm", 0, 2, 3, 1));
        g.longs(p + "shape", new long[] {-1, shape.size()}, 2);
        g.node("Reshape", java.util.List.of(p + "nhwc", p + "shape"), p + "out");
        return p + "out";
    }
}
