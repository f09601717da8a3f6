package org.edgeml.bench.onnx;

import java.util.List;
import org.edgeml.bench.onnx.OnnxGraph.DataType;
import org.edgeml.core.model.Activation;
import org.edgeml.host.floatmodel.DenseLayer;
import org.edgeml.host.floatmodel.FloatModel;

/**
 * A float model as an ONNX graph of {@code Gemm(transB = 1)} and activation nodes: the float peer of the
 * benchmarks. Input {@value #INPUT} is the normalized float image, output {@value #OUTPUT} the logits.
 */
public final class FloatOnnxExport {
    public static final String INPUT = "input";
    public static final String OUTPUT = "logits";

    private FloatOnnxExport() {}

    public static byte[] export(FloatModel model) {
        model.requireNoMaxout("the ONNX export");
        OnnxGraph g = new OnnxGraph("float");
        g.input(INPUT, DataType.FLOAT, model.input().size());
        String x = INPUT;
        List<DenseLayer> layers = model.layers();
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer d = layers.get(l);
            String p = "l" + l + "_";
            boolean last = l == layers.size() - 1;
            g.floats(p + "w", d.weights(), d.outputs(), d.inputs());
            g.floats(p + "b", d.bias(), d.outputs());
            String z = last && d.activation() == Activation.IDENTITY ? OUTPUT : p + "z";
            g.node("Gemm", List.of(x, p + "w", p + "b"), z, OnnxGraph.intAttribute("transB", 1));
            x = activation(g, d.activation(), z, p, last ? OUTPUT : p + "y");
        }
        g.output(OUTPUT, DataType.FLOAT, model.labels().size());
        return g.encode("edgeml bench");
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
        }
        return out;
    }
}
