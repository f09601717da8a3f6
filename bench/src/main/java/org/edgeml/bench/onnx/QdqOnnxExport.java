package org.edgeml.bench.onnx;

import java.util.List;
import org.edgeml.bench.onnx.OnnxGraph.DataType;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Flatten;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantizedDense;

/**
 * An int8 model as an ONNX QDQ graph, the form ONNX Runtime fuses into its integer kernels (QGemm on
 * x86). Activations travel as <b>uint8</b> (edgeml's int8 value + 128, zero point + 128): with int8
 * activations ORT's x86 kernels fall back to float. Per layer:
 *
 * <pre>
 *   DequantizeLinear(h, inputScale, inputZp+128)                          uint8 -> float
 *   DequantizeLinear(W, weightScales, 0, axis 0)                           int8 [out, in], per channel
 *   DequantizeLinear(bias, inputScale*weightScales, 0, axis 0)             int32
 *   Gemm(transB = 1) [-> Relu] -> QuantizeLinear(outputScale, outputZp+128)   -> uint8
 * </pre>
 *
 * A lookup-table activation quantizes to its pre-activation parameters instead and maps the uint8 code
 * through the table with {@code Cast(int64) -> Gather}, so tanh, sigmoid, GELU... stay exactly edgeml's.
 * A maxout layer ({@code pieces = k > 1}) runs the same Gemm over all {@code outputs * k} rows (each
 * row its own weight scale), quantizes every row to the shared pre-activation parameters, then takes
 * {@code Reshape [batch, outputs, k] -> ReduceMax(axes 2)} on the uint8 codes before the table: the
 * requantization and clamp are monotone, so the largest code is the code of the largest piece, as the
 * engine computes it.
 * The graph's input {@value #INPUT} is the model's int8 input + 128 ({@code Int8Engine.quantizeInput}
 * then add 128), flat in the engine's NHWC order, and its output {@value #OUTPUT} the int8 logits + 128.
 *
 * <p>A model with feature layers (convolutions, pools, flatten) reshapes the input to
 * {@code [batch, H, W, C]} and transposes it to ONNX's NCHW; {@link FeatureLayers} emits each feature
 * layer on uint8 NCHW tensors, and the flatten transposes back to NHWC before reshaping, so the first
 * dense layer sees the values in the engine's order.
 *
 * <p>ORT requantizes with a float multiplier and rounds half to even where edgeml uses gemmlowp's
 * fixed point, so an output code can differ by one step; classes almost always agree (see the tests).
 */
public final class QdqOnnxExport {
    public static final String INPUT = "input_u8";
    public static final String OUTPUT = "logits_u8";

    private QdqOnnxExport() {}

    public static byte[] export(Q8Model model) {
        OnnxGraph g = new OnnxGraph(model.info().name() + " int8 QDQ");
        g.input(INPUT, DataType.UINT8, model.inputSize());
        String h = INPUT;
        List<FeatureLayer> features = model.features();
        if (!features.isEmpty()) {
            h = Layouts.nchwInput(g, INPUT, features.get(0).inputShape());
            for (int l = 0; l < features.size(); l++) {
                h = FeatureLayers.emit(g, features.get(l), "f" + l + "_", h);
            }
            if (!(features.get(features.size() - 1) instanceof Flatten)) { // a global average pool: [batch, C, 1, 1]
                g.longs("features_shape", new long[] {-1, features.get(features.size() - 1).outputShape().size()}, 2);
                g.node("Reshape", List.of(h, "features_shape"), "features");
                h = "features";
            }
        }
        List<QuantizedDense> layers = model.layers();
        for (int l = 0; l < layers.size(); l++) {
            h = layer(g, layers.get(l), "l" + l + "_", h, l == layers.size() - 1 ? OUTPUT : null);
        }
        g.output(OUTPUT, DataType.UINT8, model.classes());
        return g.encode("edgeml export-onnx");
    }

    /** Emits one layer reading uint8 {@code in}; returns the name of its uint8 output. */
    private static String layer(OnnxGraph g, QuantizedDense d, String p, String in, String outName) {
        int n = d.rows();
        g.floats(p + "in_scale", new float[] {d.inputScale()});
        g.bytes(p + "in_zp", DataType.UINT8, new byte[] {shifted(d.inputZeroPoint())});
        g.node("DequantizeLinear", List.of(in, p + "in_scale", p + "in_zp"), p + "x");

        g.bytes(p + "w", DataType.INT8, d.weights(), n, d.inputs());
        g.floats(p + "w_scale", d.weightScales(), n);
        g.bytes(p + "w_zp", DataType.INT8, new byte[n], n);
        g.node("DequantizeLinear", List.of(p + "w", p + "w_scale", p + "w_zp"), p + "w_f", OnnxGraph.intAttribute("axis", 0));

        float[] biasScale = new float[n];
        for (int o = 0; o < n; o++) {
            biasScale[o] = d.inputScale() * d.weightScales()[o];
        }
        g.ints(p + "b", d.bias(), n);
        g.floats(p + "b_scale", biasScale, n);
        g.ints(p + "b_zp", new int[n], n);
        g.node("DequantizeLinear", List.of(p + "b", p + "b_scale", p + "b_zp"), p + "b_f", OnnxGraph.intAttribute("axis", 0));

        g.node("Gemm", List.of(p + "x", p + "w_f", p + "b_f"), p + "z", OnnxGraph.intAttribute("transB", 1));
        String z = p + "z";
        if (d.activation() == Activation.RELU) {
            g.node("Relu", List.of(z), p + "relu");
            z = p + "relu";
        }
        boolean table = d.activation().needsLookupTable();
        String out = outName != null ? outName : p + "out_u8";
        String q = table || d.isMaxout() ? p + "pre_u8" : out;
        g.floats(p + "q_scale", new float[] {d.preActivationScale()});
        g.bytes(p + "q_zp", DataType.UINT8, new byte[] {shifted(d.preActivationZeroPoint())});
        g.node("QuantizeLinear", List.of(z, p + "q_scale", p + "q_zp"), q);
        if (d.isMaxout()) {
            String max = table ? p + "max_u8" : out;
            largestPiece(g, d, p, q, max);
            q = max;
        }
        if (table) {
            lookUp(g, d.lookupTable(), p, q, out);
        }
        return out;
    }

    /** Each unit's largest piece: uint8 rows {@code [batch, outputs * pieces]} to {@code [batch, outputs]}. */
    private static void largestPiece(OnnxGraph g, QuantizedDense d, String p, String in, String out) {
        g.longs(p + "pieces_shape", new long[] {-1, d.outputs(), d.pieces()}, 3);
        g.node("Reshape", List.of(in, p + "pieces_shape"), p + "pieces");
        g.node("ReduceMax", List.of(p + "pieces"), out, OnnxGraph.intsAttribute("axes", 2), OnnxGraph.intAttribute("keepdims", 0));
    }

    /** Maps uint8 codes {@code in} through an int8 activation table (entry {@code v + 128} for int8 {@code v}) with {@code Cast -> Gather}. */
    static void lookUp(OnnxGraph g, byte[] table, String p, String in, String out) {
        byte[] lut = new byte[256];
        for (int k = 0; k < 256; k++) {
            lut[k] = shifted(table[k]);
        }
        g.bytes(p + "lut", DataType.UINT8, lut, 256);
        g.node("Cast", List.of(in), p + "index", OnnxGraph.intAttribute("to", DataType.INT64.code));
        g.node("Gather", List.of(p + "lut", p + "index"), out, OnnxGraph.intAttribute("axis", 0));
    }

    /** The uint8 code of an int8 value: {@code v + 128}. */
    static byte shifted(int int8) {
        return (byte) (int8 + 128);
    }
}
