package org.edgeml.bench.onnx;

import java.util.List;
import org.edgeml.bench.onnx.OnnxGraph.DataType;
import org.edgeml.core.model.AveragePool2D;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Flatten;
import org.edgeml.core.model.GlobalAveragePool;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDepthwiseConv2D;
import org.edgeml.core.model.Requantization;
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
 * Padding is TensorFlow's ({@link Layouts#window}). QLinearConv is ONNX's own integer convolution, so ORT needs no fusion to run it integer-only.
 */
final class FeatureLayers {
    private FeatureLayers() {}

    /** Emits {@code layer} reading uint8 NCHW {@code in}; returns the name of its output. */
    static String emit(OnnxGraph g, FeatureLayer layer, String p, String in) {
        if (layer instanceof QuantizedConv2D conv) {
            Window w = conv.window();
            byte[] oihw = Layouts.permute(conv.weights(),
                    Layouts.oihwFromOhwi(conv.outputChannels(), w.kernelHeight(), w.kernelWidth(), w.input().channels()));
            return conv(g, w, conv.outputChannels(), 1, oihw, conv.weightScales(), conv.bias(),
                    conv.input(), conv.requantization(), p, in);
        } else if (layer instanceof QuantizedDepthwiseConv2D dw) {
            int channels = dw.inputShape().channels();
            byte[] grouped = Layouts.permute(dw.weights(),
                    Layouts.groupedFromDepthwise(dw.window().kernelHeight(), dw.window().kernelWidth(), channels));
            return conv(g, dw.window(), channels, channels, grouped, dw.weightScales(), dw.bias(),
                    dw.input(), dw.requantization(), p, in);
        } else if (layer instanceof MaxPool2D pool) {
            g.node("MaxPool", List.of(in), p + "out", Layouts.window(pool.window()));
            return p + "out";
        } else if (layer instanceof AveragePool2D pool) {
            quantParams(g, p + "q", pool.quant());
            Protobuf[] w = Layouts.window(pool.window());
            g.node("com.microsoft", "QLinearAveragePool", List.of(in, p + "q_scale", p + "q_zp", p + "q_scale", p + "q_zp"),
                    p + "out", w[0], w[1], w[2], OnnxGraph.intAttribute("count_include_pad", 0));
            return p + "out";
        } else if (layer instanceof GlobalAveragePool pool) {
            quantParams(g, p + "q", pool.quant());
            g.node("com.microsoft", "QLinearGlobalAveragePool", List.of(in, p + "q_scale", p + "q_zp", p + "q_scale", p + "q_zp"),
                    p + "out", OnnxGraph.intAttribute("channels_last", 0));
            return p + "out";
        } else if (layer instanceof Flatten flatten) {
            return Layouts.flattenNhwc(g, in, flatten.inputShape(), p);
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
        Protobuf[] w = Layouts.window(window);
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
}
