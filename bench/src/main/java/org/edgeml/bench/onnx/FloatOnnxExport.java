package org.edgeml.bench.onnx;

import java.util.List;
import org.edgeml.bench.onnx.OnnxGraph.DataType;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Window;
import org.edgeml.host.floatmodel.AveragePoolLayer;
import org.edgeml.host.floatmodel.Conv2DLayer;
import org.edgeml.host.floatmodel.DenseLayer;
import org.edgeml.host.floatmodel.DepthwiseConv2DLayer;
import org.edgeml.host.floatmodel.FlattenLayer;
import org.edgeml.host.floatmodel.FloatFeatureLayer;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.GlobalAveragePoolLayer;
import org.edgeml.host.floatmodel.MaxPoolLayer;

/**
 * A float model as an ONNX graph, the float peer of the benchmarks. Input {@value #INPUT} is the
 * normalized float image (HWC order, as {@code FloatNetwork.input} gives it), output {@value #OUTPUT} the
 * logits. Dense layers are {@code Gemm(transB = 1)} and an activation node (a maxout layer: a Gemm to
 * all pieces, {@code Reshape [batch, units, pieces]} and {@code ReduceMax} over the pieces). Feature
 * layers run in NCHW after a reshape and transpose of the input: {@code Conv} (weights OHWI -> OIHW;
 * depthwise as {@code group = C}), {@code MaxPool}, {@code AveragePool} ({@code count_include_pad 0}),
 * {@code GlobalAveragePool}, and a flatten that transposes back to NHWC first, as the int8 export does.
 */
public final class FloatOnnxExport {
    public static final String INPUT = "input";
    public static final String OUTPUT = "logits";

    private FloatOnnxExport() {}

    public static byte[] export(FloatModel model) {
        OnnxGraph g = new OnnxGraph("float");
        g.input(INPUT, DataType.FLOAT, model.input().size());
        String x = INPUT;
        List<FloatFeatureLayer> features = model.features();
        if (!features.isEmpty()) {
            x = Layouts.nchwInput(g, INPUT, model.input().shape());
            for (int l = 0; l < features.size(); l++) {
                x = feature(g, features.get(l), "f" + l + "_", x);
            }
            FloatFeatureLayer last = features.get(features.size() - 1);
            if (!(last instanceof FlattenLayer)) { // a global average pool: [batch, C, 1, 1]
                g.longs("features_shape", new long[] {-1, last.outputShape().size()}, 2);
                g.node("Reshape", List.of(x, "features_shape"), "features");
                x = "features";
            }
        }
        List<DenseLayer> layers = model.layers();
        for (int l = 0; l < layers.size(); l++) {
            x = dense(g, layers.get(l), "l" + l + "_", x, l == layers.size() - 1);
        }
        g.output(OUTPUT, DataType.FLOAT, model.labels().size());
        return g.encode("edgeml bench");
    }

    private static String dense(OnnxGraph g, DenseLayer d, String p, String x, boolean last) {
        int rows = d.outputs() * d.pieces();
        g.floats(p + "w", d.weights(), rows, d.inputs());
        g.floats(p + "b", d.bias(), rows);
        boolean plainLogits = last && d.activation() == Activation.IDENTITY && !d.isMaxout();
        String z = plainLogits ? OUTPUT : p + "z";
        g.node("Gemm", List.of(x, p + "w", p + "b"), z, OnnxGraph.intAttribute("transB", 1));
        if (d.isMaxout()) {
            g.longs(p + "pieces_shape", new long[] {-1, d.outputs(), d.pieces()}, 3);
            g.node("Reshape", List.of(z, p + "pieces_shape"), p + "pieces");
            String max = last && d.activation() == Activation.IDENTITY ? OUTPUT : p + "max";
            g.node("ReduceMax", List.of(p + "pieces"), max, OnnxGraph.intsAttribute("axes", 2), OnnxGraph.intAttribute("keepdims", 0));
            z = max;
        }
        return activation(g, d.activation(), z, p, last ? OUTPUT : p + "y");
    }

    private static String feature(OnnxGraph g, FloatFeatureLayer layer, String p, String x) {
        if (layer instanceof Conv2DLayer conv) {
            Window w = conv.window();
            float[] oihw = Layouts.permute(conv.weights(),
                    Layouts.oihwFromOhwi(conv.filters(), w.kernelHeight(), w.kernelWidth(), w.input().channels()));
            return conv(g, w, conv.filters(), 1, oihw, conv.bias(), conv.activation(), p, x);
        } else if (layer instanceof DepthwiseConv2DLayer dw) {
            Window w = dw.window();
            int channels = w.input().channels();
            float[] grouped = Layouts.permute(dw.weights(), Layouts.groupedFromDepthwise(w.kernelHeight(), w.kernelWidth(), channels));
            return conv(g, w, channels, channels, grouped, dw.bias(), dw.activation(), p, x);
        } else if (layer instanceof MaxPoolLayer pool) {
            g.node("MaxPool", List.of(x), p + "out", Layouts.window(pool.window()));
            return p + "out";
        } else if (layer instanceof AveragePoolLayer pool) {
            Protobuf[] w = Layouts.window(pool.window());
            g.node("AveragePool", List.of(x), p + "out", w[0], w[1], w[2], OnnxGraph.intAttribute("count_include_pad", 0));
            return p + "out";
        } else if (layer instanceof GlobalAveragePoolLayer) {
            g.node("GlobalAveragePool", List.of(x), p + "out");
            return p + "out";
        } else if (layer instanceof FlattenLayer flatten) {
            return Layouts.flattenNhwc(g, x, flatten.inputShape(), p);
        }
        throw new IllegalArgumentException("the float ONNX export has no nodes for " + layer.kind());
    }

    private static String conv(OnnxGraph g, Window w, int outputChannels, int group, float[] oihw, float[] bias,
                               Activation activation, String p, String x) {
        g.floats(p + "w", oihw, outputChannels, w.input().channels() / group, w.kernelHeight(), w.kernelWidth());
        g.floats(p + "b", bias, outputChannels);
        Protobuf[] window = Layouts.window(w);
        g.node("Conv", List.of(x, p + "w", p + "b"), p + "z", window[0], window[1], window[2], OnnxGraph.intAttribute("group", group));
        return activation(g, activation, p + "z", p, p + "y");
    }

    private static String activation(OnnxGraph g, Activation a, String z, String p, String out) {
        switch (a) {
            case IDENTITY -> {
                return z;
            }
            case RELU -> g.node("Relu", List.of(z), out);
            case TANH -> g.node("Tanh", List.of(z), out);
            case SIGMOID -> g.node("Sigmoid", List.of(z), out);
            case LEAKYRELU -> g.node("LeakyRelu", List.of(z), out, OnnxGraph.floatAttribute("alpha", (float) Activation.LEAKY_SLOPE));
            case ELU -> g.node("Elu", List.of(z), out, OnnxGraph.floatAttribute("alpha", 1f));
            case GELU -> {
                // edgeml's GELU is DL4J's, x * sigmoid(1.702 x) (see Activation).
                g.floats(p + "c_gelu", new float[] {1.702f});
                g.node("Mul", List.of(z, p + "c_gelu"), p + "g_arg");
                g.node("Sigmoid", List.of(p + "g_arg"), p + "g_sigmoid");
                g.node("Mul", List.of(z, p + "g_sigmoid"), out);
            }
            case GELU_ERF -> {
                // 0.5 x (1 + erf(x / sqrt 2))
                g.floats(p + "c_sqrt2", new float[] {(float) Math.sqrt(2)});
                g.floats(p + "c_one", new float[] {1f});
                g.floats(p + "c_half", new float[] {0.5f});
                g.node("Div", List.of(z, p + "c_sqrt2"), p + "g_arg");
                g.node("Erf", List.of(p + "g_arg"), p + "g_erf");
                g.node("Add", List.of(p + "g_erf", p + "c_one"), p + "g_sum");
                g.node("Mul", List.of(z, p + "g_sum"), p + "g_prod");
                g.node("Mul", List.of(p + "g_prod", p + "c_half"), out);
            }
            case GELU_TANH -> {
                // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
                g.floats(p + "c_cube", new float[] {0.044715f});
                g.floats(p + "c_k", new float[] {(float) Math.sqrt(2 / Math.PI)});
                g.floats(p + "c_one", new float[] {1f});
                g.floats(p + "c_half", new float[] {0.5f});
                g.node("Mul", List.of(z, z), p + "g_sq");
                g.node("Mul", List.of(p + "g_sq", z), p + "g_cb");
                g.node("Mul", List.of(p + "g_cb", p + "c_cube"), p + "g_cbs");
                g.node("Add", List.of(z, p + "g_cbs"), p + "g_in");
                g.node("Mul", List.of(p + "g_in", p + "c_k"), p + "g_arg");
                g.node("Tanh", List.of(p + "g_arg"), p + "g_tanh");
                g.node("Add", List.of(p + "g_tanh", p + "c_one"), p + "g_sum");
                g.node("Mul", List.of(z, p + "g_sum"), p + "g_prod");
                g.node("Mul", List.of(p + "g_prod", p + "c_half"), out);
            }
        }
        return out;
    }
}
