package org.edgeml.bench.onnx;

import java.util.List;
import org.edgeml.bench.onnx.OnnxGraph.DataType;
import org.edgeml.core.model.AveragePool2D;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Flatten;
import org.edgeml.core.model.GlobalAveragePool;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDepthwiseConv2D;
import org.edgeml.core.model.Requantization;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;

/**
 * The ONNX nodes of each feature layer kind, reading and writing uint8 NCHW tensors (edgeml's int8 +
 * 128, zero points + 128):
 *
 * <pre>
 *   conv2d            QLinearConv (weights OHWI -> OIHW, int8, per-channel scales, zero point 0; int32 bias)
 *   depthwise conv2d  QLinearConv with group = C (weights [kh][kw][C] -> [C][1][kh][kw])
 *                     both then Clip to a ReLU clamp narrower than [0, 255], or Cast + Gather through
 *                     a lookup-table activation's table (QLinearConv quantizing to the pre-activation)
 *   max pool          MaxPool (on uint8: no arithmetic)
 *   average pool      com.microsoft QLinearAveragePool (count_include_pad 0, as TFLite)
 *   global avg pool   com.microsoft QLinearGlobalAveragePool
 *   flatten           Transpose to NHWC, Reshape to [batch, H*W*C]
 * </pre>
 *
 * Padding is TensorFlow's: {@code pads} holds the window's padTop/padLeft before and the rest of the
 * total after. QLinearConv is ONNX's own integer convolution, so ORT needs no fusion to run it integer-only.
 */
final class FeatureLayers {
    private FeatureLayers() {}

    /** Emits {@code layer} reading uint8 NCHW {@code in}; returns the name of its output. */
    static String emit(OnnxGraph g, FeatureLayer layer, String p, String in) {
        if (layer instanceof QuantizedConv2D conv) {
            return conv(g, conv.window(), conv.outputChannels(), 1, oihw(conv), conv.weightScales(), conv.bias(),
                    conv.input(), conv.requantization(), p, in);
        } else if (layer instanceof QuantizedDepthwiseConv2D dw) {
            int channels = dw.inputShape().channels();
            return conv(g, dw.window(), channels, channels, depthwiseOihw(dw), dw.weightScales(), dw.bias(),
                    dw.input(), dw.requantization(), p, in);
        } else if (layer instanceof MaxPool2D pool) {
            g.node("MaxPool", List.of(in), p + "out", window(pool.window()));
            return p + "out";
        } else if (layer instanceof AveragePool2D pool) {
            quantParams(g, p + "q", pool.quant());
            Protobuf[] w = window(pool.window());
            g.node("com.microsoft", "QLinearAveragePool", List.of(in, p + "q_scale", p + "q_zp", p + "q_scale", p + "q_zp"),
                    p + "out", w[0], w[1], w[2], OnnxGraph.intAttribute("count_include_pad", 0));
            return p + "out";
        } else if (layer instanceof GlobalAveragePool pool) {
            quantParams(g, p + "q", pool.quant());
            g.node("com.microsoft", "QLinearGlobalAveragePool", List.of(in, p + "q_scale", p + "q_zp", p + "q_scale", p + "q_zp"),
                    p + "out", OnnxGraph.intAttribute("channels_last", 0));
            return p + "out";
        } else if (layer instanceof Flatten flatten) {
            g.node("Transpose", List.of(in), p + "nhwc", OnnxGraph.intsAttribute("perm", 0, 2, 3, 1));
            g.longs(p + "shape", new long[] {-1, flatten.inputShape().size()}, 2);
            g.node("Reshape", List.of(p + "nhwc", p + "shape"), p + "out");
            return p + "out";
        }
        throw new IllegalArgumentException("the ONNX export has no nodes for " + layer.kind());
    }

    private static String conv(OnnxGraph g, Window window, int outputChannels, int group, byte[] oihw, float[] weightScales,
                               int[] bias, QuantParams input, Requantization r, String p, String in) {
        int inputsPerGroup = window.input().channels() / group;
        quantParams(g, p + "x", input);
        g.bytes(p + "w", DataType.INT8, oihw, outputChannels, inputsPerGroup, window.kernelHeight(), window.kernelWidth());
        g.floats(p + "w_scale", weightScales, outputChannels);
        g.bytes(p + "w_zp", DataType.INT8, new byte[outputChannels], outputChannels);
        quantParams(g, p + "y", r.preActivation());
        g.ints(p + "b", bias, outputChannels);
        Protobuf[] w = window(window);
        String conv = p + "conv";
        g.node("QLinearConv", List.of(in, p + "x_scale", p + "x_zp", p + "w", p + "w_scale", p + "w_zp", p + "y_scale",
                p + "y_zp", p + "b"), conv, w[0], w[1], w[2], OnnxGraph.intAttribute("group", group));
        if (r.lookupTable() != null) {
            QdqOnnxExport.lookUp(g, r.lookupTable(), p, conv, p + "out");
            return p + "out";
        }
        if (r.clampMin() == -128 && r.clampMax() == 127) {
            return conv;
        }
        g.bytes(p + "min", DataType.UINT8, new byte[] {QdqOnnxExport.shifted(r.clampMin())});
        g.bytes(p + "max", DataType.UINT8, new byte[] {QdqOnnxExport.shifted(r.clampMax())});
        g.node("Clip", List.of(conv, p + "min", p + "max"), p + "out");
        return p + "out";
    }

    private static void quantParams(OnnxGraph g, String p, QuantParams q) {
        g.floats(p + "_scale", new float[] {q.scale()});
        g.bytes(p + "_zp", DataType.UINT8, new byte[] {QdqOnnxExport.shifted(q.zeroPoint())});
    }

    /** {@code kernel_shape}, {@code strides} and {@code pads} (top, left, bottom, right) of a window. */
    private static Protobuf[] window(Window w) {
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

    /** conv2d weights from edgeml's OHWI to ONNX's OIHW. */
    private static byte[] oihw(QuantizedConv2D conv) {
        Window w = conv.window();
        int c = w.input().channels();
        int k = w.kernelHeight() * w.kernelWidth();
        byte[] out = new byte[conv.weights().length];
        for (int o = 0; o < conv.outputChannels(); o++) {
            for (int i = 0; i < c; i++) {
                for (int s = 0; s < k; s++) {
                    out[(o * c + i) * k + s] = conv.weights()[(o * k + s) * c + i];
                }
            }
        }
        return out;
    }

    /** depthwise weights from edgeml's {@code [kh][kw][C]} to ONNX's grouped {@code [C][1][kh][kw]}. */
    private static byte[] depthwiseOihw(QuantizedDepthwiseConv2D dw) {
        int c = dw.inputShape().channels();
        int k = dw.window().kernelHeight() * dw.window().kernelWidth();
        byte[] out = new byte[dw.weights().length];
        for (int ch = 0; ch < c; ch++) {
            for (int s = 0; s < k; s++) {
                out[ch * k + s] = dw.weights()[s * c + ch];
            }
        }
        return out;
    }
}
